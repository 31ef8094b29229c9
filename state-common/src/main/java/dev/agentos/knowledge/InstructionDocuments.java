package dev.agentos.knowledge;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The team's instruction documents by name. Finding one instruction asks for that one document
 * only, so that a submit costs a single KV get rather than a listing of the bucket.
 */
public interface InstructionDocuments {
  Optional<String> get(String name);

  /** Every document, name → text. */
  Map<String, String> all();

  /** Documents held in memory, read from {@code documents} at every call. */
  static InstructionDocuments of(Supplier<Map<String, String>> documents) {
    return new InstructionDocuments() {
      @Override
      public Optional<String> get(String name) {
        return Optional.ofNullable(documents.get().get(name));
      }

      @Override
      public Map<String, String> all() {
        return documents.get();
      }
    };
  }
}
