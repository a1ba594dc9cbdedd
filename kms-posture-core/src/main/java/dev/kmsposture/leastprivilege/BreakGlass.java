package dev.kmsposture.leastprivilege;

import dev.kmsposture.policy.Principal;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How the key can be recovered when its named administrators are gone: the explicit break-glass
 * choice of a {@link KeyPolicyBuilder}.
 *
 * <ul>
 *   <li>{@link #none()} (the builder's default): no root statement; at least one administrator is
 *       then required, so that someone can still call {@code PutKeyPolicy};
 *   <li>{@link #rootRestrictedTo(String)}: the account root as principal — which delegates to IAM —
 *       limited with {@code ArnEquals aws:PrincipalArn} to one named break-glass role of the key's
 *       account, and only for the administration actions (no {@code kms:*}, no use). Because the
 *       condition compares the role's ARN as text, it keeps working when the role is deleted and
 *       re-created, whereas a role named as a principal is bound to the role's unique id;
 *   <li>{@link #awsDefault()}: the AWS default key policy statement, the account root with {@code
 *       kms:*}, which hands the key to every IAM policy in the account. Allowed, but the built
 *       policy carries one {@link BuilderFinding.Code#ROOT_DELEGATION} finding: for a production
 *       key it is weaker than the reference shape.
 * </ul>
 *
 * @param kind the choice
 * @param role the break-glass role ARN for {@link Kind#ROOT_RESTRICTED}, otherwise null
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html">Default
 *     key policy</a>
 */
public record BreakGlass(Kind kind, @Nullable String role) {

  /** The break-glass choices. */
  public enum Kind {
    /** No break-glass statement. */
    NONE,
    /** The account root, restricted to one role through {@code aws:PrincipalArn}. */
    ROOT_RESTRICTED,
    /** The AWS default: the account root with {@code kms:*}. */
    AWS_DEFAULT
  }

  /**
   * Checks that a role is given exactly for {@link Kind#ROOT_RESTRICTED} and that it is a role ARN.
   *
   * @throws IllegalArgumentException if not
   */
  public BreakGlass {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.ROOT_RESTRICTED) != (role != null)) {
      throw new IllegalArgumentException(
          String.format(
              "break-glass [%s] %s a role; only ROOT_RESTRICTED names one",
              kind, role == null ? "needs" : "cannot name"));
    }
    if (role != null && Principal.aws(role).kind() != Principal.AwsKind.ROLE) {
      throw new IllegalArgumentException(
          String.format(
              "break-glass role [%s] is not an IAM role ARN; expected"
                  + " arn:aws:iam::ACCOUNT:role/NAME",
              role));
    }
  }

  /** Returns the choice of no break-glass statement; the builder then requires an administrator. */
  public static BreakGlass none() {
    return new BreakGlass(Kind.NONE, null);
  }

  /**
   * Returns the choice of the account root restricted to {@code roleArn} with {@code
   * aws:PrincipalArn}, for the administration actions only.
   *
   * @param roleArn an IAM role of the key's account, such as {@code
   *     arn:aws:iam::111122223333:role/KmsBreakGlass}
   * @throws IllegalArgumentException if {@code roleArn} is not a role ARN
   */
  public static BreakGlass rootRestrictedTo(String roleArn) {
    Objects.requireNonNull(roleArn, "roleArn");
    return new BreakGlass(Kind.ROOT_RESTRICTED, roleArn);
  }

  /**
   * Returns the AWS default root delegation ({@code kms:*} to the account root). The built policy
   * carries a {@link BuilderFinding.Code#ROOT_DELEGATION} finding.
   */
  public static BreakGlass awsDefault() {
    return new BreakGlass(Kind.AWS_DEFAULT, null);
  }

  /** Returns the break-glass role, for {@link Kind#ROOT_RESTRICTED}. */
  public Optional<String> roleArn() {
    return Optional.ofNullable(role);
  }
}
