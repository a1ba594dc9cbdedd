package dev.kmsposture.aws.scan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code ListAccounts}: its accounts and the token of the next page. A page may be
 * empty and still carry a token (AWS Organizations says to keep calling until the token is absent).
 *
 * @param accounts the accounts of the page (possibly none)
 * @param nextToken the token of the next page, or null on the last page
 */
public record AccountPage(List<MemberAccount> accounts, @Nullable String nextToken) {
  /** Copies the accounts. */
  public AccountPage {
    accounts = List.copyOf(Objects.requireNonNull(accounts, "accounts"));
  }

  /** The token of the next page, if there is one. */
  public Optional<String> next() {
    return Optional.ofNullable(nextToken);
  }
}
