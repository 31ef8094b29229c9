package dev.agentos.spec;

/** Something in tasks.md a person should look at, anchored to the line it is about. */
record Issue(int line, String message) {

  @Override
  public String toString() {
    return "line " + line + ": " + message;
  }
}
