package dev.kmsposture.rules;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kmsposture.internal.json.JacksonProblems;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What an organisation expects of its keys: the thresholds and lists the rules judge against. Every
 * value has a documented default ({@link #defaults()}); a YAML or JSON file overrides any of them
 * ({@link #parse(String)}), and unknown fields are errors.
 *
 * @param requiredTags tag keys every customer-managed key must carry (default Owner, Environment,
 *     Purpose, DataClassification)
 * @param auditRoleArns roles that must be able to read rotation status, policy and metadata
 * @param trustedAccounts accounts that may be granted access (besides the key's own)
 * @param trustedOrganizations organization ids whose accounts may be granted access
 * @param maxRotationPeriodDays the longest acceptable automatic rotation period (default 365)
 * @param unusedDays a key unused this long is reported (default 90)
 * @param importExpiryWarningDays imported material expiring within this many days is reported
 *     (default 30)
 * @param keyMaterialMaxAgeDays the oldest acceptable key material for keys that cannot rotate
 *     automatically (default 365)
 * @param minDeletionWindowDays the shortest acceptable deletion waiting period (default 30)
 * @param disabledBeforeDeletionDays how long a key must be disabled and unused before deletion
 *     (default 30)
 * @param productionNameTokens words in an alias that mark a production or sensitive key (default
 *     prod, production, pii, payment, pci)
 * @param productionTags tag values that mark a production or sensitive key (default Environment:
 *     prod/production, DataClassification: restricted/confidential)
 * @param allowedRegions Regions where multi-Region replicas may live (empty: any)
 * @param multiRegionJustificationTag the tag key that justifies a multi-Region key (default
 *     MultiRegionJustification)
 * @param allowedMultiRegionKeys key ARNs or ids allowed to be multi-Region without the tag
 * @param suppressions suppressions, each with a reason
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record PostureConfig(
    List<String> requiredTags,
    List<String> auditRoleArns,
    List<String> trustedAccounts,
    List<String> trustedOrganizations,
    int maxRotationPeriodDays,
    int unusedDays,
    int importExpiryWarningDays,
    int keyMaterialMaxAgeDays,
    int minDeletionWindowDays,
    int disabledBeforeDeletionDays,
    List<String> productionNameTokens,
    Map<String, List<String>> productionTags,
    List<String> allowedRegions,
    String multiRegionJustificationTag,
    List<String> allowedMultiRegionKeys,
    List<Suppression> suppressions) {

  private static final PostureConfig DEFAULTS =
      new PostureConfig(
          List.of("Owner", "Environment", "Purpose", "DataClassification"),
          List.of(),
          List.of(),
          List.of(),
          365,
          90,
          30,
          365,
          30,
          30,
          List.of("prod", "production", "pii", "payment", "pci"),
          Map.of(
              "Environment", List.of("prod", "production"),
              "DataClassification", List.of("restricted", "confidential")),
          List.of(),
          "MultiRegionJustification",
          List.of(),
          List.of());

  /** Copies the collections and checks the numbers. */
  public PostureConfig {
    requiredTags = copy(requiredTags, DEFAULTS == null ? List.of() : DEFAULTS.requiredTags);
    auditRoleArns = copy(auditRoleArns, List.of());
    trustedAccounts = copy(trustedAccounts, List.of());
    trustedOrganizations = copy(trustedOrganizations, List.of());
    productionNameTokens =
        copy(productionNameTokens, DEFAULTS == null ? List.of() : DEFAULTS.productionNameTokens);
    productionTags =
        productionTags == null
            ? (DEFAULTS == null ? Map.of() : DEFAULTS.productionTags)
            : java.util.Collections.unmodifiableMap(new TreeMap<>(productionTags));
    allowedRegions = copy(allowedRegions, List.of());
    multiRegionJustificationTag =
        multiRegionJustificationTag == null
            ? "MultiRegionJustification"
            : multiRegionJustificationTag;
    allowedMultiRegionKeys = copy(allowedMultiRegionKeys, List.of());
    suppressions = copy(suppressions, List.of());
    positive("maxRotationPeriodDays", maxRotationPeriodDays);
    positive("unusedDays", unusedDays);
    positive("importExpiryWarningDays", importExpiryWarningDays);
    positive("keyMaterialMaxAgeDays", keyMaterialMaxAgeDays);
    positive("disabledBeforeDeletionDays", disabledBeforeDeletionDays);
    if (minDeletionWindowDays < 7 || minDeletionWindowDays > 30) {
      throw new IllegalArgumentException(
          String.format(
              "minDeletionWindowDays [%d] is out of range; KMS waiting periods are 7 to 30 days",
              minDeletionWindowDays));
    }
    if (maxRotationPeriodDays < 90 || maxRotationPeriodDays > 2560) {
      throw new IllegalArgumentException(
          String.format(
              "maxRotationPeriodDays [%d] is out of range; KMS rotation periods are 90 to 2560 days",
              maxRotationPeriodDays));
    }
  }

  private static String pointer(JsonMappingException m) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      sb.append('/');
      sb.append(
          r.getFieldName() != null
              ? r.getFieldName().replace("~", "~0").replace("/", "~1")
              : Integer.toString(r.getIndex()));
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  private static <T> List<T> copy(@Nullable List<T> l, List<T> dflt) {
    return l == null ? dflt : List.copyOf(l);
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(String.format("%s [%d] must be positive", name, v));
    }
  }

  /** Returns a builder that starts from the {@linkplain #defaults() defaults}. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** Returns a builder that starts from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link PostureConfig}: each setting starts from the configuration the builder was made
   * from; {@link #build()} checks the ranges with the same messages as {@link #parse(String)}. The
   * settings are described on {@link PostureConfig}.
   */
  public static final class Builder {
    private List<String> requiredTags;
    private List<String> auditRoleArns;
    private List<String> trustedAccounts;
    private List<String> trustedOrganizations;
    private int maxRotationPeriodDays;
    private int unusedDays;
    private int importExpiryWarningDays;
    private int keyMaterialMaxAgeDays;
    private int minDeletionWindowDays;
    private int disabledBeforeDeletionDays;
    private List<String> productionNameTokens;
    private Map<String, List<String>> productionTags;
    private List<String> allowedRegions;
    private String multiRegionJustificationTag;
    private List<String> allowedMultiRegionKeys;
    private List<Suppression> suppressions;

    private Builder(PostureConfig from) {
      requiredTags = from.requiredTags;
      auditRoleArns = from.auditRoleArns;
      trustedAccounts = from.trustedAccounts;
      trustedOrganizations = from.trustedOrganizations;
      maxRotationPeriodDays = from.maxRotationPeriodDays;
      unusedDays = from.unusedDays;
      importExpiryWarningDays = from.importExpiryWarningDays;
      keyMaterialMaxAgeDays = from.keyMaterialMaxAgeDays;
      minDeletionWindowDays = from.minDeletionWindowDays;
      disabledBeforeDeletionDays = from.disabledBeforeDeletionDays;
      productionNameTokens = from.productionNameTokens;
      productionTags = from.productionTags;
      allowedRegions = from.allowedRegions;
      multiRegionJustificationTag = from.multiRegionJustificationTag;
      allowedMultiRegionKeys = from.allowedMultiRegionKeys;
      suppressions = from.suppressions;
    }

    /** Replaces the tag keys every customer managed key must carry. */
    public Builder requiredTags(Collection<String> tags) {
      this.requiredTags = texts("requiredTags", tags);
      return this;
    }

    /** Replaces the audit roles' ARNs, which must be able to read every key. */
    public Builder auditRoleArns(Collection<String> arns) {
      this.auditRoleArns = texts("auditRoleArns", arns);
      return this;
    }

    /** Replaces the trusted account ids. */
    public Builder trustedAccounts(Collection<String> accounts) {
      this.trustedAccounts = texts("trustedAccounts", accounts);
      return this;
    }

    /** Replaces the trusted organization ids. */
    public Builder trustedOrganizations(Collection<String> organizations) {
      this.trustedOrganizations = texts("trustedOrganizations", organizations);
      return this;
    }

    /** Sets the longest acceptable automatic rotation period, 90 to 2560 days. */
    public Builder maxRotationPeriodDays(int days) {
      this.maxRotationPeriodDays = days;
      return this;
    }

    /** Sets how long a key may stay unused before it is reported (positive). */
    public Builder unusedDays(int days) {
      this.unusedDays = days;
      return this;
    }

    /** Sets how many days before imported material expires it is reported (positive). */
    public Builder importExpiryWarningDays(int days) {
      this.importExpiryWarningDays = days;
      return this;
    }

    /** Sets the oldest acceptable key material for keys that cannot rotate (positive). */
    public Builder keyMaterialMaxAgeDays(int days) {
      this.keyMaterialMaxAgeDays = days;
      return this;
    }

    /** Sets the shortest acceptable deletion waiting period, 7 to 30 days. */
    public Builder minDeletionWindowDays(int days) {
      this.minDeletionWindowDays = days;
      return this;
    }

    /** Sets how long a key must be disabled and unused before deletion (positive). */
    public Builder disabledBeforeDeletionDays(int days) {
      this.disabledBeforeDeletionDays = days;
      return this;
    }

    /** Replaces the words in an alias that mark a production or sensitive key. */
    public Builder productionNameTokens(Collection<String> tokens) {
      this.productionNameTokens = texts("productionNameTokens", tokens);
      return this;
    }

    /** Replaces the tag values that mark a production or sensitive key, by tag key. */
    public Builder productionTags(Map<String, List<String>> tags) {
      Objects.requireNonNull(tags, "productionTags");
      Map<String, List<String>> copy = new TreeMap<>();
      tags.forEach((k, v) -> copy.put(k, texts("productionTags[" + k + "]", v)));
      this.productionTags = copy;
      return this;
    }

    /** Replaces the Regions where multi-Region replicas may live (empty: any). */
    public Builder allowedRegions(Collection<String> regions) {
      this.allowedRegions = texts("allowedRegions", regions);
      return this;
    }

    /**
     * Sets the tag key that justifies a multi-Region key.
     *
     * @throws IllegalArgumentException if {@code tagKey} is blank
     */
    public Builder multiRegionJustificationTag(String tagKey) {
      Objects.requireNonNull(tagKey, "multiRegionJustificationTag");
      if (tagKey.isBlank()) {
        throw new IllegalArgumentException(
            String.format(
                "multiRegionJustificationTag [%s] is blank; expected a tag key such as"
                    + " MultiRegionJustification",
                tagKey));
      }
      this.multiRegionJustificationTag = tagKey;
      return this;
    }

    /** Replaces the key ARNs or ids allowed to be multi-Region without the tag. */
    public Builder allowedMultiRegionKeys(Collection<String> keys) {
      this.allowedMultiRegionKeys = texts("allowedMultiRegionKeys", keys);
      return this;
    }

    /** Replaces the suppressions. */
    public Builder suppressions(Collection<Suppression> suppressions) {
      Objects.requireNonNull(suppressions, "suppressions");
      this.suppressions = List.copyOf(suppressions);
      return this;
    }

    /** Adds one suppression. */
    public Builder addSuppression(Suppression suppression) {
      Objects.requireNonNull(suppression, "suppression");
      List<Suppression> all = new java.util.ArrayList<>(suppressions);
      all.add(suppression);
      this.suppressions = List.copyOf(all);
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws IllegalArgumentException if a number is out of range; the message names the setting
     */
    public PostureConfig build() {
      return new PostureConfig(
          requiredTags,
          auditRoleArns,
          trustedAccounts,
          trustedOrganizations,
          maxRotationPeriodDays,
          unusedDays,
          importExpiryWarningDays,
          keyMaterialMaxAgeDays,
          minDeletionWindowDays,
          disabledBeforeDeletionDays,
          productionNameTokens,
          productionTags,
          allowedRegions,
          multiRegionJustificationTag,
          allowedMultiRegionKeys,
          suppressions);
    }

    private static List<String> texts(String setting, Collection<String> values) {
      Objects.requireNonNull(values, setting);
      for (String v : values) {
        if (v == null || v.isBlank()) {
          throw new IllegalArgumentException(
              String.format(
                  "%s contains a blank or null value [%s]; expected non-blank texts", setting, v));
        }
      }
      return List.copyOf(values);
    }
  }

  /** Returns the documented defaults. */
  public static PostureConfig defaults() {
    return DEFAULTS;
  }

  /**
   * The reader of configuration files, built once (building a YAML mapper costs far more than
   * reading a configuration with it) when the first file is read; a configured mapper is
   * thread-safe. The defaults as a map of settings, which a file's settings override.
   */
  private static final class Yaml {
    static final ObjectMapper MAPPER =
        YAMLMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A setting given twice is an error, not "the last one wins".
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final Map<String, Object> DEFAULT_SETTINGS =
        Collections.unmodifiableMap(
            MAPPER.convertValue(
                DEFAULTS,
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}));

    private Yaml() {}
  }

  /**
   * Reads a configuration from YAML or JSON; fields not given keep their defaults.
   *
   * @throws IllegalArgumentException if the text is malformed, names an unknown field, or holds a
   *     value out of range; the message names the field
   */
  public static PostureConfig parse(String yamlOrJson) {
    Objects.requireNonNull(yamlOrJson, "yamlOrJson");
    ObjectMapper yaml = Yaml.MAPPER;
    try {
      ObjectMapper json = yaml;
      Map<String, Object> base = new LinkedHashMap<>(Yaml.DEFAULT_SETTINGS);
      // An empty document, or one with only comments, sets nothing: the defaults apply.
      com.fasterxml.jackson.databind.JsonNode tree = yaml.readTree(yamlOrJson);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return DEFAULTS;
      }
      Object given = yaml.treeToValue(tree, Object.class);
      if (!(given instanceof Map)) {
        throw new IllegalArgumentException(
            "configuration at /: expected a mapping of settings, got "
                + (given instanceof List ? "a list" : "a single value"));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> overrides = (Map<String, Object>) given;
      for (String k : overrides.keySet()) {
        if (!base.containsKey(k)) {
          throw new IllegalArgumentException(
              String.format(
                  "unknown configuration setting [%s] at /%s; known settings: %s",
                  k, k.replace("~", "~0").replace("/", "~1"), base.keySet()));
        }
      }
      base.putAll(overrides);
      return json.convertValue(base, PostureConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "configuration is not valid YAML or JSON: " + JacksonProblems.syntax(e, "YAML or JSON"),
          e);
    } catch (IllegalArgumentException e) {
      Throwable c = e.getCause();
      if (c instanceof JsonMappingException m) {
        Throwable root = m;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        // A constructor's own message (a value out of range, a suppression without a reason) is
        // already for people; Jackson's wording is not.
        String problem =
            root != m && root instanceof IllegalArgumentException && root.getMessage() != null
                ? root.getMessage()
                : JacksonProblems.describe(m);
        throw new IllegalArgumentException(
            "configuration setting at " + pointer(m) + " is not valid: " + problem, e);
      }
      throw e;
    }
  }
}
