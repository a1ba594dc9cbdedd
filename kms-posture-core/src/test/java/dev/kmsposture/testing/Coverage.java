package dev.kmsposture.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts what a property's generators produced, by label and value, so that a test can require an
 * important shape to keep appearing: a generator that stops producing it fails the build instead of
 * letting the property pass vacuously. Collect inside the property, check after it ran.
 */
public final class Coverage {
  private final Map<String, Map<Object, Integer>> counts = new LinkedHashMap<>();

  /** Counts one occurrence of {@code value} under {@code label}. */
  public synchronized void collect(String label, Object value) {
    counts.computeIfAbsent(label, k -> new LinkedHashMap<>()).merge(value, 1, Integer::sum);
  }

  /** How many times {@code value} was collected under {@code label}. */
  public synchronized int count(String label, Object value) {
    return counts.getOrDefault(label, Map.of()).getOrDefault(value, 0);
  }

  /** How many values were collected under {@code label}. */
  public synchronized int total(String label) {
    return counts.getOrDefault(label, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The share of {@code label}'s values that were {@code value}, in percent. */
  public synchronized double percentage(String label, Object value) {
    int total = total(label);
    return total == 0 ? 0.0 : 100.0 * count(label, value) / total;
  }

  /** Fails unless {@code value} made up at least {@code percent} of {@code label}'s values. */
  public synchronized void requireAtLeast(String label, Object value, double percent) {
    assertThat(percentage(label, value))
        .as("share of %s = %s (counts %s)", label, value, counts.get(label))
        .isGreaterThanOrEqualTo(percent);
  }

  /** Fails unless {@code value} made up more than {@code percent} of {@code label}'s values. */
  public synchronized void requireAbove(String label, Object value, double percent) {
    assertThat(percentage(label, value))
        .as("share of %s = %s (counts %s)", label, value, counts.get(label))
        .isGreaterThan(percent);
  }

  @Override
  public synchronized String toString() {
    return counts.toString();
  }
}
