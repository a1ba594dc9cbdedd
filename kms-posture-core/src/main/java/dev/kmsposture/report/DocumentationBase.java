package dev.kmsposture.report;

import java.net.URI;
import java.util.Objects;

/**
 * The web address rule documentation pages are resolved against, for the SARIF and ASFF writers.
 */
final class DocumentationBase {
  private DocumentationBase() {}

  /**
   * Returns {@code base} when it is an absolute URI ending in {@code /}.
   *
   * @throws IllegalArgumentException if it is not
   */
  static URI checked(URI base) {
    Objects.requireNonNull(base, "documentationBase");
    if (!base.isAbsolute() || !base.toString().endsWith("/")) {
      throw new IllegalArgumentException(
          String.format("documentation base [%s] must be an absolute URI ending in /", base));
    }
    return base;
  }
}
