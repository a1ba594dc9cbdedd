package dev.kmsposture.aws.scan;

import dev.kmsposture.snapshot.AccountSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Receives each account's snapshot as soon as the account is scanned, so an organization scan holds
 * only the accounts in flight, never the organization's snapshots all at once. Called from the
 * scanning threads, possibly concurrently.
 */
@FunctionalInterface
public interface SnapshotSink {
  /**
   * Takes {@code snapshot}.
   *
   * @throws RuntimeException if it cannot; the account is then reported as failed, with the reason
   */
  void accept(AccountSnapshot snapshot);

  /** A sink that keeps nothing. */
  static SnapshotSink discard() {
    return snapshot -> {};
  }

  /**
   * A sink that writes each snapshot to {@code directory} as {@code <account>.json} (the JSON
   * {@code kms-posture check} reads), through a temporary file moved into place, so a file is
   * either complete or absent. The directory is created if needed.
   */
  static SnapshotSink directory(Path directory) {
    Objects.requireNonNull(directory, "directory");
    return snapshot -> {
      try {
        Files.createDirectories(directory);
        Path target = directory.resolve(snapshot.account() + ".json");
        Path temporary = Files.createTempFile(directory, "." + snapshot.account() + "-", ".tmp");
        try {
          Files.writeString(temporary, snapshot.toJson(), StandardCharsets.UTF_8);
          Files.move(
              temporary,
              target,
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(temporary);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write the snapshot of account " + snapshot.account() + " to " + directory, e);
      }
    };
  }
}
