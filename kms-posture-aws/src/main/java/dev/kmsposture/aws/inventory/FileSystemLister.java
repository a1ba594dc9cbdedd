package dev.kmsposture.aws.inventory;

import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Lists the Amazon EFS or Amazon FSx file systems of one Region, one page at a time, for the
 * inventory ({@link InventoryClients.Builder#efs(String, FileSystemLister)}, {@link
 * InventoryClients.Builder#fsx(String, FileSystemLister)}). This narrow interface is all the
 * inventory needs of either service, so a caller who has the SDK's {@code EfsClient} can plug it
 * in:
 *
 * <pre>{@code
 * FileSystemLister efs = marker -> {
 *   DescribeFileSystemsResponse page = efsClient.describeFileSystems(r -> r.marker(marker));
 *   return new FileSystemPage(
 *       page.fileSystems().stream()
 *           .map(f -> FileSystemDescription.builder()
 *               .fileSystemId(f.fileSystemId()).arn(f.fileSystemArn()).fileSystemType("EFS")
 *               .encrypted(f.encrypted()).kmsKeyId(f.kmsKeyId())
 *               .lifecycle(f.lifeCycleStateAsString())
 *               .tags(f.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value)))
 *               .build())
 *           .toList(),
 *       page.nextMarker());
 * };
 * }</pre>
 *
 * <p>{@link #efs(SdkHttpClient, AwsCredentialsProvider, Region)} and {@link #fsx(SdkHttpClient,
 * AwsCredentialsProvider, Region)} give listers built on the SDK's core pieces instead: kms-posture
 * depends only on the SDK modules it must, and its build cannot take the {@code efs} and {@code
 * fsx} modules at the SDK version the project pins; {@code DescribeFileSystems} is one read-only
 * call in each, which these small signed callers make with the SDK's signer, the caller's HTTP
 * client and credentials, as {@link dev.kmsposture.aws.scan.AccountLister#organizations} does for
 * Organizations.
 */
@FunctionalInterface
public interface FileSystemLister {
  /**
   * Returns the page after {@code next} (the first page when it is null).
   *
   * @throws software.amazon.awssdk.core.exception.SdkException if the page cannot be read: the
   *     service's error answer as an {@code AwsServiceException} (throttled and failed requests are
   *     retried by the inventory, the rest leave the service and Region with a coverage gap)
   */
  FileSystemPage page(@Nullable String next);

  /**
   * Returns a lister that calls Amazon EFS {@code DescribeFileSystems} (REST-JSON, {@code GET
   * /2015-02-01/file-systems}, 100 a page, {@code Marker} until no {@code NextMarker}) at {@code
   * elasticfilesystem.REGION.amazonaws.com} (the Region's DNS suffix), signed with Signature
   * Version 4 (signing name {@code elasticfilesystem}).
   *
   * @param httpClient the HTTP client (the caller's; not closed here)
   * @param credentials the account's credentials
   * @param region the Region to list
   */
  static FileSystemLister efs(
      SdkHttpClient httpClient, AwsCredentialsProvider credentials, Region region) {
    return SignedFileSystemLister.efs(
        Objects.requireNonNull(httpClient, "httpClient"),
        Objects.requireNonNull(credentials, "credentials"),
        Objects.requireNonNull(region, "region"),
        null);
  }

  /**
   * The EFS lister of {@link #efs(SdkHttpClient, AwsCredentialsProvider, Region)}, at {@code
   * endpoint}.
   */
  static FileSystemLister efs(
      SdkHttpClient httpClient, AwsCredentialsProvider credentials, Region region, URI endpoint) {
    return SignedFileSystemLister.efs(
        Objects.requireNonNull(httpClient, "httpClient"),
        Objects.requireNonNull(credentials, "credentials"),
        Objects.requireNonNull(region, "region"),
        Objects.requireNonNull(endpoint, "endpoint"));
  }

  /**
   * Returns a lister that calls Amazon FSx {@code DescribeFileSystems} (AWS JSON 1.1, {@code
   * X-Amz-Target: AWSSimbaAPIService_v20180301.DescribeFileSystems}, {@code NextToken} until
   * absent) at {@code fsx.REGION.amazonaws.com} (the Region's DNS suffix), signed with Signature
   * Version 4 (signing name {@code fsx}).
   *
   * @param httpClient the HTTP client (the caller's; not closed here)
   * @param credentials the account's credentials
   * @param region the Region to list
   */
  static FileSystemLister fsx(
      SdkHttpClient httpClient, AwsCredentialsProvider credentials, Region region) {
    return SignedFileSystemLister.fsx(
        Objects.requireNonNull(httpClient, "httpClient"),
        Objects.requireNonNull(credentials, "credentials"),
        Objects.requireNonNull(region, "region"),
        null);
  }

  /**
   * The FSx lister of {@link #fsx(SdkHttpClient, AwsCredentialsProvider, Region)}, at {@code
   * endpoint}.
   */
  static FileSystemLister fsx(
      SdkHttpClient httpClient, AwsCredentialsProvider credentials, Region region, URI endpoint) {
    return SignedFileSystemLister.fsx(
        Objects.requireNonNull(httpClient, "httpClient"),
        Objects.requireNonNull(credentials, "credentials"),
        Objects.requireNonNull(region, "region"),
        Objects.requireNonNull(endpoint, "endpoint"));
  }
}
