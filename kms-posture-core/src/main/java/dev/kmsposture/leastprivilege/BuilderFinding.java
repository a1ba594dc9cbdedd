package dev.kmsposture.leastprivilege;

import dev.kmsposture.rules.Severity;
import java.util.Objects;

/**
 * Something the {@link KeyPolicyBuilder} found in the policy it built: a reason it refused to build
 * (a {@link Severity#CRITICAL} finding), a documented weakness it built anyway (such as the AWS
 * default root delegation), or a note for the reader.
 *
 * <p>The message names the statement (by Sid) or the principal it is about, for example {@code
 * statement [KeyUsers] gives principal [arn:aws:iam::111122223333:role/app] both administration and
 * use of the key}.
 *
 * @param severity how much it matters, in the checklist's words ({@link Severity#CRITICAL} blocks
 *     the build)
 * @param code what kind of finding it is; stable, usable in an {@link InsecureOverride}
 * @param message a lower-case sentence fragment naming the statement or principal
 */
public record BuilderFinding(Severity severity, Code code, String message) {

  /** The kinds of finding the builder reports. */
  public enum Code {
    /** A statement allows everyone ({@code *}) or a wildcard principal: the key would be public. */
    PUBLIC_PRINCIPAL(Severity.CRITICAL),
    /** A statement other than break-glass allows {@code kms:*} or {@code *}. */
    KMS_ALL_OUTSIDE_BREAK_GLASS(Severity.CRITICAL),
    /** A role names the account root, which hands the key to every IAM policy in the account. */
    ROOT_PRINCIPAL_OUTSIDE_BREAK_GLASS(Severity.CRITICAL),
    /** The compact policy is larger than the 32 KB KMS accepts. */
    POLICY_TOO_LARGE(Severity.CRITICAL),
    /** No statement lets anyone call {@code kms:PutKeyPolicy}: the key could never be managed. */
    NOBODY_CAN_PUT_KEY_POLICY(Severity.CRITICAL),
    /** The caller that sends the policy could not call {@code PutKeyPolicy} afterwards. */
    CALLER_LOCKED_OUT(Severity.CRITICAL),
    /** A principal can both administer and use the key. */
    ADMIN_CAN_USE(Severity.CRITICAL),
    /**
     * A statement other than break-glass allows {@code kms:CreateGrant} without {@code Bool
     * kms:GrantIsForAWSResource true}: the grantee could pass the key's use on to anyone.
     */
    CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION(Severity.CRITICAL),
    /** The AWS default root delegation ({@code kms:*} to the account root). */
    ROOT_DELEGATION(Severity.RECOMMENDED),
    /** A principal administers and uses the key, acknowledged with a written reason. */
    ADMIN_CAN_USE_ACKNOWLEDGED(Severity.RECOMMENDED),
    /** A statement added through {@code insecureAddStatement}, with its written reason. */
    INSECURE_STATEMENT(Severity.RECOMMENDED),
    /** A blocking finding let through by an {@link InsecureOverride}, with its written reason. */
    INSECURE_OVERRIDE(Severity.RECOMMENDED),
    /** An auditor in another account, who can only read what KMS allows across accounts. */
    EXTERNAL_AUDITOR_LIMITED(Severity.OPTIONAL);

    private final Severity severity;

    Code(Severity severity) {
      this.severity = severity;
    }

    /** Returns the severity a finding of this kind has. */
    public Severity severity() {
      return severity;
    }
  }

  /**
   * Checks that no part is null and the message is not blank.
   *
   * @throws IllegalArgumentException if the message is blank
   */
  public BuilderFinding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    if (message.isBlank()) {
      throw new IllegalArgumentException("finding message [] is blank; say what and where");
    }
  }

  /** Returns a finding of {@code code}, with the code's own severity. */
  public static BuilderFinding of(Code code, String message) {
    return new BuilderFinding(code.severity(), code, message);
  }

  /** Returns whether this finding stops the build (it is {@link Severity#CRITICAL}). */
  public boolean isBlocking() {
    return severity == Severity.CRITICAL;
  }

  /** Returns {@code SEVERITY CODE: message}. */
  @Override
  public String toString() {
    return severity + " " + code + ": " + message;
  }
}
