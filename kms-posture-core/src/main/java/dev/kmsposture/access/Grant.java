package dev.kmsposture.access;

import static dev.kmsposture.internal.text.BuilderChecks.notBlank;
import static dev.kmsposture.internal.text.BuilderChecks.required;

import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.Collection;
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

  /**
   * Returns an empty builder; the grant id, the grantee principal and at least one operation are
   * required, and everything else starts absent or empty.
   *
   * <pre>{@code
   * Grant g = Grant.builder()
   *     .grantId(id).granteePrincipal("arn:aws:iam::111122223333:role/app")
   *     .addOperation("Decrypt").encryptionContextSubset(Map.of("app", "billing"))
   *     .build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this grant. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link Grant}. Setters reject blank text at once; {@link #build()} fails, naming the
   * setter, when the grant id or grantee is missing, and as the canonical constructor does when an
   * operation is not a grant operation, there is none, or both constraints are set. Not
   * thread-safe; the grants it builds are immutable.
   */
  public static final class Builder {
    private @Nullable String grantId;
    private @Nullable String name;
    private @Nullable String granteePrincipal;
    private @Nullable String retiringPrincipal;
    private final List<String> operations = new ArrayList<>();
    private Map<String, String> encryptionContextEquals = Map.of();
    private Map<String, String> encryptionContextSubset = Map.of();
    private @Nullable String issuingAccount;

    private Builder() {}

    private Builder(Grant g) {
      this.grantId = g.grantId;
      this.name = g.name;
      this.granteePrincipal = g.granteePrincipal;
      this.retiringPrincipal = g.retiringPrincipal;
      this.operations.addAll(g.operations);
      this.encryptionContextEquals = g.encryptionContextEquals;
      this.encryptionContextSubset = g.encryptionContextSubset;
      this.issuingAccount = g.issuingAccount;
    }

    /**
     * Sets the grant id.
     *
     * @throws IllegalArgumentException if the id is blank
     */
    public Builder grantId(String grantId) {
      this.grantId = notBlank(grantId, "grantId", "grant id", "the id CreateGrant returns");
      return this;
    }

    /** Sets the grant's name; null (the default) when it has none. */
    public Builder name(@Nullable String name) {
      this.name = name;
      return this;
    }

    /**
     * Sets the principal the grant allows: a user or role ARN, an account (root ARN or id), or a
     * service principal.
     *
     * @throws IllegalArgumentException if the principal is blank
     */
    public Builder granteePrincipal(String granteePrincipal) {
      this.granteePrincipal =
          notBlank(
              granteePrincipal,
              "granteePrincipal",
              "grantee principal",
              "an IAM ARN, an account or a service principal");
      return this;
    }

    /** Sets the principal that may retire the grant; null (the default) when nobody is named. */
    public Builder retiringPrincipal(@Nullable String retiringPrincipal) {
      this.retiringPrincipal = retiringPrincipal;
      return this;
    }

    /**
     * Replaces the grant operations, such as {@code Decrypt}; {@link #build()} checks that KMS
     * knows each as a grant operation.
     */
    public Builder operations(Collection<String> operations) {
      Objects.requireNonNull(operations, "operations");
      this.operations.clear();
      operations.forEach(this::addOperation);
      return this;
    }

    /** Appends one grant operation, such as {@code Decrypt}. */
    public Builder addOperation(String operation) {
      operations.add(Objects.requireNonNull(operation, "operation"));
      return this;
    }

    /**
     * Replaces the {@code EncryptionContextEquals} constraint; empty (the default) when none. At
     * most one of the two constraints may be set.
     */
    public Builder encryptionContextEquals(Map<String, String> constraint) {
      this.encryptionContextEquals =
          Map.copyOf(Objects.requireNonNull(constraint, "encryptionContextEquals"));
      return this;
    }

    /**
     * Replaces the {@code EncryptionContextSubset} constraint; empty (the default) when none. At
     * most one of the two constraints may be set.
     */
    public Builder encryptionContextSubset(Map<String, String> constraint) {
      this.encryptionContextSubset =
          Map.copyOf(Objects.requireNonNull(constraint, "encryptionContextSubset"));
      return this;
    }

    /** Sets the account that created the grant; null (the default) when unknown. */
    public Builder issuingAccount(@Nullable String issuingAccount) {
      this.issuingAccount = issuingAccount;
      return this;
    }

    /**
     * Returns the grant.
     *
     * @throws IllegalStateException if the grant id or the grantee principal is not set
     * @throws IllegalArgumentException if there is no operation, an operation is not a grant
     *     operation, or both encryption context constraints are set
     */
    public Grant build() {
      return new Grant(
          required("grant", grantId, "grant id", "grantId(...)"),
          name,
          required("grant", granteePrincipal, "grantee principal", "granteePrincipal(...)"),
          retiringPrincipal,
          operations,
          encryptionContextEquals,
          encryptionContextSubset,
          issuingAccount);
    }
  }
}
