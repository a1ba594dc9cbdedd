package dev.kmsposture.snapshot;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A key as a resource's configuration names it, and the key ARN it was resolved to. Services
 * accept, and report, four forms — a key id, a key ARN, an alias name ({@code alias/…}) or an alias
 * ARN — sometimes of another account; {@link KeyReferenceResolver} resolves each to the key's ARN
 * with the snapshot's aliases.
 *
 * <p>A reference that cannot be resolved keeps what was written and says why in {@link #note()}: an
 * alias of another account ({@code ListAliases} covers only the caller's account and Region), a
 * predefined {@code aws/*} alias whose AWS managed key does not exist until a service first uses
 * it, an alias the scan could not list. That says nothing about whether the data can be decrypted.
 * A resolved reference may carry a note too: a caveat about the resolution (S3 resolves an alias
 * name in the account of each object's writer).
 *
 * @param written the reference exactly as the service reported it; for an implied AWS managed key
 *     (an S3 bucket with {@code aws:kms} and no key id, a secret without {@code KmsKeyId}), the
 *     alias it implies, such as {@code alias/aws/s3}
 * @param keyArn the key ARN it resolves to, or null when it cannot be resolved
 * @param note why it cannot be resolved, or a caveat about the resolution; null when there is
 *     nothing to say. Required when {@code keyArn} is null.
 */
public record KeyReference(String written, @Nullable String keyArn, @Nullable String note) {

  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException if {@code written} is blank, {@code keyArn} is not a key ARN,
   *     or an unresolved reference has no reason
   */
  public KeyReference {
    Objects.requireNonNull(written, "written");
    if (written.isBlank()) {
      throw new IllegalArgumentException("key reference [] is blank; expected what was written");
    }
    if (keyArn != null && (!keyArn.startsWith("arn:") || !keyArn.contains(":key/"))) {
      throw new IllegalArgumentException(
          String.format(
              "keyArn [%s] of key reference [%s] is not a key ARN; expected"
                  + " arn:PARTITION:kms:REGION:ACCOUNT:key/ID",
              keyArn, written));
    }
    if (keyArn == null && (note == null || note.isBlank())) {
      throw new IllegalArgumentException(
          String.format(
              "key reference [%s] is not resolved and gives no reason; an unresolvable reference"
                  + " needs a note that says why",
              written));
    }
  }

  /** Returns a reference resolved to {@code keyArn}. */
  public static KeyReference resolved(String written, String keyArn) {
    return new KeyReference(written, Objects.requireNonNull(keyArn, "keyArn"), null);
  }

  /** Returns a reference resolved to {@code keyArn}, with a caveat about the resolution. */
  public static KeyReference resolved(String written, String keyArn, String caveat) {
    return new KeyReference(
        written,
        Objects.requireNonNull(keyArn, "keyArn"),
        Objects.requireNonNull(caveat, "caveat"));
  }

  /** Returns a reference that cannot be resolved, and why. */
  public static KeyReference unresolvable(String written, String reason) {
    return new KeyReference(written, null, Objects.requireNonNull(reason, "reason"));
  }

  /** Returns whether the reference was resolved to a key ARN. */
  public boolean isResolved() {
    return keyArn != null;
  }

  /** Returns the key ARN, when the reference was resolved. */
  public Optional<String> resolvedArn() {
    return Optional.ofNullable(keyArn);
  }

  /**
   * Returns whether the reference names a predefined alias of an AWS managed key ({@code
   * alias/aws/…}, as a name or an alias ARN).
   */
  public boolean namesAwsManagedAlias() {
    String w = written.strip();
    if (w.startsWith("alias/aws/")) {
      return true;
    }
    String[] parts = w.split(":", 6);
    return parts.length == 6 && parts[0].equals("arn") && parts[5].startsWith("alias/aws/");
  }
}
