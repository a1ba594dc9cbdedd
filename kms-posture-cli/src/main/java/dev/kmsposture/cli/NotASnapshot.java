package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Optional;

/**
 * Recognises the documents people pass to {@code check} by mistake, so that the error says what the
 * file is and which command reads it, instead of the first schema violation ("schemaVersion is
 * missing"). Only the top-level field names are read; values are skipped.
 */
final class NotASnapshot {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_TOP_LEVEL_FIELDS = 64;

  private NotASnapshot() {}

  /**
   * Returns what {@code text} is when it is plainly not an account snapshot — a key (or IAM) policy
   * — as a message that names the commands that read it; empty otherwise.
   */
  static Optional<String> describe(String text) {
    return describe(new StringReader(text));
  }

  /** Returns {@link #describe(String)} for the document {@code in} reads (only its start). */
  static Optional<String> describe(Reader in) {
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      boolean statement = false;
      boolean snapshot = false;
      for (int i = 0; i < MAX_TOP_LEVEL_FIELDS && p.nextToken() == JsonToken.FIELD_NAME; i++) {
        String name = p.currentName();
        statement |= name.equals("Statement");
        snapshot |= name.equals("schemaVersion") || name.equals("keys") || name.equals("account");
        p.nextToken();
        p.skipChildren();
      }
      if (statement && !snapshot) {
        return Optional.of(
            "this is a key policy, not a snapshot: use `kms-posture validate` or `kms-posture"
                + " analyze` for a policy; `check` reads account snapshots (docs/snapshot-schema.md)");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
