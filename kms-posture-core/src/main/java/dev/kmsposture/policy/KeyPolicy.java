package dev.kmsposture.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

/**
 * An AWS KMS key policy: an immutable, lossless model of the JSON document.
 *
 * <p>{@link #parse(String)} is strict: it rejects what KMS rejects (malformed JSON, duplicate keys,
 * a document over 32,768 bytes, characters KMS does not accept, an unknown Version, a missing
 * Effect or Principal, both Action and NotAction, …) with a {@link PolicyParseException} that
 * carries a JSON Pointer. What KMS accepts but is wrong or risky — a statement without Action, an
 * empty condition-value list, a missing Version, Allow with NotPrincipal, an unknown {@code kms:}
 * action — is kept as written and reported by {@link #validate()}.
 *
 * <pre>{@code
 * KeyPolicy policy = KeyPolicy.parse(json);
 * for (PolicyIssue issue : policy.validate()) {
 *   System.out.println(issue);
 * }
 * String canonical = policy.toJson();
 * }</pre>
 *
 * <p>{@link #toJson()} writes a canonical form and {@code parse(p.toJson())} equals {@code p}. The
 * record's {@code equals} is structural; {@link #isEquivalentTo(KeyPolicy)} compares meaning.
 * Instances are immutable and thread-safe.
 *
 * @param version the {@code Version} element, or null when the document has none (never filled in:
 *     without a Version, policy variables are literal text)
 * @param id the {@code Id} element, or null when absent
 * @param statements the statements in document order, never empty
 * @param statementArray whether the document wrote {@code Statement} as an array (rather than one
 *     object)
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html">Key
 *     policies in AWS KMS</a>
 */
public record KeyPolicy(
    @Nullable PolicyVersion version,
    @Nullable String id,
    List<Statement> statements,
    boolean statementArray) {

  /** The KMS key policy size limit, in bytes of UTF-8 text. */
  public static final int MAX_BYTES = PolicyReader.MAX_POLICY_BYTES;

  /** Copies the statements and checks that there is at least one. */
  public KeyPolicy {
    statements = List.copyOf(statements);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("a key policy needs at least one statement");
    }
    if (!statementArray && statements.size() != 1) {
      throw new IllegalArgumentException(
          "Statement written as a single object holds exactly one statement");
    }
  }

  /**
   * Parses a key-policy document strictly and losslessly.
   *
   * <p>The raw text must be at most 32,768 bytes as UTF-8 and may contain only tab, LF, CR and
   * U+0020 to U+00FF (the KMS {@code Policy} parameter pattern). A {@code \}{@code uXXXX} escape
   * inside a string may stand for any character: KMS checks the raw text, so it accepts the escape;
   * the model keeps the decoded character and {@link #toJson()} writes it back as an escape.
   *
   * @param json the policy document
   * @return the policy
   * @throws PolicyParseException if KMS would reject the document, or it cannot be read without
   *     losing meaning; the exception says where (a JSON Pointer) and what was expected
   */
  public static KeyPolicy parse(String json) {
    Objects.requireNonNull(json, "json");
    return PolicyReader.read(json);
  }

  /**
   * Converts an SDK {@link IamPolicy} by writing it with the SDK and reading the result strictly.
   *
   * @throws PolicyParseException if the SDK policy is not a valid key policy (for example a
   *     statement without a principal, an Effect other than Allow or Deny, or both Action and
   *     NotAction)
   */
  public static KeyPolicy from(IamPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return parse(policy.toJson());
  }

  /**
   * Returns this policy as an SDK {@link IamPolicy}, for interchange.
   *
   * @throws IllegalStateException if the SDK model cannot carry this policy's meaning: it drops
   *     empty condition-value lists (which would widen an Allow or disable a Deny), and it always
   *     writes Version {@code 2012-10-17}, so a policy without a Version is refused (filling one in
   *     would turn literal {@code ${…}} text into policy variables)
   */
  public IamPolicy iamPolicy() {
    return IamInterchange.toIamPolicy(this);
  }

  /** Returns a builder for a new policy; the Version defaults to {@code 2012-10-17}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this policy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns the first statement whose Sid is {@code sid}. */
  public Optional<Statement> statement(String sid) {
    Objects.requireNonNull(sid, "sid");
    for (Statement s : statements) {
      if (sid.equals(s.sid())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the JSON Pointer of statement {@code index}: {@code /Statement/i}, or {@code
   * /Statement} for a single object.
   */
  public String pointerOf(int index) {
    Objects.checkIndex(index, statements.size());
    return statementArray ? "/Statement/" + index : "/Statement";
  }

  /** Returns the canonical JSON form, indented by two spaces and ending in a newline. */
  public String toJson() {
    return PolicyWriter.pretty(this);
  }

  /** Returns the canonical JSON form without whitespace. */
  public String toCompactJson() {
    return PolicyWriter.compact(this);
  }

  /**
   * Returns the size of {@link #toCompactJson()} in UTF-8 bytes, to compare with {@link
   * #MAX_BYTES}.
   */
  public long compactSize() {
    return PolicyReader.utf8Length(toCompactJson());
  }

  /**
   * Returns whether this policy means the same as {@code other}. Statement order, duplicate
   * statements, Sids, the Id, value order, scalar versus array, {@code "*"} versus {@code {"AWS":
   * "*"}}, an account id versus its root ARN, and the letter case of actions and condition keys are
   * ignored; a missing Version counts as {@code 2008-10-17}.
   */
  public boolean isEquivalentTo(KeyPolicy other) {
    Objects.requireNonNull(other, "other");
    return Equivalence.policyKey(this).equals(Equivalence.policyKey(other));
  }

  /**
   * Returns what KMS accepts in this policy but is wrong or risky, in document order. Resource
   * values other than {@code *} are reported unless they could name a KMS key.
   */
  public List<PolicyIssue> validate() {
    return PolicyValidator.validate(this, null);
  }

  /**
   * Returns what KMS accepts in this policy but is wrong or risky, judging {@code Resource} values
   * against the ARN of the key the policy is attached to.
   *
   * @param keyArn the key's ARN, such as {@code arn:aws:kms:us-east-1:111122223333:key/1234abcd-…}
   */
  public List<PolicyIssue> validate(String keyArn) {
    Objects.requireNonNull(keyArn, "keyArn");
    return PolicyValidator.validate(this, keyArn);
  }

  /** Returns the compact canonical JSON. */
  @Override
  public String toString() {
    return toCompactJson();
  }

  /** Builds a {@link KeyPolicy}. Not thread-safe. */
  public static final class Builder {
    private @Nullable PolicyVersion version = PolicyVersion.V2012_10_17;
    private @Nullable String id;
    private final List<Statement> statements = new ArrayList<>();

    private Builder() {}

    private Builder(KeyPolicy p) {
      this.version = p.version();
      this.id = p.id();
      this.statements.addAll(p.statements());
    }

    /**
     * Sets the Version; {@code 2012-10-17} by default, the secure choice. Null writes no Version.
     */
    public Builder version(@Nullable PolicyVersion version) {
      this.version = version;
      return this;
    }

    /** Sets the policy Id. */
    public Builder id(@Nullable String id) {
      this.id = id;
      return this;
    }

    /** Replaces the statements. */
    public Builder statements(Collection<Statement> statements) {
      this.statements.clear();
      this.statements.addAll(statements);
      return this;
    }

    /** Appends a statement. */
    public Builder addStatement(Statement statement) {
      statements.add(Objects.requireNonNull(statement, "statement"));
      return this;
    }

    /** Appends a statement written inline. */
    public Builder addStatement(Consumer<Statement.Builder> statement) {
      Statement.Builder b = Statement.builder();
      statement.accept(b);
      return addStatement(b.build());
    }

    /**
     * Builds the policy; {@code Statement} is written as an array.
     *
     * @throws IllegalStateException if no statement was added
     */
    public KeyPolicy build() {
      if (statements.isEmpty()) {
        throw new IllegalStateException("no statement is set; a key policy needs at least one");
      }
      return new KeyPolicy(version, id, statements, true);
    }
  }
}
