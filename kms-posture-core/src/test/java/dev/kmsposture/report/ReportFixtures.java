package dev.kmsposture.report;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.rules.AccountRule;
import dev.kmsposture.rules.Baseline;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.Suppression;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.RotationStatus;
import dev.kmsposture.testing.TestKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small report with every kind of finding (failures of each severity, a raised priority, a policy
 * location, an item, unknown, not applicable, suppressed, baselined, account level), made by test
 * rules so that the writers' tests do not change when a rule of the catalogue does.
 */
final class ReportFixtures {
  static final String ACCOUNT = "111122223333";
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  static final RuleInfo TAGGED_BAD =
      info(
          "TestTaggedBad",
          "Keys must not be tagged bad",
          Severity.CRITICAL,
          "aws kms untag-resource --key-id <key-id> --tag-keys bad");
  static final RuleInfo WILDCARD_PRINCIPAL =
      info(
          "TestWildcardPrincipal",
          "Key policy statements must not allow everyone",
          Severity.RECOMMENDED,
          "aws kms put-key-policy --key-id <key-id> --policy file://policy.json");
  static final RuleInfo ROTATION_OFF =
      info(
          "TestRotationOff",
          "Automatic rotation must be enabled",
          Severity.RECOMMENDED,
          "aws kms enable-key-rotation --key-id <key-id>");
  static final RuleInfo NO_TRAIL =
      info(
          "TestNoTrail",
          "KMS events must be logged by a trail",
          Severity.OPTIONAL,
          "aws cloudtrail create-trail --name kms --s3-bucket-name <bucket> --is-multi-region-trail");

  private ReportFixtures() {}

  static RuleInfo info(String id, String summary, Severity severity, String cli) {
    return RuleInfo.builder()
        .id(RuleId.of(id))
        .summary(summary)
        .severity(severity)
        .rationale("Rationale of " + id + ": why it matters.")
        .checklistItem("Checklist item of " + id)
        .references(List.of("Prowler " + id.toLowerCase(java.util.Locale.ROOT)))
        .remediation(
            new Remediation("Fix " + id + ".", cli, "kms.fix" + id + "(r -> r.keyId(keyId))"))
        .tags(List.of("hygiene"))
        .build();
  }

  /** Fails keys tagged bad=yes. */
  static final KeyRule TAGGED_BAD_RULE =
      new KeyRule() {
        @Override
        public RuleInfo info() {
          return TAGGED_BAD;
        }

        @Override
        public List<Finding> check(KeySnapshot key, RuleContext context) {
          if (key.tags() == null) {
            return List.of(Finding.unknown(TAGGED_BAD, key, "tags were not collected"));
          }
          return "yes".equals(key.tags().get("bad"))
              ? List.of(Finding.fail(TAGGED_BAD, key, context.describe(key) + " is tagged bad=yes"))
              : List.of(Finding.pass(TAGGED_BAD, key, "not tagged bad"));
        }
      };

  /** Fails each statement whose principal is everyone, pointing at it. */
  static final KeyRule WILDCARD_PRINCIPAL_RULE =
      new KeyRule() {
        @Override
        public RuleInfo info() {
          return WILDCARD_PRINCIPAL;
        }

        @Override
        public List<Finding> check(KeySnapshot key, RuleContext context) {
          Optional<KeyPolicy> policy = context.policy(key);
          if (policy.isEmpty()) {
            return List.of(
                Finding.unknown(WILDCARD_PRINCIPAL, key, context.policyProblem(key).orElseThrow()));
          }
          List<Finding> out = new ArrayList<>();
          for (int i = 0; i < policy.get().statements().size(); i++) {
            var s = policy.get().statements().get(i);
            if (s.principals().stream().anyMatch(p -> p.isEveryone())) {
              out.add(
                  Finding.fail(
                          WILDCARD_PRINCIPAL,
                          key,
                          "statement ["
                              + s.sid()
                              + "] of "
                              + context.describe(key)
                              + " allows principal * (everyone)")
                      .at(context.location(policy.get(), i)));
            }
          }
          return out.isEmpty()
              ? List.of(Finding.pass(WILDCARD_PRINCIPAL, key, "no statement allows everyone"))
              : out;
        }
      };

  /** Rotation: N/A for non-symmetric keys, unknown when not collected. */
  static final KeyRule ROTATION_OFF_RULE =
      new KeyRule() {
        @Override
        public RuleInfo info() {
          return ROTATION_OFF;
        }

        @Override
        public List<Finding> check(KeySnapshot key, RuleContext context) {
          if (!key.metadata().isSymmetricEncryption()) {
            return List.of(
                Finding.notApplicable(ROTATION_OFF, key, "asymmetric keys cannot rotate"));
          }
          if (key.rotation() == null) {
            return List.of(Finding.unknown(ROTATION_OFF, key, "rotation status was not collected"));
          }
          return key.rotation().enabled()
              ? List.of(Finding.pass(ROTATION_OFF, key, "rotation is enabled"))
              : List.of(
                  Finding.fail(
                      ROTATION_OFF, key, "Rotation is disabled on " + context.describe(key)));
        }
      };

  /** Fails the account when no trail was collected. */
  static final AccountRule NO_TRAIL_RULE =
      new AccountRule() {
        @Override
        public RuleInfo info() {
          return NO_TRAIL;
        }

        @Override
        public List<Finding> check(AccountSnapshot snapshot, RuleContext context) {
          return List.of(
              snapshot.trails() == null || snapshot.trails().isEmpty()
                  ? Finding.forAccount(
                          NO_TRAIL, Status.FAIL, snapshot.account(), "No trail logs KMS events")
                      .about("cloudtrail")
                  : Finding.forAccount(NO_TRAIL, Status.PASS, snapshot.account(), "logged"));
        }
      };

  static RuleSet rules() {
    return RuleSet.of(TAGGED_BAD_RULE, WILDCARD_PRINCIPAL_RULE, ROTATION_OFF_RULE, NO_TRAIL_RULE);
  }

  static KeyMetadata symmetric() {
    return TestKeys.metadata().build();
  }

  static String arn(String id) {
    return "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + id;
  }

  static final String PUBLIC_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":["
          + "{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
          + ACCOUNT
          + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
          + "{\"Sid\":\"Public\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
          + "\"Resource\":\"*\"}]}";

  static final String ROOT_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":["
          + "{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
          + ACCOUNT
          + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";

  static AccountSnapshot snapshot() {
    KeySnapshot payments =
        KeySnapshot.builder(arn("11111111-1111-4111-8111-111111111111"), symmetric())
            .aliases(List.of("alias/prod-payments"))
            .tags(Map.of("bad", "yes", "Environment", "prod"))
            .policy(PUBLIC_POLICY)
            .rotation(new RotationStatus(false, null, null, null))
            .build();
    KeySnapshot orphan =
        KeySnapshot.builder(arn("22222222-2222-4222-8222-222222222222"), symmetric())
            .aliases(List.of())
            .tags(Map.of())
            .unreadable(dev.kmsposture.snapshot.KeyPart.POLICY, "AccessDeniedException")
            .build();
    KeySnapshot legacy =
        KeySnapshot.builder(arn("33333333-3333-4333-8333-333333333333"), symmetric())
            .aliases(List.of("alias/legacy-reports"))
            .tags(Map.of("Owner", "reports"))
            .policy(ROOT_POLICY)
            .rotation(new RotationStatus(false, null, null, null))
            .build();
    KeyMetadata rsa =
        TestKeys.metadata()
            .keySpec("RSA_2048")
            .keyUsage("SIGN_VERIFY")
            .description("signing")
            .build();
    KeySnapshot signing =
        KeySnapshot.builder(arn("44444444-4444-4444-8444-444444444444"), rsa)
            .aliases(List.of("alias/signing"))
            .tags(Map.of("bad", "yes"))
            .policy(ROOT_POLICY)
            .build();
    return AccountSnapshot.of(ACCOUNT, NOW, List.of(payments, orphan, legacy, signing));
  }

  /** The report: the signing key's TaggedBad failure is baselined, legacy-* rotation suppressed. */
  static PostureReport report() {
    AccountSnapshot snapshot = snapshot();
    PostureReport first =
        PostureEngine.builder().ruleSet(rules()).build().check(snapshot, "fixtures/snapshot.json");
    String signingFingerprint =
        first.findings().stream()
            .filter(f -> f.ruleId().value().equals("TestTaggedBad"))
            .filter(f -> f.subject().equals("signing"))
            .findFirst()
            .orElseThrow()
            .fingerprint();
    return PostureEngine.builder()
        .ruleSet(rules())
        .baseline(Baseline.of(List.of(signingFingerprint)))
        .addSuppression(
            new Suppression(
                "TestRotationOff",
                "alias/legacy-*",
                "reports are re-encrypted nightly with a new key",
                null))
        .build()
        .check(snapshot, "fixtures/snapshot.json");
  }

  /** The report of a snapshot with no keys. */
  static PostureReport emptyReport() {
    return PostureEngine.builder()
        .ruleSet(rules())
        .build()
        .check(AccountSnapshot.of(ACCOUNT, NOW, List.of()), "");
  }

  static String resource(String name) {
    try (InputStream in = ReportFixtures.class.getResourceAsStream("/report/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /report/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compares {@code actual} with the golden file; with {@code -Dkmsposture.updateGolden=<dir>} it
   * writes the file there instead (used to create the golden files, which are then reviewed).
   */
  static String golden(String name, String actual) {
    String dir = System.getProperty("kmsposture.updateGolden");
    if (dir != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(dir, name), actual);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return actual;
    }
    return resource(name);
  }
}
