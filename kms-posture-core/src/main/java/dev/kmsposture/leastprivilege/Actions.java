package dev.kmsposture.leastprivilege;

import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/** The explicit action lists of each role, sorted by name so that output is canonical. */
final class Actions {
  private Actions() {}

  /**
   * Key administration, listed explicitly and never as a wildcard ({@code kms:Create*} would
   * include CreateGrant; {@code kms:Get*} would include GetPublicKey and GetParametersForImport).
   * No cryptographic action and no CreateGrant. ImportKeyMaterial and GetParametersForImport are
   * left out: importing material is a separate, rare duty (AWS's own default administrator
   * statement leaves out ImportKeyMaterial too).
   */
  static final List<KmsAction> ADMINISTRATION =
      sorted(
          List.of(
              KmsAction.CANCEL_KEY_DELETION,
              KmsAction.CREATE_ALIAS,
              KmsAction.DELETE_ALIAS,
              KmsAction.DELETE_IMPORTED_KEY_MATERIAL,
              KmsAction.DESCRIBE_KEY,
              KmsAction.DISABLE_KEY,
              KmsAction.DISABLE_KEY_ROTATION,
              KmsAction.ENABLE_KEY,
              KmsAction.ENABLE_KEY_ROTATION,
              KmsAction.GET_KEY_LAST_USAGE,
              KmsAction.GET_KEY_POLICY,
              KmsAction.GET_KEY_ROTATION_STATUS,
              KmsAction.LIST_GRANTS,
              KmsAction.LIST_KEY_POLICIES,
              KmsAction.LIST_KEY_ROTATIONS,
              KmsAction.LIST_RESOURCE_TAGS,
              KmsAction.PUT_KEY_POLICY,
              KmsAction.REVOKE_GRANT,
              KmsAction.ROTATE_KEY_ON_DEMAND,
              KmsAction.SCHEDULE_KEY_DELETION,
              KmsAction.TAG_RESOURCE,
              KmsAction.UNTAG_RESOURCE,
              KmsAction.UPDATE_ALIAS,
              KmsAction.UPDATE_KEY_DESCRIPTION,
              KmsAction.UPDATE_PRIMARY_REGION));

  /**
   * Read-only audit access in the key's account. Not {@code kms:Get*}/{@code kms:List*}. The issue
   * also lists ListRetirableGrants, but KMS authorises it only in IAM policies (KMS permissions
   * reference: it has no key resource), so a key-policy statement for it would have no effect and
   * is left out.
   */
  static final List<KmsAction> AUDIT =
      sorted(
          List.of(
              KmsAction.DESCRIBE_KEY,
              KmsAction.GET_KEY_LAST_USAGE,
              KmsAction.GET_KEY_POLICY,
              KmsAction.GET_KEY_ROTATION_STATUS,
              KmsAction.LIST_GRANTS,
              KmsAction.LIST_KEY_POLICIES,
              KmsAction.LIST_KEY_ROTATIONS,
              KmsAction.LIST_RESOURCE_TAGS));

  /** The read-only actions KMS allows across accounts (KMS API Reference, "Cross-account use"). */
  static final List<KmsAction> EXTERNAL_AUDIT =
      sorted(
          List.of(
              KmsAction.DESCRIBE_KEY, KmsAction.GET_KEY_ROTATION_STATUS, KmsAction.LIST_GRANTS));

  /** Grant management for AWS resources, always with {@code kms:GrantIsForAWSResource = true}. */
  static final List<KmsAction> GRANTS =
      sorted(List.of(KmsAction.CREATE_GRANT, KmsAction.LIST_GRANTS, KmsAction.REVOKE_GRANT));

  /** Returns the union of the lists, deduplicated and sorted by name. */
  @SafeVarargs
  static List<KmsAction> sorted(Collection<KmsAction>... lists) {
    TreeMap<String, KmsAction> byName = new TreeMap<>(Comparator.naturalOrder());
    for (Collection<KmsAction> list : lists) {
      for (KmsAction a : list) {
        byName.put(a.name(), a);
      }
    }
    return List.copyOf(new ArrayList<>(byName.values()));
  }
}
