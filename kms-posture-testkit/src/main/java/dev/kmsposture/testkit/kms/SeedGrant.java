package dev.kmsposture.testkit.kms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A grant that a seeded key already has, as {@code ListGrants} will list it.
 *
 * <pre>{@code
 * SeedGrant grant = SeedGrant.builder()
 *     .granteePrincipal("arn:aws:iam::123456789012:role/app")
 *     .addOperation("Decrypt")
 *     .putEncryptionContextSubset("Department", "IT")
 *     .build();
 * }</pre>
 *
 * <p>Immutable; the builder is not thread-safe.
 */
public final class SeedGrant {
  private static final Pattern GRANT_ID = Pattern.compile("[0-9a-f]{64}");

  private final @Nullable String grantId;
  private final @Nullable String name;
  private final String granteePrincipal;
  private final @Nullable String retiringPrincipal;
  private final List<String> operations;
  private final Map<String, String> encryptionContextEquals;
  private final Map<String, String> encryptionContextSubset;
  private final @Nullable String issuingAccount;
  private final @Nullable Instant creationDate;

  private SeedGrant(Builder b) {
    this.grantId = b.grantId;
    this.name = b.name;
    this.granteePrincipal = Objects.requireNonNull(b.granteePrincipal);
    this.retiringPrincipal = b.retiringPrincipal;
    this.operations = List.copyOf(b.operations);
    this.encryptionContextEquals = Collections.unmodifiableMap(new TreeMap<>(b.equals));
    this.encryptionContextSubset = Collections.unmodifiableMap(new TreeMap<>(b.subset));
    this.issuingAccount = b.issuingAccount;
    this.creationDate = b.creationDate;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The grant id; see {@link Builder#grantId}. */
  public Optional<String> grantId() {
    return Optional.ofNullable(grantId);
  }

  /** The grant's name; see {@link Builder#name}. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The grantee; see {@link Builder#granteePrincipal}. */
  public String granteePrincipal() {
    return granteePrincipal;
  }

  /** The retiring principal; see {@link Builder#retiringPrincipal}. */
  public Optional<String> retiringPrincipal() {
    return Optional.ofNullable(retiringPrincipal);
  }

  /** The grant operations; see {@link Builder#operations}. */
  public List<String> operations() {
    return operations;
  }

  /** The EncryptionContextEquals constraint, empty when absent. */
  public Map<String, String> encryptionContextEquals() {
    return encryptionContextEquals;
  }

  /** The EncryptionContextSubset constraint, empty when absent. */
  public Map<String, String> encryptionContextSubset() {
    return encryptionContextSubset;
  }

  /** The issuing account; see {@link Builder#issuingAccount}. */
  public Optional<String> issuingAccount() {
    return Optional.ofNullable(issuingAccount);
  }

  /** The creation date; see {@link Builder#creationDate}. */
  public Optional<Instant> creationDate() {
    return Optional.ofNullable(creationDate);
  }

  @Override
  public String toString() {
    return "SeedGrant[" + granteePrincipal + " " + operations + "]";
  }

  /** Builds a {@link SeedGrant}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String grantId;
    private @Nullable String name;
    private @Nullable String granteePrincipal;
    private @Nullable String retiringPrincipal;
    private final List<String> operations = new ArrayList<>();
    private final Map<String, String> equals = new TreeMap<>();
    private final Map<String, String> subset = new TreeMap<>();
    private @Nullable String issuingAccount;
    private @Nullable Instant creationDate;

    private Builder() {}

    /**
     * Sets the grant id (64 lower-case hex digits); a random one by default.
     *
     * @throws IllegalArgumentException if the id is not 64 hex digits
     */
    public Builder grantId(String grantId) {
      Objects.requireNonNull(grantId, "grantId");
      if (!GRANT_ID.matcher(grantId).matches()) {
        throw new IllegalArgumentException(
            String.format(
                "grant id [%s] is not valid; expected 64 lower-case hex digits", grantId));
      }
      this.grantId = grantId;
      return this;
    }

    /** Sets the grant's name (1–256 characters of {@code [a-zA-Z0-9:/_-]}). */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[a-zA-Z0-9:/_-]{1,256}")) {
        throw new IllegalArgumentException(
            String.format(
                "grant name [%s] is not valid; expected 1 to 256 characters of a-z A-Z 0-9 : / _ -",
                name));
      }
      this.name = name;
      return this;
    }

    /** Sets the grantee: the ARN of an account root, user, role or assumed-role session. */
    public Builder granteePrincipal(String granteePrincipal) {
      this.granteePrincipal = requireArn("grantee principal", granteePrincipal);
      return this;
    }

    /** Sets the principal that may retire the grant. */
    public Builder retiringPrincipal(String retiringPrincipal) {
      this.retiringPrincipal = requireArn("retiring principal", retiringPrincipal);
      return this;
    }

    /** Replaces the grant operations (such as {@code Decrypt}, {@code GenerateDataKey}). */
    public Builder operations(Collection<String> operations) {
      this.operations.clear();
      operations.forEach(this::addOperation);
      return this;
    }

    /** Adds a grant operation (such as {@code Decrypt}). The key's spec decides which are valid. */
    public Builder addOperation(String operation) {
      Objects.requireNonNull(operation, "operation");
      this.operations.add(operation);
      return this;
    }

    /** Adds a pair to the EncryptionContextEquals constraint. */
    public Builder putEncryptionContextEquals(String key, String value) {
      equals.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds a pair to the EncryptionContextSubset constraint. */
    public Builder putEncryptionContextSubset(String key, String value) {
      subset.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets the account that created the grant (a 12-digit id); the key's account by default.
     *
     * @throws IllegalArgumentException if it is not 12 digits
     */
    public Builder issuingAccount(String account) {
      Objects.requireNonNull(account, "account");
      if (!account.matches("\\d{12}")) {
        throw new IllegalArgumentException(
            String.format("issuing account [%s] is not a 12-digit account id", account));
      }
      this.issuingAccount = account;
      return this;
    }

    /** Sets when the grant was created; the key's creation date by default. */
    public Builder creationDate(Instant creationDate) {
      this.creationDate = Objects.requireNonNull(creationDate, "creationDate");
      return this;
    }

    /**
     * Builds the grant.
     *
     * @throws IllegalStateException if the grantee or the operations are missing, or both
     *     encryption-context constraints are set (KMS accepts one kind per grant)
     */
    public SeedGrant build() {
      if (granteePrincipal == null) {
        throw new IllegalStateException("grantee principal is not set");
      }
      if (operations.isEmpty()) {
        throw new IllegalStateException("grant operations are not set; name at least one");
      }
      if (!equals.isEmpty() && !subset.isEmpty()) {
        throw new IllegalStateException(
            "encryptionContextEquals and encryptionContextSubset cannot both be set");
      }
      return new SeedGrant(this);
    }

    private static String requireArn(String what, String value) {
      Objects.requireNonNull(value, what);
      if (!value.matches("arn:aws[a-z-]*:(iam|sts)::\\d{12}:.+")) {
        throw new IllegalArgumentException(
            String.format(
                "%s [%s] is not a principal ARN; expected arn:aws:iam::<account>:root, :role/...,"
                    + " :user/... or an sts assumed-role ARN",
                what, value));
      }
      return value;
    }
  }
}
