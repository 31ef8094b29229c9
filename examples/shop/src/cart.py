"""The shopping cart. See .agent-os/specs/2026-11-20-cart/spec.md for what it must do."""


class Cart:
    """Holds products and quantities for one customer."""

    def __init__(self) -> None:
        self.items: dict[str, int] = {}
