package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A KMS grant on a key: it allows its operations to its grantee principal, under its encryption
 * context constraints.
 *
 * <p>The snapshot model's {@link dev.kmsposture.snapshot.KeyGrant} is the other grant type: it
 * records a grant as {@code ListGrants} returned it (with its creation date, and without this
 * record's checks), for rules to judge; this record is the evaluator's input and rejects what KMS
 * would not accept.
 *
 * @param grantId the grant id
 * @param name the grant's name, or null when it has none
 * @param granteePrincipal the principal the grant allows: a user or role ARN, an account (root ARN
 *     or id), or a service principal
 * @param retiringPrincipal the principal that may retire the grant, or null
 * @param operations the grant operations, such as {@code Decrypt} or {@code GenerateDataKey};
 *     stored in the catalog's spelling
 * @param encryptionContextEquals the {@code EncryptionContextEquals} constraint (empty when absent)
 * @param encryptionContextSubset the {@code EncryptionContextSubset} constraint (empty when absent)
 * @param issuingAccount the account that created the grant, or null when unknown
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/grants.html">Grants in AWS
 *     KMS</a>
 */
public record Grant(
    String grantId,
    @Nullable String name,
    String granteePrincipal,
    @Nullable String retiringPrincipal,
    List<String> operations,
    Map<String, String> encryptionContextEquals,
    Map<String, String> encryptionContextSubset,
    @Nullable String issuingAccount) {

  /**
   * Validates the grant: the operations must be grant operations KMS knows, and at most one
   * encryption context constraint may be set (KMS accepts one constraint type per grant).
   */
  public Grant {
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(granteePrincipal, "granteePrincipal");
    Objects.requireNonNull(operations, "operations");
    Objects.requireNonNull(encryptionContextEquals, "encryptionContextEquals");
    Objects.requireNonNull(encryptionContextSubset, "encryptionContextSubset");
    if (grantId.isEmpty()) {
      throw new IllegalArgumentException("grant id [] is empty");
    }
    if (granteePrincipal.isEmpty()) {
      throw new IllegalArgumentException(
          String.format("grant [%s] has an empty grantee principal", grantId));
    }
    if (operations.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "grant [%s] has no operations; name at least one, such as Decrypt", grantId));
    }
    List<String> ops = new ArrayList<>(operations.size());
    for (String op : operations) {
      Objects.requireNonNull(op, "operation");
      Optional<String> known = KmsAction.lookup("kms:" + op).flatMap(KmsAction::grantOperation);
      if (known.isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                "grant operation [%s] of grant [%s] is not a KMS grant operation; expected e.g."
                    + " Decrypt, Encrypt, GenerateDataKey, CreateGrant, DescribeKey",
                op, grantId));
      }
      ops.add(known.get());
    }
    operations = List.copyOf(ops);
    if (!encryptionContextEquals.isEmpty() && !encryptionContextSubset.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "grant [%s] sets both EncryptionContextEquals and EncryptionContextSubset; KMS"
                  + " accepts only one of them",
              grantId));
    }
    encryptionContextEquals = Collections.unmodifiableMap(new TreeMap<>(encryptionContextEquals));
    encryptionContextSubset = Collections.unmodifiableMap(new TreeMap<>(encryptionContextSubset));
  }

  /** Returns a grant without name, retiring principal, constraints or issuing account. */
  public static Grant of(String grantId, String granteePrincipal, List<String> operations) {
    return new Grant(grantId, null, granteePrincipal, null, operations, Map.of(), Map.of(), null);
  }
}
