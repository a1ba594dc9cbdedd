package dev.kmsposture.testkit.kms;

import dev.kmsposture.policy.AccountId;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A fault the embedded KMS (or one of its companions) injects into matching requests: throttling, a
 * service error, added latency, or a failure after the change was made. Immutable: every {@code
 * for…}/{@code with…} method returns a new fault.
 *
 * <pre>{@code
 * LocalKms kms = LocalKms.builder()
 *     .faultSeed(42)
 *     .fault(Fault.throttling().forOperations("Decrypt").withProbability(0.25))
 *     .fault(Fault.errorAfterCommit().forOperations("CreateKey").times(1))
 *     .build();
 * }</pre>
 *
 * <p>By default a fault matches every request to service {@code kms}, every time. Whether a request
 * with probability below 1 is hit is decided by the {@link Faults#reseed(long) seed}, the fault and
 * how many matching requests it has seen, so the same sequence of requests meets the same faults in
 * every run.
 */
public final class Fault {
  /** What a fault does to the request it hits. */
  public enum Kind {
    /** Refuses the request with {@code ThrottlingException} (HTTP 400), as KMS throttles. */
    THROTTLING,
    /** Refuses the request with a service error (HTTP 5xx); the SDK retries it. */
    SERVICE_ERROR,
    /** Delays the request, then lets it through. */
    LATENCY,
    /** Lets the service make the change, then answers with an error instead of its result. */
    ERROR_AFTER_COMMIT,
    /**
     * Lets the service make the change, then never answers: the connection is dropped after a hold
     * (in-process, the SDK sees a read timeout).
     */
    TIMEOUT_AFTER_COMMIT
  }

  private final Kind kind;
  private final String service;
  private final Set<String> operations;
  private final Set<AccountId> accounts;
  private final Set<String> regions;
  private final double probability;
  private final long maxTimes;
  private final int httpStatus;
  private final String errorCode;
  private final String errorMessage;
  private final Duration minDelay;
  private final Duration maxDelay;

  private Fault(
      Kind kind,
      String service,
      Set<String> operations,
      Set<AccountId> accounts,
      Set<String> regions,
      double probability,
      long maxTimes,
      int httpStatus,
      String errorCode,
      String errorMessage,
      Duration minDelay,
      Duration maxDelay) {
    this.kind = kind;
    this.service = service;
    this.operations = Set.copyOf(operations);
    this.accounts = Set.copyOf(accounts);
    this.regions = Set.copyOf(regions);
    this.probability = probability;
    this.maxTimes = maxTimes;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.minDelay = minDelay;
    this.maxDelay = maxDelay;
  }

  private static Fault of(Kind kind, int status, String code, String message, Duration delay) {
    return new Fault(
        kind,
        "kms",
        Set.of(),
        Set.of(),
        Set.of(),
        1.0,
        Long.MAX_VALUE,
        status,
        code,
        message,
        delay,
        delay);
  }

  /**
   * Throttling: {@code ThrottlingException}, HTTP 400, with the message the service uses ("You have
   * exceeded the rate at which you may call KMS. Reduce the frequency of your calls." for KMS; STS
   * answers {@code Throttling} and Organizations {@code TooManyRequestsException}).
   */
  public static Fault throttling() {
    return of(Kind.THROTTLING, 400, "", "", Duration.ZERO);
  }

  /**
   * A service fault: HTTP 500 with the service's internal error ({@code KMSInternalException} for
   * KMS, {@code InternalFailure} for the companions).
   */
  public static Fault serviceError() {
    return of(Kind.SERVICE_ERROR, 500, "", "", Duration.ZERO);
  }

  /**
   * A service fault with the given status, error code and message, such as {@code 503,
   * "DependencyTimeoutException", "The service is unavailable"}.
   *
   * @throws IllegalArgumentException if {@code httpStatus} is not 5xx or the code is blank
   */
  public static Fault serviceError(int httpStatus, String errorCode, String message) {
    if (httpStatus < 500 || httpStatus > 599) {
      throw new IllegalArgumentException(
          String.format("service error status [%d] is not 5xx; use 500-599", httpStatus));
    }
    return of(Kind.SERVICE_ERROR, httpStatus, requireCode(errorCode), message, Duration.ZERO);
  }

  /**
   * Added latency: the request waits {@code delay} (wall-clock time), then proceeds.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static Fault latency(Duration delay) {
    return latency(delay, delay);
  }

  /**
   * Added latency between {@code min} and {@code max}, chosen per request from the seed.
   *
   * @throws IllegalArgumentException if a delay is negative or {@code max} is below {@code min}
   */
  public static Fault latency(Duration min, Duration max) {
    requireNonNegative(min, "min");
    requireNonNegative(max, "max");
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          String.format("latency max [%s] is below min [%s]", max, min));
    }
    Fault fault = of(Kind.LATENCY, 0, "", "", min);
    return fault.copy(
        fault.service,
        fault.operations,
        fault.accounts,
        fault.regions,
        fault.probability,
        fault.maxTimes,
        min,
        max);
  }

  /**
   * Fail after commit: the service makes the change, then the answer is HTTP 500 with the service's
   * internal error. A client that retries repeats a change that was already made.
   */
  public static Fault errorAfterCommit() {
    return of(Kind.ERROR_AFTER_COMMIT, 500, "", "", Duration.ZERO);
  }

  /**
   * Fail after commit with the given status (4xx or 5xx), error code and message.
   *
   * @throws IllegalArgumentException if {@code httpStatus} is not 4xx or 5xx or the code is blank
   */
  public static Fault errorAfterCommit(int httpStatus, String errorCode, String message) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException(
          String.format("error status [%d] is not 4xx or 5xx; use 400-599", httpStatus));
    }
    return of(Kind.ERROR_AFTER_COMMIT, httpStatus, requireCode(errorCode), message, Duration.ZERO);
  }

  /**
   * Time out after commit: the service makes the change, the answer is held for {@code hold}
   * (wall-clock time), then the connection is dropped unanswered. In-process, the SDK sees a {@code
   * SocketTimeoutException} after the hold.
   *
   * @throws IllegalArgumentException if {@code hold} is negative
   */
  public static Fault timeoutAfterCommit(Duration hold) {
    requireNonNegative(hold, "hold");
    return of(Kind.TIMEOUT_AFTER_COMMIT, 0, "", "", hold);
  }

  /**
   * Returns this fault for requests to {@code service} instead: {@code kms} (the default), {@code
   * cloudtrail}, {@code sts} or {@code organizations}.
   *
   * @throws IllegalArgumentException for another service
   */
  public Fault forService(String service) {
    Objects.requireNonNull(service, "service");
    String name = service.toLowerCase(Locale.ROOT);
    if (!List.of("kms", "cloudtrail", "sts", "organizations").contains(name)) {
      throw new IllegalArgumentException(
          String.format(
              "service [%s] is not emulated; use kms, cloudtrail, sts or organizations", service));
    }
    return copy(name, operations, accounts, regions, probability, maxTimes, minDelay, maxDelay);
  }

  /**
   * Returns this fault for the given operations only (as AWS spells them, such as {@code Decrypt});
   * with none, for every operation.
   */
  public Fault forOperations(String... operations) {
    Set<String> names = new LinkedHashSet<>();
    for (String operation : operations) {
      Objects.requireNonNull(operation, "operation");
      if (operation.isBlank()) {
        throw new IllegalArgumentException("operation name [] is blank; use names like Decrypt");
      }
      names.add(operation);
    }
    return copy(service, names, accounts, regions, probability, maxTimes, minDelay, maxDelay);
  }

  /** Returns this fault for requests made by callers of the given accounts only. */
  public Fault forAccounts(AccountId... accounts) {
    Set<AccountId> ids = new LinkedHashSet<>(Arrays.asList(accounts));
    ids.forEach(id -> Objects.requireNonNull(id, "account"));
    return copy(service, operations, ids, regions, probability, maxTimes, minDelay, maxDelay);
  }

  /** Returns this fault for requests to the given Regions only, such as {@code us-east-1}. */
  public Fault forRegions(String... regions) {
    Set<String> names = new LinkedHashSet<>();
    for (String region : regions) {
      names.add(Objects.requireNonNull(region, "region").toLowerCase(Locale.ROOT));
    }
    return copy(service, operations, accounts, names, probability, maxTimes, minDelay, maxDelay);
  }

  /**
   * Returns this fault hitting each matching request with {@code probability} (the rate of faulted
   * requests), decided deterministically from the seed.
   *
   * @throws IllegalArgumentException unless {@code 0 < probability <= 1}
   */
  public Fault withProbability(double probability) {
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          String.format("probability [%s] is not in (0, 1]", probability));
    }
    return copy(service, operations, accounts, regions, probability, maxTimes, minDelay, maxDelay);
  }

  /**
   * Returns this fault hitting at most {@code times} requests, then none (for "fail twice, then
   * succeed").
   *
   * @throws IllegalArgumentException if {@code times} is below 1
   */
  public Fault times(long times) {
    if (times < 1) {
      throw new IllegalArgumentException(String.format("times [%d] is below 1", times));
    }
    return copy(service, operations, accounts, regions, probability, times, minDelay, maxDelay);
  }

  private Fault copy(
      String service,
      Set<String> operations,
      Set<AccountId> accounts,
      Set<String> regions,
      double probability,
      long maxTimes,
      Duration minDelay,
      Duration maxDelay) {
    return new Fault(
        kind,
        service,
        operations,
        accounts,
        regions,
        probability,
        maxTimes,
        httpStatus,
        errorCode,
        errorMessage,
        minDelay,
        maxDelay);
  }

  private static String requireCode(String code) {
    Objects.requireNonNull(code, "errorCode");
    if (code.isBlank()) {
      throw new IllegalArgumentException("error code [] is blank; use a code such as KMSInternal");
    }
    return code;
  }

  private static void requireNonNegative(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          String.format("%s [%s] is negative; use a duration of zero or more", name, duration));
    }
  }

  /** What this fault does. */
  public Kind kind() {
    return kind;
  }

  /** The service whose requests it matches; see {@link #forService(String)}. */
  public String service() {
    return service;
  }

  /** The operations it matches, or empty for all; see {@link #forOperations(String...)}. */
  public Set<String> operations() {
    return operations;
  }

  /** The callers' accounts it matches, or empty for all; see {@link #forAccounts}. */
  public Set<AccountId> accounts() {
    return accounts;
  }

  /** The Regions it matches, or empty for all; see {@link #forRegions(String...)}. */
  public Set<String> regions() {
    return regions;
  }

  /** The probability of hitting a matching request; see {@link #withProbability(double)}. */
  public double probability() {
    return probability;
  }

  /** How many requests it hits at most ({@code Long.MAX_VALUE}: no limit); see {@link #times}. */
  public long maxTimes() {
    return maxTimes;
  }

  /** The HTTP status of the error it answers with, or 0 for latency and timeouts. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The error code it answers with, or empty for the service's default. */
  public String errorCode() {
    return errorCode;
  }

  /** The error message it answers with, or empty for the service's default. */
  public String errorMessage() {
    return errorMessage;
  }

  /** The shortest added delay (latency) or the hold (timeout after commit). */
  public Duration minDelay() {
    return minDelay;
  }

  /** The longest added delay (latency) or the hold (timeout after commit). */
  public Duration maxDelay() {
    return maxDelay;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Fault that
        && kind == that.kind
        && service.equals(that.service)
        && operations.equals(that.operations)
        && accounts.equals(that.accounts)
        && regions.equals(that.regions)
        && Double.compare(probability, that.probability) == 0
        && maxTimes == that.maxTimes
        && httpStatus == that.httpStatus
        && errorCode.equals(that.errorCode)
        && errorMessage.equals(that.errorMessage)
        && minDelay.equals(that.minDelay)
        && maxDelay.equals(that.maxDelay);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        kind, service, operations, accounts, regions, probability, maxTimes, httpStatus, errorCode);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Fault[").append(kind).append(" on ").append(service);
    if (!operations.isEmpty()) {
      text.append(' ').append(operations);
    }
    if (!accounts.isEmpty()) {
      text.append(" accounts ").append(accounts);
    }
    if (!regions.isEmpty()) {
      text.append(" regions ").append(regions);
    }
    if (probability < 1) {
      text.append(" p=").append(probability);
    }
    if (maxTimes != Long.MAX_VALUE) {
      text.append(" times=").append(maxTimes);
    }
    if (!errorCode.isEmpty()) {
      text.append(' ').append(httpStatus).append(' ').append(errorCode);
    }
    if (!minDelay.isZero() || !maxDelay.isZero()) {
      text.append(" delay=").append(minDelay);
      if (!maxDelay.equals(minDelay)) {
        text.append("..").append(maxDelay);
      }
    }
    return text.append(']').toString();
  }
}
