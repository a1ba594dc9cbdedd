package dev.kmsposture.snapshot;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A grant as {@code ListGrants} returns it.
 *
 * <p>The access model's {@link dev.kmsposture.access.Grant} is the other grant type, and both
 * exist because they promise different things: this record keeps what a snapshot recorded, as it
 * was recorded (any operation text, both constraints, the creation date), so that rules can judge
 * it and report it; {@code Grant} is what the evaluator runs on and accepts only what KMS would
 * accept. Neither layer sees the other (the snapshot and the access model sit side by side), so the
 * one conversion, from a {@code Grant} to the grant {@code ListGrants} would list, lives in the
 * testkit's snapshot generator.
 *
 * @param grantId the grant id
 * @param name the grant name, or null
 * @param granteePrincipal who the grant is for (an ARN or a service principal)
 * @param retiringPrincipal who may retire it, or null
 * @param issuingAccount the account that created it (as an account root ARN or id), or null
 * @param operations the grant operations, such as {@code Decrypt} or {@code CreateGrant}
 * @param encryptionContextEquals the {@code EncryptionContextEquals} constraint (empty if none)
 * @param encryptionContextSubset the {@code EncryptionContextSubset} constraint (empty if none)
 * @param creationDate when it was created, or null
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantListEntry.html">GrantListEntry</a>
 */
public record KeyGrant(
    String grantId,
    @Nullable String name,
    String granteePrincipal,
    @Nullable String retiringPrincipal,
    @Nullable String issuingAccount,
    List<String> operations,
    Map<String, String> encryptionContextEquals,
    Map<String, String> encryptionContextSubset,
    @Nullable Instant creationDate) {

  /** Copies the collections (maps sorted by key) and checks the required parts. */
  public KeyGrant {
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(granteePrincipal, "granteePrincipal");
    operations = List.copyOf(operations);
    encryptionContextEquals = sorted(encryptionContextEquals);
    encryptionContextSubset = sorted(encryptionContextSubset);
  }

  private static Map<String, String> sorted(@Nullable Map<String, String> m) {
    return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(m));
  }

  /** Returns whether the grant has an encryption-context constraint. */
  public boolean hasEncryptionContextConstraint() {
    return !encryptionContextEquals.isEmpty() || !encryptionContextSubset.isEmpty();
  }
}
