package dev.kmsposture.aws.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads CloudTrail log files exported to a directory (an S3 bucket synced to disk), one record at a
 * time: each {@code *.json.gz} or {@code *.json} file below the directory is one {@code {"Records":
 * […]}} object (CloudTrail User Guide, "CloudTrail log file examples"). Digest files ({@code
 * CloudTrail-Digest/}) and Insights events ({@code CloudTrail-Insight/}) are skipped.
 *
 * <p>Memory stays bounded whatever the volume: files are streamed with Jackson's parser and only
 * one record is a tree at a time. Files are read in path order, so runs are repeatable.
 */
public final class CloudTrailLogFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  /** What reading found: files read, records passed on, and files that could not be read. */
  public record Summary(int files, long records, List<String> problems) {
    /** Copies the problems. */
    public Summary {
      problems = List.copyOf(problems);
    }
  }

  private CloudTrailLogFiles() {}

  /**
   * Passes every record of every log file below {@code directory} to {@code sink}. A file that is
   * not a CloudTrail log (bad gzip, not JSON, no {@code Records} array) is reported in the
   * summary's problems, with its path, and the others are still read.
   *
   * @throws IOException if the directory cannot be walked
   * @throws IllegalArgumentException if {@code directory} is not a directory
   */
  public static Summary read(Path directory, Consumer<JsonNode> sink) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(sink, "sink");
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(
          String.format(
              "CloudTrail log directory [%s] is not a directory; pass the directory the trail's S3"
                  + " bucket was synced to",
              directory));
    }
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        directory,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            Path name = dir.getFileName();
            if (name != null
                && (name.toString().equals("CloudTrail-Digest")
                    || name.toString().equals("CloudTrail-Insight"))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String name = String.valueOf(file.getFileName());
            if (attrs.isRegularFile() && (name.endsWith(".json.gz") || name.endsWith(".json"))) {
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    long records = 0;
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        records += readFile(file, sink);
      } catch (IOException | RuntimeException e) {
        problems.add(String.format("[%s]: %s", directory.relativize(file), e.getMessage()));
      }
    }
    return new Summary(files.size(), records, problems);
  }

  private static long readFile(Path file, Consumer<JsonNode> sink) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        InputStream in =
            file.getFileName().toString().endsWith(".gz")
                ? new GZIPInputStream(raw, 1 << 16)
                : raw;
        JsonParser parser = FACTORY.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a CloudTrail log file: it does not start with a JSON object");
      }
      long count = 0;
      boolean sawRecords = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("Records".equals(field) && value == JsonToken.START_ARRAY) {
          sawRecords = true;
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            JsonNode record = MAPPER.readTree(parser);
            sink.accept(record);
            count++;
          }
        } else {
          parser.skipChildren();
        }
      }
      if (!sawRecords) {
        throw new IOException("not a CloudTrail log file: it has no \"Records\" array");
      }
      return count;
    }
  }
}
