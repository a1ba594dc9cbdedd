package dev.kmsposture.cli;

/** Placeholder main. */
public final class KmsPosture {
  private KmsPosture() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.out.println(picocli.CommandLine.VERSION);
  }
}
