package dev.kmsposture.blueprint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A key alias that follows AWS's alias rules and kms-posture's naming convention: {@code
 * alias/<environment>-<application>-<purpose>}, such as {@code alias/prod-payments-customer-pii}.
 *
 * <p>AWS's rules (CreateAlias): 1 to 256 characters of {@code [a-zA-Z0-9:/_-]}, starting with
 * {@code alias/} and not with {@code alias/aws/} (in any letter case; reserved for AWS managed
 * keys). The convention narrows that to lower-case words of letters and digits joined by hyphens:
 * the first word is the environment (one of {@link #ENVIRONMENTS}), the second the application, and
 * the rest (one or more words) what the key protects. A name that says where and what is how a
 * finding becomes quotable: "rotation is disabled on the CMK named prod-payments-customer-pii".
 *
 * @param value the alias name, with its {@code alias/} prefix
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html">CreateAlias</a>
 */
public record AliasName(String value) {
  /** The environment words an alias may start with. */
  public static final List<String> ENVIRONMENTS =
      List.of(
          "prod",
          "production",
          "preprod",
          "staging",
          "stage",
          "uat",
          "qa",
          "test",
          "dev",
          "development",
          "sandbox",
          "shared");

  // Words that name the same environment, for comparing an alias with the Environment tag.
  private static final Map<String, String> SAME_ENVIRONMENT =
      Map.of("production", "prod", "stage", "staging", "development", "dev");

  private static final Pattern AWS_ALIAS = Pattern.compile("alias/[a-zA-Z0-9:/_-]+");
  private static final Pattern CONVENTION =
      Pattern.compile("alias/([a-z0-9]+)-([a-z0-9]+)-([a-z0-9]+(?:-[a-z0-9]+)*)");

  /**
   * Checks AWS's alias rules and the naming convention.
   *
   * @throws IllegalArgumentException if the name breaks either; the message says which rule
   */
  public AliasName {
    Objects.requireNonNull(value, "value");
    if (value.length() > 256) {
      throw new IllegalArgumentException(
          String.format(
              "alias [%s…] is %d characters long; AWS accepts at most 256",
              value.substring(0, 40), value.length()));
    }
    if (!value.startsWith("alias/")) {
      throw new IllegalArgumentException(
          String.format(
              "alias [%s] does not start with alias/; expected"
                  + " alias/<environment>-<application>-<purpose>, such as"
                  + " alias/prod-payments-customer-pii",
              value));
    }
    if (value.toLowerCase(Locale.ROOT).startsWith("alias/aws/")) {
      throw new IllegalArgumentException(
          String.format(
              "alias [%s] starts with alias/aws/, which AWS reserves for AWS managed keys", value));
    }
    if (!AWS_ALIAS.matcher(value).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "alias [%s] has characters AWS does not accept; aliases are letters, digits, /, _, -"
                  + " and :",
              value));
    }
    var m = CONVENTION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          String.format(
              "alias [%s] does not follow the naming convention"
                  + " alias/<environment>-<application>-<purpose>: lower-case letters and digits"
                  + " in at least three words joined by hyphens, such as"
                  + " alias/prod-payments-customer-pii",
              value));
    }
    if (!ENVIRONMENTS.contains(m.group(1))) {
      throw new IllegalArgumentException(
          String.format(
              "alias [%s] starts with [%s], which is not an environment; expected one of %s",
              value, m.group(1), String.join(", ", ENVIRONMENTS)));
    }
  }

  /**
   * Returns the alias {@code value}.
   *
   * @throws IllegalArgumentException if it breaks AWS's rules or the naming convention
   */
  public static AliasName of(String value) {
    return new AliasName(value);
  }

  /** Returns the environment word, such as {@code prod}. */
  public String environment() {
    return part(1);
  }

  /** Returns the application word, such as {@code payments}. */
  public String application() {
    return part(2);
  }

  /** Returns what the key protects, such as {@code customer-pii}. */
  public String purpose() {
    return part(3);
  }

  /** Returns the name without {@code alias/}, as findings name the key. */
  public String shortName() {
    return value.substring("alias/".length());
  }

  /**
   * Returns whether {@code environmentTag} names the same environment as the alias ({@code
   * production} and {@code prod} are the same, as are {@code stage}/{@code staging} and {@code
   * development}/{@code dev}), ignoring letter case.
   */
  public boolean sameEnvironmentAs(String environmentTag) {
    return normal(environment()).equals(normal(environmentTag.toLowerCase(Locale.ROOT)));
  }

  private static String normal(String environment) {
    return SAME_ENVIRONMENT.getOrDefault(environment, environment);
  }

  private String part(int group) {
    var m = CONVENTION.matcher(value);
    if (!m.matches()) {
      throw new IllegalStateException("bug in kms-posture: a checked alias does not match");
    }
    return m.group(group);
  }

  @Override
  public String toString() {
    return value;
  }
}
