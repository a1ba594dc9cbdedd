package dev.kmsposture.testkit.internal.wire;

import dev.kmsposture.testkit.kms.Fault;
import dev.kmsposture.testkit.kms.InjectedFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Decides which {@link Fault}s hit a call. Deterministic: whether the n-th call matching a fault is
 * hit depends only on the seed, the fault's position in the order faults were added, and n — so a
 * test that makes the same calls meets the same faults, whatever other calls interleave.
 *
 * <p>Thread-safe.
 */
public final class FaultInjector {
  private static final String KMS_THROTTLING =
      "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.";

  private static final class Rule {
    final Fault fault;
    final long id;
    final AtomicLong seen = new AtomicLong();
    final AtomicLong hits = new AtomicLong();

    Rule(Fault fault, long id) {
      this.fault = fault;
      this.id = id;
    }
  }

  /**
   * What happens to one call: a delay before it runs, an error instead of running it, or an error
   * or dropped answer after it ran.
   *
   * @param delay wall-clock delay before the call runs
   * @param refusal the error to answer instead of running the call, or null
   * @param errorAfterCommit the error to answer after the call ran, or null
   * @param timeoutAfterCommit the hold before dropping the answer after the call ran, or null
   */
  public record Decision(
      Duration delay,
      @Nullable AwsServiceError refusal,
      @Nullable AwsServiceError errorAfterCommit,
      @Nullable Duration timeoutAfterCommit) {
    static final Decision NONE = new Decision(Duration.ZERO, null, null, null);
  }

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<InjectedFault> injected = new ArrayList<>();
  private final AtomicLong nextId = new AtomicLong();
  private volatile long seed;

  /** Creates an injector without faults. */
  public FaultInjector(long seed) {
    this.seed = seed;
  }

  /** Adds {@code fault} after the others. */
  public void add(Fault fault) {
    rules.add(new Rule(fault, nextId.getAndIncrement()));
  }

  /** Removes the first fault equal to {@code fault}; returns whether there was one. */
  public boolean remove(Fault fault) {
    for (Rule rule : rules) {
      if (rule.fault.equals(fault)) {
        return rules.remove(rule);
      }
    }
    return false;
  }

  /** Removes every fault. */
  public void clear() {
    rules.clear();
  }

  /** The faults in the order they were added. */
  public List<Fault> faults() {
    return rules.stream().map(rule -> rule.fault).toList();
  }

  /** Sets the seed and starts every fault's count again, so the sequence of hits restarts. */
  public void reseed(long seed) {
    this.seed = seed;
    for (Rule rule : rules) {
      rule.seen.set(0);
      rule.hits.set(0);
    }
  }

  /** The faults that hit calls so far, oldest first. */
  public List<InjectedFault> injected() {
    synchronized (injected) {
      return List.copyOf(injected);
    }
  }

  /** Forgets which faults hit calls so far. */
  public void clearInjected() {
    synchronized (injected) {
      injected.clear();
    }
  }

  /** Decides what happens to {@code call}. */
  public Decision decide(AwsCall call) {
    if (rules.isEmpty()) {
      return Decision.NONE;
    }
    Duration delay = Duration.ZERO;
    AwsServiceError refusal = null;
    for (Rule rule : rules) {
      Fault.Kind kind = rule.fault.kind();
      boolean before =
          kind == Fault.Kind.LATENCY
              || kind == Fault.Kind.THROTTLING
              || kind == Fault.Kind.SERVICE_ERROR;
      if (!before || (refusal != null && kind != Fault.Kind.LATENCY) || !hits(rule, call)) {
        continue;
      }
      if (kind == Fault.Kind.LATENCY) {
        Duration added = delayOf(rule);
        delay = delay.plus(added);
        record(call, rule.fault, "");
      } else {
        refusal = error(rule.fault, call.service());
        record(call, rule.fault, refusal.code());
      }
    }
    if (refusal != null) {
      return new Decision(delay, refusal, null, null);
    }
    for (Rule rule : rules) {
      Fault.Kind kind = rule.fault.kind();
      if ((kind != Fault.Kind.ERROR_AFTER_COMMIT && kind != Fault.Kind.TIMEOUT_AFTER_COMMIT)
          || !hits(rule, call)) {
        continue;
      }
      if (kind == Fault.Kind.ERROR_AFTER_COMMIT) {
        AwsServiceError error = error(rule.fault, call.service());
        record(call, rule.fault, error.code());
        return new Decision(delay, null, error, null);
      }
      record(call, rule.fault, "");
      return new Decision(delay, null, null, rule.fault.minDelay());
    }
    return delay.isZero() ? Decision.NONE : new Decision(delay, null, null, null);
  }

  private boolean hits(Rule rule, AwsCall call) {
    Fault fault = rule.fault;
    if (!fault.service().equals(call.service())
        || (!fault.operations().isEmpty() && !fault.operations().contains(call.operation()))
        || (!fault.accounts().isEmpty() && !fault.accounts().contains(call.caller().account()))
        || (!fault.regions().isEmpty() && !fault.regions().contains(call.region()))) {
      return false;
    }
    long n = rule.seen.getAndIncrement();
    if (fault.probability() < 1 && unitDouble(mix(seed, rule.id, n)) >= fault.probability()) {
      return false;
    }
    return rule.hits.incrementAndGet() <= fault.maxTimes();
  }

  private Duration delayOf(Rule rule) {
    Duration min = rule.fault.minDelay();
    Duration max = rule.fault.maxDelay();
    if (max.equals(min)) {
      return min;
    }
    long spanNanos = max.minus(min).toNanos();
    double u = unitDouble(mix(seed ^ 0x5DEECE66DL, rule.id, rule.seen.get()));
    return min.plusNanos((long) (u * spanNanos));
  }

  private void record(AwsCall call, Fault fault, String code) {
    synchronized (injected) {
      injected.add(
          new InjectedFault(
              call.receivedAt(), call.requestId(), call.service(), call.operation(), fault, code));
    }
  }

  /** The error {@code fault} answers with, the service's own where the fault names none. */
  static AwsServiceError error(Fault fault, String service) {
    String code = fault.errorCode();
    String message = fault.errorMessage();
    if (fault.kind() == Fault.Kind.THROTTLING) {
      return switch (service) {
        case "kms" -> AwsServiceError.client("ThrottlingException", KMS_THROTTLING);
        case "sts" -> AwsServiceError.client("Throttling", "Rate exceeded");
        case "organizations" ->
            AwsServiceError.client(
                "TooManyRequestsException",
                "You have sent too many requests in too short a period of time. The quota helps"
                    + " protect against denial-of-service attacks. Try again later.");
        default -> AwsServiceError.client("ThrottlingException", "Rate exceeded");
      };
    }
    if (code.isEmpty()) {
      code =
          switch (service) {
            case "kms" -> "KMSInternalException";
            case "organizations" -> "ServiceException";
            default -> "InternalFailure";
          };
      message =
          service.equals("kms")
              ? "The request was rejected because an internal exception occurred. The request can"
                  + " be retried."
              : "The request processing has failed because of an unknown error, exception or"
                  + " failure.";
    }
    int status = fault.httpStatus();
    return status >= 500
        ? AwsServiceError.fault(status, code, message)
        : AwsServiceError.client(status, code, message);
  }

  // SplitMix64 finaliser over (seed, fault, n): a well-spread 64-bit value per decision.
  private static long mix(long seed, long ruleId, long n) {
    long z = seed + 0x9E3779B97F4A7C15L * (ruleId + 1) + 0xBF58476D1CE4E5B9L * (n + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static double unitDouble(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
