package dev.kmsposture.aws.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * The default request quotas (requests per second, per account and Region) of the operations a scan
 * calls. Every one is a separate bucket, shared with every other caller in the account (production
 * traffic included), so the scanner spends only a budget fraction of each.
 */
public final class KmsQuotas {
  private KmsQuotas() {}

  // KMS Developer Guide "Request quotas" (the 2023 table, with the current text's values where it
  // differs: GetKeyLastUsage 5, ListKeyRotations 100). Source: ../shared/reference/kms-facts.md,
  // "Quotas that bound scan and provisioning speed". Service Quotas may hold higher live values;
  // callers pass them through ScanOptions.quota.
  private static final Map<String, Double> DEFAULTS =
      Map.ofEntries(
          Map.entry("DescribeKey", 2000.0),
          Map.entry("ListResourceTags", 2000.0),
          Map.entry("GetKeyPolicy", 1000.0),
          Map.entry("GetKeyRotationStatus", 1000.0),
          Map.entry("ListKeys", 500.0),
          Map.entry("ListAliases", 500.0),
          Map.entry("ListGrants", 100.0),
          Map.entry("ListKeyRotations", 100.0),
          Map.entry("GetKeyLastUsage", 5.0),
          // CloudTrail API Reference, LookupEvents: "limited to two per second, per account, per
          // Region".
          Map.entry("LookupEvents", 2.0),
          // CloudTrail publishes no rate for its control-plane reads; a scan makes a handful of
          // them per Region, so a conservative 5 per second costs nothing measurable.
          Map.entry("DescribeTrails", 5.0),
          Map.entry("GetTrailStatus", 5.0),
          Map.entry("GetEventSelectors", 5.0),
          Map.entry("ListEventDataStores", 5.0),
          Map.entry("GetEventDataStore", 5.0),
          // STS GetCallerIdentity and AssumeRole: once per scan or session; no published rate
          // that binds a scan.
          Map.entry("GetCallerIdentity", 5.0),
          Map.entry("AssumeRole", 5.0));

  /** Every default rate, by operation, sorted. */
  public static Map<String, Double> defaults() {
    return new TreeMap<>(DEFAULTS);
  }
}
