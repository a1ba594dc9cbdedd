package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.kms.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;

/**
 * What AWS knows about a caller's principal, as STS {@code GetCallerIdentity} and CloudTrail's
 * {@code userIdentity} show it: its kind, the unique id AWS gives it ({@code AIDA…} for users,
 * {@code AROA…} for roles), and its names.
 *
 * <p>Unique ids are derived from the ARN, so STS and CloudTrail agree on them and they are the same
 * in every run.
 *
 * @param caller the caller
 * @param kind the principal's kind
 * @param partition the ARN partition, such as {@code aws}
 * @param name the user or role name, the empty string for the root user
 * @param roleArn for roles and assumed-role sessions, the role's IAM ARN; otherwise empty
 * @param sessionName for assumed-role sessions, the session name; otherwise empty
 */
public record CallerIdentity(
    Caller caller, Kind kind, String partition, String name, String roleArn, String sessionName) {

  /** The kinds of principal a caller can be. */
  public enum Kind {
    /** The account's root user, {@code arn:aws:iam::A:root}. */
    ROOT,
    /** An IAM user. */
    IAM_USER,
    /** An IAM role used directly (a test mapping; AWS callers are always sessions). */
    ROLE,
    /** An assumed-role session, {@code arn:aws:sts::A:assumed-role/R/S}. */
    ASSUMED_ROLE,
    /** Any other IAM or STS principal (federated users, …). */
    OTHER
  }

  /** Checks for nulls. */
  public CallerIdentity {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(sessionName, "sessionName");
  }

  /** Reads the identity from {@code caller}'s principal ARN. */
  public static CallerIdentity of(Caller caller) {
    String arn = caller.principalArn();
    // arn:partition:service::account:resource; Caller has already checked the shape
    String[] parts = arn.split(":", 6);
    String partition = parts[1];
    String service = parts[2];
    String account = parts[4];
    String resource = parts.length > 5 ? parts[5] : "";
    if (service.equals("iam") && resource.equals("root")) {
      return new CallerIdentity(caller, Kind.ROOT, partition, "", "", "");
    }
    if (service.equals("iam") && resource.startsWith("user/")) {
      return new CallerIdentity(caller, Kind.IAM_USER, partition, lastSegment(resource), "", "");
    }
    if (service.equals("iam") && resource.startsWith("role/")) {
      return new CallerIdentity(caller, Kind.ROLE, partition, lastSegment(resource), arn, "");
    }
    if (service.equals("sts") && resource.startsWith("assumed-role/")) {
      String[] session = resource.split("/", -1);
      if (session.length >= 3) {
        String role = session[1];
        return new CallerIdentity(
            caller,
            Kind.ASSUMED_ROLE,
            partition,
            role,
            String.format("arn:%s:iam::%s:role/%s", partition, account, role),
            session[session.length - 1]);
      }
    }
    return new CallerIdentity(caller, Kind.OTHER, partition, lastSegment(resource), "", "");
  }

  private static String lastSegment(String resource) {
    int slash = resource.lastIndexOf('/');
    return slash < 0 ? resource : resource.substring(slash + 1);
  }

  /** The account id of the caller. */
  public String accountId() {
    return caller.account().value();
  }

  /**
   * The principal id: the account id for the root user, {@code AIDA…} for users, {@code AROA…} for
   * roles, {@code AROA…:session} for assumed-role sessions.
   */
  public String principalId() {
    return switch (kind) {
      case ROOT -> accountId();
      case IAM_USER -> uniqueId("AIDA", caller.principalArn());
      case ROLE -> uniqueId("AROA", roleArn);
      case ASSUMED_ROLE -> uniqueId("AROA", roleArn) + ":" + sessionName;
      case OTHER -> uniqueId("AIDA", caller.principalArn());
    };
  }

  /** The user name CloudTrail's event history shows: {@code root}, the user, or the session. */
  public String userName() {
    return switch (kind) {
      case ROOT -> "root";
      case ASSUMED_ROLE -> sessionName;
      case IAM_USER, ROLE, OTHER -> name;
    };
  }

  /** CloudTrail's {@code userIdentity} object for a call this caller made. */
  public ObjectNode userIdentityJson(Instant sessionCreated) {
    ObjectNode identity = JsonNodeFactory.instance.objectNode();
    switch (kind) {
      case ROOT -> identity.put("type", "Root");
      case IAM_USER, OTHER -> identity.put("type", "IAMUser");
      case ROLE, ASSUMED_ROLE -> identity.put("type", "AssumedRole");
    }
    identity.put("principalId", principalId());
    identity.put("arn", caller.principalArn());
    identity.put("accountId", accountId());
    if (kind == Kind.IAM_USER || kind == Kind.OTHER) {
      identity.put("userName", name);
    }
    if (kind == Kind.ROLE || kind == Kind.ASSUMED_ROLE) {
      ObjectNode context = identity.putObject("sessionContext");
      ObjectNode issuer = context.putObject("sessionIssuer");
      issuer.put("type", "Role");
      issuer.put("principalId", uniqueId("AROA", roleArn));
      issuer.put("arn", roleArn);
      issuer.put("accountId", accountId());
      issuer.put("userName", name);
      ObjectNode attributes = context.putObject("attributes");
      attributes.put("creationDate", sessionCreated.toString());
      attributes.put("mfaAuthenticated", "false");
    }
    return identity;
  }

  /**
   * An AWS-style unique id: {@code prefix} and 17 characters of {@code [A-Z2-7]} derived from
   * {@code seed}, 21 characters in all like IAM's ids.
   */
  public static String uniqueId(String prefix, String seed) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("bug in kms-posture: SHA-256 is missing from the JDK", e);
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; id.length() < prefix.length() + 17; i++) {
      id.append(alphabet.charAt((digest[i] & 0xff) % alphabet.length()));
    }
    return id.toString();
  }
}
