package dev.kmsposture.testkit.assertj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Failure-message snapshots: a failing assertion's message is part of the contract, so each test
 * compares it, exactly, with a file under {@code src/test/resources/message-snapshots/}. Run with
 * {@code -Dkmsposture.updateSnapshots=true} to write missing or changed files, then review the
 * diff.
 */
final class Snapshots {
  private static final Path DIR = Path.of("src", "test", "resources", "message-snapshots");

  private Snapshots() {}

  static void assertMessage(String name, Throwable thrown) {
    assertThat(thrown).isInstanceOf(AssertionError.class);
    String actual = String.valueOf(thrown.getMessage()).replace(System.lineSeparator(), "\n");
    Path file = DIR.resolve(name + ".txt");
    try {
      if (Boolean.getBoolean("kmsposture.updateSnapshots")) {
        Files.createDirectories(DIR);
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
      if (!Files.exists(file)) {
        fail(
            "no message snapshot [%s]; run with -Dkmsposture.updateSnapshots=true to write it, then"
                + " review it. The message was:%n%s",
            file, actual);
      }
      assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
