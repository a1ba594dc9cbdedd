package dev.kmsposture.aws.scan;

import dev.kmsposture.aws.internal.SignedAccountLister;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Lists the accounts of an AWS Organization, one page at a time, for {@link OrganizationScanner}.
 * This narrow interface is all the scanner needs of Organizations, so a caller who has the SDK's
 * {@code OrganizationsClient} can plug it in:
 *
 * <pre>{@code
 * AccountLister lister = token -> {
 *   ListAccountsResponse page = organizations.listAccounts(r -> r.nextToken(token));
 *   return new AccountPage(
 *       page.accounts().stream()
 *           .map(a -> new MemberAccount(AccountId.of(a.id()), a.name(), a.stateAsString()))
 *           .toList(),
 *       page.nextToken());
 * };
 * }</pre>
 *
 * <p>{@link #organizations(SdkHttpClient, AwsCredentialsProvider, Region)} gives one built on the
 * SDK's core pieces instead; see there why.
 */
@FunctionalInterface
public interface AccountLister {
  /**
   * Returns the page after {@code nextToken} (the first page when it is null). {@code ListAccounts}
   * works only in the organization's management account or a delegated administrator account.
   *
   * @throws RuntimeException if the accounts cannot be listed; the organization scan fails with it,
   *     because an organization's accounts cannot be guessed
   */
  AccountPage page(@Nullable String nextToken);

  /** A lister of exactly {@code accounts}, in one page (the {@code --accounts FILE} mode). */
  static AccountLister of(List<MemberAccount> accounts) {
    List<MemberAccount> copy = List.copyOf(accounts);
    return token -> new AccountPage(copy, null);
  }

  /**
   * Returns a lister that calls Organizations {@code ListAccounts} (AWS JSON 1.1, at most 20
   * accounts a page, every page until {@code NextToken} is absent — empty pages included), signed
   * with Signature Version 4 by the SDK's {@code AwsV4HttpSigner} and sent with {@code httpClient}
   * to the partition's Organizations endpoint ({@code organizations.us-east-1.amazonaws.com} in
   * {@code aws}).
   *
   * <p>Why not the SDK's {@code OrganizationsClient}: kms-posture depends only on the SDK modules
   * it must (KMS, CloudTrail, STS and the core), and its build cannot take the {@code
   * organizations} module at the SDK version the project pins; {@code ListAccounts} is one
   * read-only JSON call, which this small signed caller makes with the same signer, HTTP client and
   * credentials the SDK clients use. Plug in an {@code OrganizationsClient} through this interface
   * when you have one.
   *
   * @param httpClient the HTTP client (the caller's; not closed here)
   * @param credentials the management (or delegated administrator) account's credentials
   * @param region a Region of the organization's partition; the endpoint and signing Region follow
   *     from it
   */
  static AccountLister organizations(
      SdkHttpClient httpClient, AwsCredentialsProvider credentials, Region region) {
    return new SignedAccountLister(
        Objects.requireNonNull(httpClient, "httpClient"),
        Objects.requireNonNull(credentials, "credentials"),
        Objects.requireNonNull(region, "region"),
        null);
  }

  /**
   * Returns the signed {@code ListAccounts} caller of {@link #organizations(SdkHttpClient,
   * AwsCredentialsProvider, Region)}, sent to {@code endpoint} instead (an emulator, or a VPC
   * endpoint).
   */
  static AccountLister organizations(
      SdkHttpClient httpClient, AwsCredentialsProvider credentials, Region region, URI endpoint) {
    return new SignedAccountLister(
        Objects.requireNonNull(httpClient, "httpClient"),
        Objects.requireNonNull(credentials, "credentials"),
        Objects.requireNonNull(region, "region"),
        Objects.requireNonNull(endpoint, "endpoint"));
  }
}
