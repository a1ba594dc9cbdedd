package dev.kmsposture.aws.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Credentials of an assumed role that renew themselves: {@code sts:AssumeRole} again when the
 * session is within its refresh margin of expiring. A scanner whose own credentials are a role
 * session gets sessions by role chaining, which AWS limits to one hour (IAM User Guide, "Role
 * chaining"), so a long scan of a large account must renew them.
 *
 * <p>Expiry is read on the given clock, the one the scan runs on. Thread-safe: one renewal at a
 * time, every other thread keeps the session it has until then.
 */
public final class RoleCredentials implements AwsCredentialsProvider {
  private final StsClient sts;
  private final String roleArn;
  private final @Nullable String externalId;
  private final String sessionName;
  private final Duration duration;
  private final Duration margin;
  private final Clock clock;
  private final AtomicInteger sessions = new AtomicInteger();
  private @Nullable AwsSessionCredentials current;
  private Instant expiration = Instant.MIN;

  /**
   * Creates the provider; {@link #resolveCredentials()} assumes the role.
   *
   * @param duration the session length asked for (15 minutes to 1 hour)
   */
  public RoleCredentials(
      StsClient sts,
      String roleArn,
      @Nullable String externalId,
      String sessionName,
      Duration duration,
      Clock clock) {
    this.sts = Objects.requireNonNull(sts, "sts");
    this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
    this.externalId = externalId;
    this.sessionName = Objects.requireNonNull(sessionName, "sessionName");
    this.duration = Objects.requireNonNull(duration, "duration");
    // renew with a quarter of the session left (15 minutes of an hour), so a request signed just
    // before renewal still reaches AWS in time
    this.margin = duration.dividedBy(4);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The role's ARN. */
  public String roleArn() {
    return roleArn;
  }

  /** How many sessions were assumed so far (the first, then one per renewal). */
  public int sessions() {
    return sessions.get();
  }

  @Override
  public synchronized AwsCredentials resolveCredentials() {
    AwsSessionCredentials session = current;
    if (session == null || !clock.instant().isBefore(expiration.minus(margin))) {
      session = assume();
    }
    return session;
  }

  private AwsSessionCredentials assume() {
    AssumeRoleRequest.Builder request =
        AssumeRoleRequest.builder()
            .roleArn(roleArn)
            .roleSessionName(sessionName)
            .durationSeconds((int) duration.toSeconds());
    if (externalId != null) {
      request.externalId(externalId);
    }
    AssumeRoleResponse response = sts.assumeRole(request.build());
    Credentials c = response.credentials();
    if (c == null || c.accessKeyId() == null || c.secretAccessKey() == null) {
      throw new IllegalStateException(
          "sts:AssumeRole of [" + roleArn + "] answered without credentials");
    }
    AwsSessionCredentials session =
        AwsSessionCredentials.create(
            c.accessKeyId(), c.secretAccessKey(), c.sessionToken() == null ? "" : c.sessionToken());
    this.current = session;
    this.expiration = c.expiration() == null ? clock.instant().plus(duration) : c.expiration();
    sessions.incrementAndGet();
    return session;
  }
}
