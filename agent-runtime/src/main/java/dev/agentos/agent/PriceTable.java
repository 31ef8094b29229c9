package dev.agentos.agent;

import dev.agentos.error.AgentOsException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What models cost, in USD per million tokens, by model name as the server reports it (or as it is
 * configured). A model that is not listed costs 0: accounting is then incomplete, not wrong enough
 * to stop work, and the backend says so in its description and log.
 */
public record PriceTable(Map<String, Price> prices) {
  public static final PriceTable EMPTY = new PriceTable(Map.of());

  /** USD per million input (prompt) and output (completion) tokens. */
  public record Price(double inputPerMillion, double outputPerMillion) {
    public Price {
      if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0)) {
        throw AgentOsException.invalid(
            "a price must be a number of USD per million tokens >= 0, not "
                + inputPerMillion
                + "/"
                + outputPerMillion);
      }
    }

    public double cost(long tokensIn, long tokensOut) {
      return (tokensIn * inputPerMillion + tokensOut * outputPerMillion) / 1_000_000d;
    }
  }

  public PriceTable {
    prices = Map.copyOf(prices);
  }

  /**
   * Reads the one-line form, convenient in an environment variable: {@code
   * model=input/output[,model=input/output...]}, e.g. {@code gpt-4.1=2/8, claude-sonnet-4-5=3/15}.
   * Model names may contain {@code /}, {@code :} and {@code .}; the price follows the last {@code
   * =}.
   */
  public static PriceTable parse(String spec) {
    Map<String, Price> prices = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return EMPTY;
    }
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.lastIndexOf('=');
      String[] numbers = eq < 0 ? new String[0] : entry.substring(eq + 1).split("/");
      if (eq <= 0 || numbers.length != 2) {
        throw AgentOsException.invalid(
            "price entry '"
                + entry.strip()
                + "' is not model=input/output (USD per million tokens), e.g. gpt-4.1=2/8");
      }
      try {
        prices.put(
            entry.substring(0, eq).strip(),
            new Price(
                Double.parseDouble(numbers[0].strip()), Double.parseDouble(numbers[1].strip())));
      } catch (NumberFormatException e) {
        throw AgentOsException.invalid(
            "price entry '"
                + entry.strip()
                + "' has a price that is not a number of USD per million tokens, e.g. gpt-4.1=2/8");
      }
    }
    return new PriceTable(prices);
  }

  public Optional<Price> price(String model) {
    return model == null ? Optional.empty() : Optional.ofNullable(prices.get(model));
  }

  /** The cost of a call, or 0 for a model that is not listed. */
  public double cost(String model, long tokensIn, long tokensOut) {
    return price(model).map(p -> p.cost(tokensIn, tokensOut)).orElse(0d);
  }
}
