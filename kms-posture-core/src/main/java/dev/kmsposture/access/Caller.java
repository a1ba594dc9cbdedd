package dev.kmsposture.access;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One calling principal the analysis tries: a representative of a class of principals that every
 * statement of the policy treats alike.
 *
 * @param principal the caller, as {@link AccessRequest.Builder#principal(String)} takes it
 * @param rolePath the path of a session's role, or null when not a session
 * @param boundary whether the caller has a permissions boundary
 * @param account the caller's account, or null for a service principal or anonymous
 * @param kind what kind of caller it is
 * @param named whether the policy names this caller (not a stand-in for unnamed principals)
 */
record Caller(
    String principal,
    @Nullable String rolePath,
    boolean boundary,
    @Nullable String account,
    AccessRequest.CallerKind kind,
    boolean named) {

  Caller {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(kind, "kind");
  }

  /** Returns whether the caller belongs to {@code account}. */
  boolean isIn(String account) {
    return account.equals(this.account);
  }

  /** Returns the request builder for this caller, without action or context. */
  AccessRequest.Builder request() {
    AccessRequest.Builder b = AccessRequest.builder().principal(principal);
    if (rolePath != null) {
      b.rolePath(rolePath);
    }
    return b.permissionsBoundary(boundary);
  }
}
