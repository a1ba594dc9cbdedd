package dev.kmsposture.rules;

/**
 * Receives findings one at a time as the engine makes them ({@link PostureEngine#start}), so a
 * check of a large account never holds them all: a sink counts them, writes them, or keeps only
 * what it needs (for example {@link dev.kmsposture.report.FindingSpool}, which puts them in report
 * order within bounded memory).
 */
@FunctionalInterface
public interface FindingSink {
  /**
   * Takes one finding, with its priority and disposition decided.
   *
   * @param finding the finding
   */
  void accept(Finding finding);
}
