package dev.kmsposture.rules.library;

import dev.kmsposture.rules.AccountRule;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.CollectionError;
import dev.kmsposture.snapshot.TrailSnapshot;
import dev.kmsposture.snapshot.TrailSnapshot.AdvancedEventSelector;
import dev.kmsposture.snapshot.TrailSnapshot.EventSelector;
import dev.kmsposture.snapshot.TrailSnapshot.FieldSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Flags an account where no multi-Region trail that is logging records KMS calls including the
 * cryptographic operations.
 *
 * <p>The checklist calls KMS usage "data events"; AWS documentation says otherwise, and AWS wins:
 * every KMS API call, cryptographic operations included, is a CloudTrail <em>management</em> event
 * (Decrypt and GenerateDataKey are read-only management events), logged by default by any trail
 * that logs management events, and there is no KMS data-event type (KMS Developer Guide, "Logging
 * AWS KMS API calls with AWS CloudTrail"; CloudTrail User Guide, "Logging management events"). A
 * trail can drop them: {@code ExcludeManagementEventSources: ["kms.amazonaws.com"]}, {@code
 * ReadWriteType: WriteOnly} (keeps only key-management writes), or advanced selectors that exclude
 * the {@code kms.amazonaws.com} event source or limit {@code readOnly} to false.
 *
 * <p>A trail counts when it is multi-Region, logging, and has a basic selector with management
 * events, {@code ReadWriteType} {@code All} or {@code ReadOnly} and KMS not excluded, or an
 * advanced selector with {@code eventCategory Equals Management} whose other field selectors
 * neither exclude {@code kms.amazonaws.com} nor limit {@code readOnly} to false (field selectors in
 * one advanced selector are ANDed; selectors are ORed). The message details every trail: "crypto
 * ops logged", "management writes only" or "KMS excluded".
 */
public final class KmsEventsNotLogged implements AccountRule {
  private static final String KMS = "kms.amazonaws.com";

  /** What a trail records of KMS, best first. */
  enum Coverage {
    ALL("crypto ops logged: management reads and writes, KMS included"),
    READ_ONLY("crypto ops logged, but not key-management writes (ReadOnly)"),
    WRITES_ONLY(
        "management writes only: cryptographic operations such as Decrypt and GenerateDataKey"
            + " are read events and are not logged"),
    FILTERED("management events filtered by other fields, so KMS calls are only partly logged"),
    EXCLUDED("KMS excluded (kms.amazonaws.com)"),
    NONE("no management events");

    private final String text;

    Coverage(String text) {
      this.text = text;
    }
  }

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KmsEventsNotLogged"))
          .summary(
              "No multi-Region CloudTrail trail logs KMS calls including cryptographic operations")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "CloudTrail is the only record of who used, changed, disabled or scheduled deletion of a"
                  + " key. KMS calls are management events and are logged by default, so missing"
                  + " KMS events mean a trail excludes them, logs writes only, or no trail covers"
                  + " every Region.")
          .checklistItem(
              "[Recommended] For workloads that need attestation of who decrypted what and when,"
                  + " enable CloudTrail data events for KMS at the key level (Read and Write events)."
                  + " (AWS documents KMS calls as management events; this rule follows AWS.)")
          .references(
              List.of(
                  "Security Hub CloudTrail.1",
                  "CIS AWS Foundations Benchmark 3.1 (v3.0.0)",
                  "AWS Config multi-region-cloudtrail-enabled",
                  "AWS Config cloudtrail-security-trail-enabled",
                  "Prowler cloudtrail_multi_region_enabled"))
          .remediation(
              new Remediation(
                  "Log management events (All) on a multi-Region trail and remove kms.amazonaws.com"
                      + " from its excluded event sources.",
                  "aws cloudtrail put-event-selectors --trail-name <trail> --event-selectors"
                      + " '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,"
                      + "\"ExcludeManagementEventSources\":[]}]'",
                  "cloudTrail.putEventSelectors(r -> r.trailName(trail).eventSelectors(s ->"
                      + " s.readWriteType(ReadWriteType.ALL).includeManagementEvents(true)"
                      + ".excludeManagementEventSources(List.of())))"))
          .addTag("logging")
          .build();

  /** Creates the rule; it holds no state. */
  public KmsEventsNotLogged() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(AccountSnapshot snapshot, RuleContext context) {
    String account = snapshot.account();
    List<TrailSnapshot> trails = snapshot.trails();
    if (trails == null) {
      String why = "";
      for (CollectionError e : snapshot.collectionErrors()) {
        if (e.operation().toLowerCase(Locale.ROOT).contains("trail")) {
          why = ": " + e.operation() + " failed: " + e.message();
          break;
        }
      }
      return List.of(
          Finding.forAccount(
              INFO,
              Status.UNKNOWN,
              account,
              "CloudTrail trails were not collected in the snapshot"
                  + why
                  + ", so whether KMS calls are logged cannot be told"));
    }
    if (trails.isEmpty()) {
      return List.of(
          Finding.forAccount(
              INFO,
              Status.FAIL,
              account,
              "Account "
                  + account
                  + " has no CloudTrail trail: KMS calls are kept only in the 90-day event"
                  + " history"));
    }
    List<TrailSnapshot> sorted = new ArrayList<>(trails);
    sorted.sort(Comparator.comparing(TrailSnapshot::name));
    List<String> details = new ArrayList<>();
    String good = null;
    boolean maybe = false;
    for (TrailSnapshot t : sorted) {
      Coverage c = coverage(t);
      boolean logsCrypto = c == Coverage.ALL || c == Coverage.READ_ONLY;
      List<String> notes = new ArrayList<>();
      if (!t.multiRegion()) {
        notes.add("single-Region, " + t.homeRegion() + " only");
      }
      if (t.logging() == null) {
        notes.add("logging status unknown");
      } else if (!t.logging()) {
        notes.add("not logging");
      }
      details.add(
          "trail "
              + t.name()
              + ": "
              + c.text
              + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")"));
      if (logsCrypto && t.multiRegion()) {
        if (Boolean.TRUE.equals(t.logging())) {
          good = good == null ? t.name() : good;
        } else if (t.logging() == null) {
          maybe = true;
        }
      }
    }
    String detail = String.join("; ", details);
    if (good != null) {
      return List.of(
          Finding.forAccount(
              INFO,
              Status.PASS,
              account,
              "KMS calls including cryptographic operations are logged by the multi-Region trail "
                  + good
                  + " — "
                  + detail));
    }
    if (maybe) {
      return List.of(
          Finding.forAccount(
              INFO,
              Status.UNKNOWN,
              account,
              "A multi-Region trail would log KMS calls, but whether it is logging is not in the"
                  + " snapshot — "
                  + detail));
    }
    return List.of(
        Finding.forAccount(
            INFO,
            Status.FAIL,
            account,
            "No multi-Region trail that is logging records KMS calls including cryptographic"
                + " operations — "
                + detail));
  }

  /** Returns what the trail's selectors record of KMS (the best over its selectors). */
  static Coverage coverage(TrailSnapshot trail) {
    Coverage best = Coverage.NONE;
    for (EventSelector s : trail.eventSelectors()) {
      best = better(best, basic(s));
    }
    for (AdvancedEventSelector s : trail.advancedEventSelectors()) {
      best = better(best, advanced(s));
    }
    return best;
  }

  private static Coverage better(Coverage a, Coverage b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Coverage basic(EventSelector s) {
    if (!s.includeManagementEvents()) {
      return Coverage.NONE;
    }
    if (s.excludeManagementEventSources().stream().anyMatch(KMS::equalsIgnoreCase)) {
      return Coverage.EXCLUDED;
    }
    return switch (s.readWriteType()) {
      case "All" -> Coverage.ALL;
      case "ReadOnly" -> Coverage.READ_ONLY;
      default -> Coverage.WRITES_ONLY;
    };
  }

  private static Coverage advanced(AdvancedEventSelector s) {
    boolean management = false;
    boolean excluded = false;
    boolean writesOnly = false;
    boolean readsOnly = false;
    boolean filtered = false;
    for (FieldSelector f : s.fieldSelectors()) {
      switch (f.field()) {
        case "eventCategory" -> management = f.equalsValues().contains("Management");
        case "eventSource" -> excluded |= excludesKms(f);
        case "readOnly" -> {
          if (f.equalsValues().equals(List.of("false")) || f.notEquals().contains("true")) {
            writesOnly = true;
          } else if (f.equalsValues().equals(List.of("true")) || f.notEquals().contains("false")) {
            readsOnly = true;
          }
        }
        default -> filtered = true;
      }
    }
    if (!management) {
      return Coverage.NONE;
    }
    if (excluded) {
      return Coverage.EXCLUDED;
    }
    if (filtered) {
      return Coverage.FILTERED;
    }
    if (writesOnly) {
      return Coverage.WRITES_ONLY;
    }
    return readsOnly ? Coverage.READ_ONLY : Coverage.ALL;
  }

  private static boolean excludesKms(FieldSelector f) {
    if (f.notEquals().contains(KMS)
        || f.notStartsWith().stream().anyMatch(KMS::startsWith)
        || f.notEndsWith().stream().anyMatch(KMS::endsWith)) {
      return true;
    }
    if (!f.equalsValues().isEmpty() && !f.equalsValues().contains(KMS)) {
      return true;
    }
    if (!f.startsWith().isEmpty() && f.startsWith().stream().noneMatch(KMS::startsWith)) {
      return true;
    }
    return !f.endsWith().isEmpty() && f.endsWith().stream().noneMatch(KMS::endsWith);
  }
}
