package dev.kmsposture.cli;

import java.util.List;
import java.util.Map;

/**
 * Rewrites the least-privilege builder's messages for the command line. The builder is a Java API,
 * so its messages name its methods ("call acknowledgeAdminCanUse(reason)"); a user of {@code
 * kms-posture policy} needs the flag (and role-file field) that does the same.
 */
final class PolicyFlags {
  // Longest first where one phrase contains another.
  private static final List<Map.Entry<String, String>> PHRASES =
      List.of(
          Map.entry(
              "call acknowledgeAdminCanUse(reason)",
              "pass --allow-admin-use REASON (role file: \"allowAdminUse\")"),
          Map.entry(
              "crossAccountUsers(...) or auditors(...)",
              "--cross-account or --auditor (role file: \"crossAccount\", \"auditors\")"),
          Map.entry(
              "users(...) or addServiceUsers(...)",
              "--user, with --via-service for service use (role file: \"users\","
                  + " \"serviceUsers\")"),
          Map.entry(
              "BreakGlass.rootRestrictedTo(role) or BreakGlass.none()",
              "--break-glass ROLE_ARN or --break-glass none"),
          Map.entry(
              "administrators(...) or choose breakGlass(...)",
              "--admin or choose --break-glass (role file: \"administrators\","
                  + " \"breakGlass\")"),
          Map.entry("choose breakGlass(...)", "choose --break-glass ROLE_ARN"),
          Map.entry("use grantUsers(...)", "name it with --grant-user"),
          Map.entry("set partition(...)", "set --partition"),
          Map.entry(
              "call account(AccountId) or start with KeyPolicyBuilder.forAccount",
              "pass --account"),
          Map.entry("use KeyKind.SYMMETRIC_DEFAULT", "use --key-spec SYMMETRIC_DEFAULT"));

  private PolicyFlags() {}

  /** Returns {@code message} with the builder's method names replaced by flags. */
  static String wording(String message) {
    String out = message;
    for (Map.Entry<String, String> e : PHRASES) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }
}
