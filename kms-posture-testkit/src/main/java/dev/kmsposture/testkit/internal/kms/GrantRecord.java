package dev.kmsposture.testkit.internal.kms;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A grant on one key.
 *
 * @param grantId the grant id (64 hex characters)
 * @param seq the engine-wide creation order, for listing and markers
 * @param name the grant's name, or null
 * @param granteePrincipal the grantee principal ARN, or null for a service grantee
 * @param granteeServicePrincipal the grantee service principal, or null
 * @param retiringPrincipal the retiring principal ARN, or null
 * @param retiringServicePrincipal the retiring service principal, or null
 * @param operations the grant operations, in request order
 * @param encryptionContextEquals the EncryptionContextEquals constraint (empty when absent)
 * @param encryptionContextSubset the EncryptionContextSubset constraint (empty when absent)
 * @param sourceArn the SourceArn constraint, or null
 * @param hasConstraints whether the request carried a Constraints structure
 * @param issuingAccount the account that created the grant
 * @param creationDate when the grant was created
 */
record GrantRecord(
    String grantId,
    long seq,
    @Nullable String name,
    @Nullable String granteePrincipal,
    @Nullable String granteeServicePrincipal,
    @Nullable String retiringPrincipal,
    @Nullable String retiringServicePrincipal,
    List<String> operations,
    Map<String, String> encryptionContextEquals,
    Map<String, String> encryptionContextSubset,
    @Nullable String sourceArn,
    boolean hasConstraints,
    String issuingAccount,
    Instant creationDate) {

  GrantRecord {
    operations = List.copyOf(operations);
    encryptionContextEquals = Map.copyOf(encryptionContextEquals);
    encryptionContextSubset = Map.copyOf(encryptionContextSubset);
  }

  /** Whether a CreateGrant request with these parameters is a retry of this grant. */
  boolean sameParameters(GrantRecord other) {
    return java.util.Objects.equals(name, other.name)
        && java.util.Objects.equals(granteePrincipal, other.granteePrincipal)
        && java.util.Objects.equals(granteeServicePrincipal, other.granteeServicePrincipal)
        && java.util.Objects.equals(retiringPrincipal, other.retiringPrincipal)
        && java.util.Objects.equals(retiringServicePrincipal, other.retiringServicePrincipal)
        && new java.util.HashSet<>(operations).equals(new java.util.HashSet<>(other.operations))
        && encryptionContextEquals.equals(other.encryptionContextEquals)
        && encryptionContextSubset.equals(other.encryptionContextSubset)
        && java.util.Objects.equals(sourceArn, other.sourceArn);
  }
}
