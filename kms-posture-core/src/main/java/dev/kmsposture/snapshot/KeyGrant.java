package dev.kmsposture.snapshot;

import static dev.kmsposture.internal.text.BuilderChecks.notBlank;
import static dev.kmsposture.internal.text.BuilderChecks.required;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A grant as {@code ListGrants} returns it.
 *
 * <p>The access model's {@link dev.kmsposture.access.Grant} is the other grant type, and both exist
 * because they promise different things: this record keeps what a snapshot recorded, as it was
 * recorded (any operation text, both constraints, the creation date), so that rules can judge it
 * and report it; {@code Grant} is what the evaluator runs on and accepts only what KMS would
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

  /**
   * Returns an empty builder; {@link Builder#grantId} and {@link Builder#granteePrincipal} are
   * required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this grant. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link KeyGrant}. Setters reject blank text at once; {@link #build()} fails when the
   * grant id or the grantee is missing. Not thread-safe; the grants it builds are immutable.
   */
  public static final class Builder {
    private @Nullable String grantId;
    private @Nullable String name;
    private @Nullable String granteePrincipal;
    private @Nullable String retiringPrincipal;
    private @Nullable String issuingAccount;
    private final List<String> operations = new ArrayList<>();
    private Map<String, String> encryptionContextEquals = Map.of();
    private Map<String, String> encryptionContextSubset = Map.of();
    private @Nullable Instant creationDate;

    private Builder() {}

    private Builder(KeyGrant g) {
      this.grantId = g.grantId;
      this.name = g.name;
      this.granteePrincipal = g.granteePrincipal;
      this.retiringPrincipal = g.retiringPrincipal;
      this.issuingAccount = g.issuingAccount;
      this.operations.addAll(g.operations);
      this.encryptionContextEquals = g.encryptionContextEquals;
      this.encryptionContextSubset = g.encryptionContextSubset;
      this.creationDate = g.creationDate;
    }

    /**
     * Sets the grant id, as {@code ListGrants} returns it.
     *
     * @throws IllegalArgumentException if the id is blank
     */
    public Builder grantId(String grantId) {
      this.grantId = notBlank(grantId, "grantId", "grant id", "the id ListGrants returns");
      return this;
    }

    /** Sets the grant's name; null (the default) when it has none. */
    public Builder name(@Nullable String name) {
      this.name = name;
      return this;
    }

    /**
     * Sets who the grant is for.
     *
     * @throws IllegalArgumentException if the principal is blank
     */
    public Builder granteePrincipal(String granteePrincipal) {
      this.granteePrincipal =
          notBlank(
              granteePrincipal,
              "granteePrincipal",
              "grantee principal",
              "an IAM ARN or a service principal");
      return this;
    }

    /** Sets who may retire the grant; null (the default) when nobody is named. */
    public Builder retiringPrincipal(@Nullable String retiringPrincipal) {
      this.retiringPrincipal = retiringPrincipal;
      return this;
    }

    /** Sets the account that created the grant (root ARN or id); null (the default) if unknown. */
    public Builder issuingAccount(@Nullable String issuingAccount) {
      this.issuingAccount = issuingAccount;
      return this;
    }

    /**
     * Replaces the grant operations, such as {@code Decrypt}.
     *
     * @throws IllegalArgumentException if an operation is blank
     */
    public Builder operations(Collection<String> operations) {
      Objects.requireNonNull(operations, "operations");
      this.operations.clear();
      operations.forEach(this::addOperation);
      return this;
    }

    /**
     * Appends one grant operation, such as {@code Decrypt}.
     *
     * @throws IllegalArgumentException if the operation is blank
     */
    public Builder addOperation(String operation) {
      operations.add(
          notBlank(operation, "operation", "grant operation", "an operation such as Decrypt"));
      return this;
    }

    /** Replaces the {@code EncryptionContextEquals} constraint; empty (the default) when none. */
    public Builder encryptionContextEquals(Map<String, String> constraint) {
      this.encryptionContextEquals =
          Map.copyOf(Objects.requireNonNull(constraint, "encryptionContextEquals"));
      return this;
    }

    /** Replaces the {@code EncryptionContextSubset} constraint; empty (the default) when none. */
    public Builder encryptionContextSubset(Map<String, String> constraint) {
      this.encryptionContextSubset =
          Map.copyOf(Objects.requireNonNull(constraint, "encryptionContextSubset"));
      return this;
    }

    /** Sets when the grant was created; null (the default) when unknown. */
    public Builder creationDate(@Nullable Instant creationDate) {
      this.creationDate = creationDate;
      return this;
    }

    /**
     * Returns the grant.
     *
     * @throws IllegalStateException if the grant id or the grantee principal is not set
     */
    public KeyGrant build() {
      return new KeyGrant(
          required("grant", grantId, "grant id", "grantId(...)"),
          name,
          required("grant", granteePrincipal, "grantee principal", "granteePrincipal(...)"),
          retiringPrincipal,
          issuingAccount,
          operations,
          encryptionContextEquals,
          encryptionContextSubset,
          creationDate);
    }
  }
}
