package dev.kmsposture.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Writes the files a command produces without ever losing data: an output path that is one of the
 * command's inputs is refused (compared by real path, so a symbolic link or {@code ./} does not
 * hide it), and every file is written to a temporary file in the same directory and then moved into
 * place, so a failed or interrupted run leaves either the old file or the complete new one, never
 * half of one.
 *
 * <pre>{@code
 * OutputFiles.refuseInputs("--output", output, List.of(snapshot, config, baseline));
 * OutputFiles.write(output, w -> writer.write(report, w));
 * }</pre>
 */
final class OutputFiles {
  /** Writes a file's content. */
  @FunctionalInterface
  interface Content {
    /** Writes the content to {@code out}. */
    void writeTo(Writer out) throws IOException;
  }

  /** Writes a file's content as bytes. */
  @FunctionalInterface
  interface Bytes {
    /** Writes the content to {@code out}. */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Fills the temporary file. */
  @FunctionalInterface
  private interface Fill {
    void into(Path temp) throws IOException;
  }

  private static final int BYTES_BUFFER = 1 << 16;

  private OutputFiles() {}

  /**
   * Refuses {@code output} when it is the same file as one of {@code inputs} ({@value
   * InputReader#STDIN} is never a file).
   *
   * @param option the option that names the output, for the message (such as {@code --output})
   * @param output the output path
   * @param inputs the input names as given on the command line
   * @throws BadInputException naming both when they are the same file
   */
  static void refuseInputs(String option, Path output, @Nullable String... inputs) {
    Optional<Path> out = real(output);
    for (String input : inputs) {
      if (input == null || input.equals(InputReader.STDIN) || input.isEmpty()) {
        continue;
      }
      Optional<Path> in;
      try {
        in = real(Path.of(input));
      } catch (InvalidPathException e) {
        continue;
      }
      if (out.isPresent() && in.isPresent() && out.get().equals(in.get())) {
        throw new BadInputException(
            String.format(
                "%s [%s] is the input file [%s]; writing it would destroy the input: choose"
                    + " another file",
                option, output, input));
      }
    }
  }

  /**
   * Refuses two outputs that are the same file: the second would overwrite the first.
   *
   * @throws BadInputException naming both options
   */
  static void refuseSame(String option, Path output, String otherOption, Path other) {
    Optional<Path> a = real(output);
    if (a.isPresent() && a.equals(real(other))) {
      throw new BadInputException(
          String.format(
              "%s [%s] is the same file as %s [%s]; choose another file",
              option, output, otherOption, other));
    }
  }

  /**
   * The real path of {@code p}: its own when it exists, else its parent's real path with its name
   * (an output often does not exist yet); empty when neither can be resolved.
   */
  private static Optional<Path> real(Path p) {
    try {
      if (Files.exists(p)) {
        return Optional.of(p.toRealPath());
      }
      Path absolute = p.toAbsolutePath().normalize();
      Path parent = absolute.getParent();
      Path name = absolute.getFileName();
      if (parent == null || name == null || !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(absolute);
      }
      return Optional.of(parent.toRealPath().resolve(name));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes {@code file} as UTF-8 through a temporary file in the same directory, then moves it into
   * place (atomically where the file system can). Parent directories are created. On any failure
   * the temporary file is deleted and {@code file} is left as it was.
   *
   * @throws BadInputException naming the file when it cannot be written
   */
  static void write(Path file, Content content) {
    Objects.requireNonNull(content, "content");
    fill(
        file,
        temp -> {
          try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            content.writeTo(w);
          }
        });
  }

  /**
   * Writes {@code file} as {@link #write(Path, Content)} does, from content that is already bytes
   * (buffered; the content need not buffer).
   *
   * @throws BadInputException naming the file when it cannot be written
   */
  static void writeBytes(Path file, Bytes content) {
    Objects.requireNonNull(content, "content");
    fill(
        file,
        temp -> {
          try (OutputStream out =
              new BufferedOutputStream(Files.newOutputStream(temp), BYTES_BUFFER)) {
            content.writeTo(out);
          }
        });
  }

  private static void fill(Path file, Fill fill) {
    Path target;
    Path dir;
    try {
      target = file.toAbsolutePath();
      dir = target.getParent();
      if (dir == null) {
        throw new BadInputException("cannot write [" + file + "]: it is not a file path");
      }
      Files.createDirectories(dir);
      if (Files.isDirectory(target)) {
        throw new BadInputException("cannot write [" + file + "]: it is a directory");
      }
    } catch (IOException | InvalidPathException e) {
      throw new BadInputException("cannot write [" + file + "]: " + e.getMessage(), e);
    }
    Path temp = null;
    try {
      String name = String.valueOf(target.getFileName());
      temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
      fill.into(temp);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException e) {
      throw new BadInputException("cannot write [" + file + "]: " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // The write already failed and says so; a stray temporary file is named in no message.
        }
      }
    }
  }

  /** Writes {@code text} to {@code file} as {@link #write(Path, Content)} does. */
  static void write(Path file, String text) {
    write(file, w -> w.write(text));
  }
}
