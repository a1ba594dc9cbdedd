package dev.kmsposture.aws.scan;

/**
 * Hears how far a scan has come, for a progress bar. Called from the scanning threads after each
 * key and account, possibly concurrently: implementations must be thread-safe and quick (render at
 * most every few hundred milliseconds), and must not throw.
 */
@FunctionalInterface
public interface ScanProgressListener {
  /** A listener that ignores progress. */
  ScanProgressListener NONE = progress -> {};

  /** Receives the counts now. */
  void progressed(ScanProgress progress);
}
