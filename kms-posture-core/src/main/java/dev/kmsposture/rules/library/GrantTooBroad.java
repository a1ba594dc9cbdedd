package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A grant allows more than its grantee needs: re-delegation (the {@code CreateGrant} operation, on
 * any key), or — on a symmetric encryption key — cryptographic operations without an
 * encryption-context constraint ({@code EncryptionContextEquals} or {@code
 * EncryptionContextSubset}). One result per grant, about its grant id.
 *
 * <p>Encryption-context constraints exist only for symmetric encryption keys (KMS rejects them for
 * other keys), so a grant on another kind of key that does not allow {@code CreateGrant} is
 * NOT_APPLICABLE, as is a grant that allows only {@code DescribeKey} and {@code RetireGrant} (which
 * take no encryption context). Grants not collected: UNKNOWN. AWS managed keys are not applicable:
 * their grants are created by the AWS service that owns the key.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html#grant-constraints">Grant
 *     constraints</a>
 */
public final class GrantTooBroad implements KeyRule {
  private static final Set<String> INERT = Set.of("DescribeKey", "RetireGrant");
  private static final Set<String> WITH_CONTEXT =
      Set.of(
          "Decrypt",
          "Encrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "ReEncryptFrom",
          "ReEncryptTo",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext");

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("GrantTooBroad"))
          .summary("Grant allows re-delegation or lacks an encryption-context constraint")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "A grant with the CreateGrant operation lets its grantee pass the key on to further"
                  + " principals, outside the key policy. A grant without an encryption-context"
                  + " constraint lets its grantee decrypt everything the key protects, not only the"
                  + " data of the resource the grant was made for.")
          .checklistItem(
              "[Critical] Key policies must follow least privilege. (Grants no broader than their purpose.)")
          .references(List.of("CloudSploit kms grants (over-broad)", "KMS-GRANT-2"))
          .remediation(
              new Remediation(
                  "Retire or revoke the grant and create a narrower one: without CreateGrant, and with"
                      + " --constraints EncryptionContextSubset={<key>=<value>} for the data it is for.",
                  "aws kms revoke-grant --key-id <key-id> --grant-id <grant-id> && aws kms create-grant"
                      + " --key-id <key-id> --grantee-principal <principal-arn> --operations Decrypt"
                      + " --constraints EncryptionContextSubset={<key>=<value>}",
                  "kms.revokeGrant(r -> r.keyId(keyId).grantId(grantId)); kms.createGrant(r ->"
                      + " r.keyId(keyId).granteePrincipal(arn).operations(GrantOperation.DECRYPT)"
                      + ".constraints(c -> c.encryptionContextSubset(context)))"))
          .addTag("least-privilege")
          .build();

  /** Creates the rule. */
  public GrantTooBroad() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describe(key);
    Optional<Finding> skip = KeyPolicyFindings.grantsUnjudgeable(INFO, key, context);
    if (skip.isPresent() || key.grants() == null) {
      return List.of(skip.orElseThrow());
    }
    boolean symmetric = key.metadata().isSymmetricEncryption();
    List<Finding> out = new ArrayList<>();
    for (KeyGrant g : key.grants()) {
      out.add(judge(g, key, name, symmetric).about(g.grantId()));
    }
    return out;
  }

  private static Finding judge(KeyGrant g, KeySnapshot key, String name, boolean symmetric) {
    String grant =
        "grant "
            + g.grantId()
            + (g.name() == null ? "" : " (" + g.name() + ")")
            + " to "
            + g.granteePrincipal();
    if (INERT.containsAll(g.operations())) {
      return Finding.notApplicable(
          INFO,
          key,
          Message.of(
              "The %s on %s allows only %s, which take no encryption context and"
                  + " pass nothing on",
              grant, name, g.operations()));
    }
    List<String> problems = new ArrayList<>();
    if (g.operations().contains("CreateGrant")) {
      problems.add("it allows CreateGrant, so its grantee can pass the key on to other principals");
    }
    List<String> contextual = new ArrayList<>(g.operations().size());
    for (String operation : g.operations()) {
      if (WITH_CONTEXT.contains(operation)) {
        contextual.add(operation);
      }
    }
    if (symmetric && !contextual.isEmpty() && !g.hasEncryptionContextConstraint()) {
      problems.add(
          "it allows "
              + String.join(", ", contextual)
              + " without an encryption-context constraint, so it covers all data under the key");
    }
    if (!problems.isEmpty()) {
      return Finding.fail(
          INFO,
          key,
          Message.of("The %s on %s is too broad: %s", grant, name, String.join("; ", problems)));
    }
    if (!symmetric) {
      return Finding.notApplicable(
          INFO,
          key,
          Message.of(
              "The %s on %s does not allow CreateGrant, and encryption-context"
                  + " constraints exist only for symmetric encryption keys",
              grant, name));
    }
    return Finding.pass(
        INFO,
        key,
        Message.of(
            "The %s on %s allows %s%s and no re-delegation",
            grant,
            name,
            g.operations(),
            contextual.isEmpty() ? "" : " under an encryption-context constraint"));
  }
}
