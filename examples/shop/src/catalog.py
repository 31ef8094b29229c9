"""The products the shop sells. Prices are in cents, so sums are exact."""

PRODUCTS = {
    "tea": {"name": "Green tea, 100 g", "price_cents": 650},
    "mug": {"name": "Stoneware mug", "price_cents": 1200},
    "pot": {"name": "Tea pot, 1 l", "price_cents": 3400},
}


def price_of(product_id: str) -> int:
    """The price of a product in cents; KeyError for an unknown product."""
    return PRODUCTS[product_id]["price_cents"]
