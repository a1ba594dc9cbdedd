package dev.kmsposture.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.internal.json.JacksonProblems;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fingerprints of known findings. Checking against a baseline marks findings it knows as
 * baselined, so only new ones fail the build. Fingerprints ({@link Finding#fingerprint()}) rest on
 * the rule id, key ARN and the statement's Sid (or canonical hash), not on statement order or
 * whitespace.
 *
 * @param fingerprints the known fingerprints, sorted
 */
public record Baseline(Set<String> fingerprints) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the fingerprints in sorted order. */
  public Baseline {
    fingerprints = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(fingerprints));
  }

  /** Returns an empty baseline. */
  public static Baseline empty() {
    return new Baseline(Set.of());
  }

  /** Returns the baseline of a report's active failures. */
  public static Baseline of(PostureReport report) {
    Set<String> s = new TreeSet<>();
    for (Finding f : report.findings()) {
      if (f.status() == Status.FAIL && f.disposition() != Finding.Disposition.SUPPRESSED) {
        s.add(f.fingerprint());
      }
    }
    return new Baseline(s);
  }

  /** Returns a baseline of {@code fingerprints}. */
  public static Baseline of(Collection<String> fingerprints) {
    return new Baseline(Set.copyOf(fingerprints));
  }

  /** Returns whether the baseline knows {@code finding}. */
  public boolean contains(Finding finding) {
    return !fingerprints.isEmpty() && fingerprints.contains(finding.fingerprint());
  }

  /**
   * Reads a baseline written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException if the text is not a baseline document
   */
  public static Baseline parse(String json) {
    Objects.requireNonNull(json, "json");
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException(
            "baseline at /: the document is not an object; expected {\"fingerprints\": [...]}"
                + " with one string per accepted failure");
      }
      JsonNode list = root.get("fingerprints");
      if (list == null || !list.isArray()) {
        throw new IllegalArgumentException(
            "baseline at /fingerprints: "
                + (list == null ? "missing" : "not an array")
                + "; expected an array of strings, one per accepted failure");
      }
      Set<String> s = new TreeSet<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode n = list.get(i);
        if (!n.isTextual()) {
          throw new IllegalArgumentException(
              String.format("baseline fingerprint at /fingerprints/%d is not a string", i));
        }
        s.add(n.asText());
      }
      return new Baseline(s);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "baseline is not valid JSON: " + JacksonProblems.syntax(e), e);
    }
  }

  /** Returns the JSON form, {@code {"fingerprints": [...]}}, sorted. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode arr = root.putArray("fingerprints");
    fingerprints.forEach(arr::add);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bug in kms-posture: cannot write a baseline", e);
    }
  }
}
