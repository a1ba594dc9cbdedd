package dev.kmsposture.prover.internal;

/**
 * A policy construct the encoding does not cover exactly; the question is then answered UNKNOWN
 * with this message, never with a guess.
 */
final class UnsupportedConstruct extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnsupportedConstruct(String message) {
    super(message);
  }
}
