package dev.kmsposture.internal.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.jspecify.annotations.Nullable;

/**
 * Reads small hand-written documents (role files, key blueprints) as a tree: JSON, or YAML when the
 * file name says so, with a key given twice refused rather than "the last one wins".
 */
public final class StrictDocuments {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private StrictDocuments() {}

  /** Returns whether a file named {@code name} is read as YAML ({@code .yaml} or {@code .yml}). */
  public static boolean isYamlName(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /**
   * Reads {@code text} as YAML or JSON.
   *
   * @return the tree, or null for an empty document
   * @throws JsonProcessingException if the text is malformed or repeats a key
   */
  public static @Nullable JsonNode read(String text, boolean yaml) throws JsonProcessingException {
    return (yaml ? YAML : JSON).readTree(text);
  }

  /** Returns {@code node} as compact JSON, for handing a part of a document to another reader. */
  public static String toJson(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bug in kms-posture: a tree cannot be written as JSON", e);
    }
  }

  /** Returns {@code " at line L, column C"} for a location Jackson knows, or empty. */
  public static String where(@Nullable JsonLocation at) {
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " at line "
        + at.getLineNr()
        + (at.getColumnNr() < 1 ? "" : ", column " + at.getColumnNr());
  }

  /** Returns {@code s} clipped to 200 characters, for echoing user input in messages. */
  public static String clip(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}
