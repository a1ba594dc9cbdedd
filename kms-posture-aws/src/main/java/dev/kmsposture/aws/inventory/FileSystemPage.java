package dev.kmsposture.aws.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code DescribeFileSystems}: its file systems and where the next page starts (EFS's
 * {@code NextMarker}, FSx's {@code NextToken}). A page may be short, or empty, and still have a
 * next one (the FSx API reference says so).
 *
 * @param fileSystems the file systems of the page (possibly none)
 * @param next the marker or token of the next page, or null on the last page
 */
public record FileSystemPage(List<FileSystemDescription> fileSystems, @Nullable String next) {
  /** Copies the file systems. */
  public FileSystemPage {
    fileSystems = List.copyOf(Objects.requireNonNull(fileSystems, "fileSystems"));
  }

  /** The marker or token of the next page, if there is one. */
  public Optional<String> nextPage() {
    return next == null || next.isEmpty() ? Optional.empty() : Optional.of(next);
  }
}
