package dev.kmsposture.aws.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.aws.internal.SignedServiceCall;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * {@code DescribeFileSystems} of Amazon EFS and Amazon FSx through {@link SignedServiceCall}. The
 * wire shapes are the API references':
 *
 * <ul>
 *   <li>EFS (Amazon EFS API Reference, "DescribeFileSystems"): {@code GET
 *       /2015-02-01/file-systems?Marker=…&MaxItems=…}; the answer's {@code FileSystems} (each with
 *       {@code FileSystemId}, {@code FileSystemArn}, {@code Encrypted}, {@code KmsKeyId}, {@code
 *       LifeCycleState}, {@code Tags} as {@code Key}/{@code Value} pairs) and {@code NextMarker},
 *       "until the response has no NextMarker"; {@code MaxItems} defaults to 100. Errors carry
 *       {@code ErrorCode} and {@code Message} in the body.
 *   <li>FSx (Amazon FSx API Reference, "DescribeFileSystems"): AWS JSON 1.1, target {@code
 *       AWSSimbaAPIService_v20180301.DescribeFileSystems}, body {@code {"NextToken": …}}; the
 *       answer's {@code FileSystems} (each with {@code FileSystemId}, {@code FileSystemType},
 *       {@code ResourceARN}, {@code KmsKeyId}, {@code Lifecycle}, {@code
 *       LustreConfiguration.DeploymentType}, {@code Tags}) and {@code NextToken}; "the
 *       implementation might return fewer than MaxResults file system descriptions while still
 *       including a NextToken value", so only an absent token ends the list.
 * </ul>
 */
final class SignedFileSystemLister implements FileSystemLister {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String EFS_PATH = "/2015-02-01/file-systems";
  static final String FSX_TARGET = "AWSSimbaAPIService_v20180301.DescribeFileSystems";
  private static final String EFS_PAGE_SIZE = "100";

  private final SignedServiceCall call;
  private final boolean efs;

  private SignedFileSystemLister(SignedServiceCall call, boolean efs) {
    this.call = call;
    this.efs = efs;
  }

  static SignedFileSystemLister efs(
      SdkHttpClient http,
      AwsCredentialsProvider credentials,
      Region region,
      @Nullable URI endpoint) {
    // EFS signs and is reached as "elasticfilesystem" (AWS General Reference, "Amazon Elastic
    // File System endpoints and quotas": elasticfilesystem.REGION.amazonaws.com).
    return new SignedFileSystemLister(
        new SignedServiceCall(http, credentials, "elasticfilesystem", region, endpoint), true);
  }

  static SignedFileSystemLister fsx(
      SdkHttpClient http,
      AwsCredentialsProvider credentials,
      Region region,
      @Nullable URI endpoint) {
    // AWS General Reference, "Amazon FSx endpoints and quotas": fsx.REGION.amazonaws.com.
    return new SignedFileSystemLister(
        new SignedServiceCall(http, credentials, "fsx", region, endpoint), false);
  }

  @Override
  public FileSystemPage page(@Nullable String next) {
    return efs ? efsPage(next) : fsxPage(next);
  }

  private FileSystemPage efsPage(@Nullable String marker) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("MaxItems", EFS_PAGE_SIZE);
    if (marker != null) {
      query.put("Marker", marker);
    }
    JsonNode body = call.get(EFS_PATH, query);
    List<FileSystemDescription> out = new ArrayList<>();
    for (JsonNode f : list(body, "FileSystems")) {
      JsonNode encrypted = f.get("Encrypted");
      out.add(
          FileSystemDescription.builder()
              .fileSystemId(id(f))
              .arn(text(f, "FileSystemArn"))
              .fileSystemType("EFS")
              .encrypted((encrypted == null || encrypted.isNull()) ? null : encrypted.asBoolean())
              .kmsKeyId(text(f, "KmsKeyId"))
              .lifecycle(text(f, "LifeCycleState"))
              .tags(tags(f))
              .build());
    }
    return new FileSystemPage(out, text(body, "NextMarker"));
  }

  private FileSystemPage fsxPage(@Nullable String token) {
    ObjectNode request = JSON.createObjectNode();
    if (token != null) {
      request.put("NextToken", token);
    }
    JsonNode body = call.json11(FSX_TARGET, request);
    List<FileSystemDescription> out = new ArrayList<>();
    for (JsonNode f : list(body, "FileSystems")) {
      String type = text(f, "FileSystemType");
      out.add(
          FileSystemDescription.builder()
              .fileSystemId(id(f))
              .arn(text(f, "ResourceARN"))
              .fileSystemType(type == null ? "UNKNOWN" : type)
              .deploymentType(text(f.path("LustreConfiguration"), "DeploymentType"))
              .kmsKeyId(text(f, "KmsKeyId"))
              .lifecycle(text(f, "Lifecycle"))
              .tags(tags(f))
              .build());
    }
    return new FileSystemPage(out, text(body, "NextToken"));
  }

  private JsonNode list(JsonNode body, String field) {
    JsonNode list = body.path(field);
    if (!list.isArray()) {
      throw SdkClientException.create(
          String.format(
              "DescribeFileSystems at [%s] answered without a %s list; expected the API"
                  + " reference's answer shape",
              call.endpoint(), field));
    }
    return list;
  }

  private String id(JsonNode f) {
    String id = text(f, "FileSystemId");
    if (id == null || id.isBlank()) {
      throw SdkClientException.create(
          String.format(
              "DescribeFileSystems at [%s] listed a file system without a FileSystemId: %s",
              call.endpoint(), abbreviate(f.toString())));
    }
    return id;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 199) + "…";
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }

  private static Map<String, String> tags(JsonNode f) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode t : f.path("Tags")) {
      String key = text(t, "Key");
      if (key != null) {
        String value = text(t, "Value");
        tags.put(key, value == null ? "" : value);
      }
    }
    return tags;
  }
}
