package dev.kmsposture.testkit.kms;

import dev.kmsposture.testkit.internal.wire.FaultInjector;
import java.util.List;
import java.util.Objects;

/**
 * The faults an embedded KMS injects, changeable while it runs, and the record of the requests they
 * hit. Obtained from {@link LocalKms#faults()}.
 *
 * <pre>{@code
 * kms.faults().add(Fault.throttling().forOperations("ListGrants").times(2));
 * scanner.scan();                                   // retries through two throttled calls
 * assertThat(kms.faults().injected()).hasSize(2);
 * }</pre>
 *
 * <p>Thread-safe. Faults hit requests over either transport, and faulted KMS requests appear in the
 * {@link RequestJournal} with their error code.
 */
public final class Faults {
  private final FaultInjector injector;

  Faults(FaultInjector injector) {
    this.injector = Objects.requireNonNull(injector, "injector");
  }

  /** Adds {@code fault}; faults are tried in the order they were added. Returns this. */
  public Faults add(Fault fault) {
    injector.add(Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /** Removes the first fault equal to {@code fault}; returns whether there was one. */
  public boolean remove(Fault fault) {
    return injector.remove(Objects.requireNonNull(fault, "fault"));
  }

  /** Removes every fault; requests run undisturbed again. */
  public void clear() {
    injector.clear();
  }

  /** The faults in force, in the order they were added. */
  public List<Fault> list() {
    return injector.faults();
  }

  /**
   * Sets the seed that decides which requests faults with a probability below 1 hit, and starts
   * every fault's count again (so {@link Fault#times(long)} limits restart too).
   */
  public void reseed(long seed) {
    injector.reseed(seed);
  }

  /** The faults that hit requests so far, oldest first. */
  public List<InjectedFault> injected() {
    return injector.injected();
  }

  /** Forgets the record of {@link #injected()} faults. */
  public void clearInjected() {
    injector.clearInjected();
  }
}
