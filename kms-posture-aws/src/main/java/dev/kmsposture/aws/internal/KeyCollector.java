package dev.kmsposture.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeyRotation;
import dev.kmsposture.snapshot.KeySnapshot;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageRequest;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusRequest;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.ListGrantsRequest;
import software.amazon.awssdk.services.kms.model.ListGrantsResponse;
import software.amazon.awssdk.services.kms.model.ListKeyRotationsRequest;
import software.amazon.awssdk.services.kms.model.ListKeyRotationsResponse;
import software.amazon.awssdk.services.kms.model.ListResourceTagsRequest;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * Reads one key: {@code DescribeKey}, then only the calls its metadata makes useful.
 *
 * <ul>
 *   <li>AWS managed keys: nothing more (their policy, rotation and tags are AWS's, and no rule
 *       judges them from those parts; {@code GetKeyRotationStatus} is even denied on some, such as
 *       {@code aws/acm}).
 *   <li>Customer-managed keys: {@code GetKeyPolicy} ({@code PolicyName=default}), {@code
 *       ListResourceTags}, {@code ListGrants}, and {@code GetKeyLastUsage} unless turned off.
 *   <li>{@code GetKeyRotationStatus} only where the key can rotate automatically (symmetric
 *       encryption, {@code AWS_KMS} origin, no custom key store); {@code ListKeyRotations} where it
 *       can rotate automatically or on demand (also {@code EXTERNAL} origin, then with {@code
 *       IncludeKeyMaterial=ALL_KEY_MATERIAL}). Decided from the metadata, never from an error.
 * </ul>
 *
 * A part that fails stays out of the snapshot with the reason in {@code unreadable}; a key whose
 * {@code DescribeKey} fails stays in with {@link KeyPart#METADATA}, so no key is lost.
 */
public final class KeyCollector {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICY_NAME = "default"; // the only key policy name KMS knows

  /** What one key needs besides its clients: the Region's aliases and the usage settings. */
  public record Context(
      String region,
      KmsClient kms,
      @Nullable CloudTrailClient cloudTrail,
      AliasIndex aliases,
      boolean lastUsage,
      @Nullable Duration lookupWindow,
      Instant now) {}

  private final ScanCalls calls;

  /** Creates a collector that makes its calls through {@code calls}. */
  public KeyCollector(ScanCalls calls) {
    this.calls = calls;
  }

  /**
   * Reads the key {@code keyArn} (its id {@code keyId}).
   *
   * @throws java.util.concurrent.CancellationException if the scan is cancelled
   */
  public KeySnapshot collect(Context c, String keyArn, String keyId) {
    KeyMetadata metadata;
    String metadataProblem = null;
    try {
      var described =
          calls.call(
              c.region(),
              "DescribeKey",
              () ->
                  c.kms()
                      .describeKey(
                          DescribeKeyRequest.builder()
                              .keyId(keyArn)
                              .overrideConfiguration(calls.override())
                              .build()));
      if (described.keyMetadata() == null) {
        metadata = KeyMetadata.unknown();
        metadataProblem = "DescribeKey answered without KeyMetadata";
      } else {
        SdkMapping.Metadata mapped =
            SdkMapping.metadata(described.keyMetadata(), keyId, c.aliases().hasAwsAlias(keyId));
        metadata = mapped.metadata();
        if (!mapped.missing().isEmpty()) {
          metadataProblem =
              "DescribeKey answered without "
                  + String.join(", ", mapped.missing())
                  + ", which the rules need and which cannot be derived";
        }
      }
    } catch (NotFoundException e) {
      metadata = KeyMetadata.unknown();
      metadataProblem =
          Failures.reason(e)
              + " (ListKeys listed the key, so it was probably deleted during the scan)";
    } catch (SdkException | ScanDeadline.Exceeded e) {
      metadata = KeyMetadata.unknown();
      metadataProblem = Failures.reason(e);
    }
    KeySnapshot.Builder key = KeySnapshot.builder(keyArn, metadata).keyId(keyId).region(c.region());
    c.aliases()
        .aliasesOf(keyId)
        .ifPresentOrElse(
            key::aliases, () -> key.unreadable(KeyPart.ALIASES, c.aliases().problem()));
    if (metadataProblem != null) {
      return key.unreadable(KeyPart.METADATA, metadataProblem).build();
    }
    KeyMetadata m = metadata;
    if (!m.isCustomerManaged()) {
      return key.build();
    }
    read(key, KeyPart.POLICY, () -> key.policy(policy(c, keyArn)));
    read(key, KeyPart.TAGS, () -> key.tags(tags(c, keyArn)));
    read(key, KeyPart.GRANTS, () -> key.grants(grants(c, keyArn)));
    if (canRotateAutomatically(m)) {
      read(key, KeyPart.ROTATION, () -> rotation(c, keyArn, key));
    }
    if (canRotate(m)) {
      read(key, KeyPart.ROTATIONS, () -> rotations(c, keyArn, m, key));
    }
    if (c.lastUsage()) {
      read(
          key,
          KeyPart.LAST_USAGE,
          () ->
              key.lastUsage(
                  SdkMapping.lastUsage(
                      calls.call(
                          c.region(),
                          "GetKeyLastUsage",
                          () ->
                              c.kms()
                                  .getKeyLastUsage(
                                      GetKeyLastUsageRequest.builder()
                                          .keyId(keyArn)
                                          .overrideConfiguration(calls.override())
                                          .build())))));
      if (c.lookupWindow() != null && c.cloudTrail() != null) {
        lookup(c, keyArn, key);
      }
    }
    return key.build();
  }

  /** Symmetric encryption, KMS-generated material, no custom key store (EnableKeyRotation docs). */
  static boolean canRotateAutomatically(KeyMetadata m) {
    return m.isCustomerManaged() && m.isSymmetricEncryption() && m.isKmsGeneratedMaterial();
  }

  /**
   * Automatic rotation, or on-demand rotation of imported symmetric material (since 2025; AWS_KMS
   * or EXTERNAL origin, no custom key store): the keys {@code ListKeyRotations} answers for.
   */
  static boolean canRotate(KeyMetadata m) {
    return m.isCustomerManaged()
        && m.isSymmetricEncryption()
        && m.customKeyStoreId() == null
        && (m.origin().equals("AWS_KMS") || m.origin().equals("EXTERNAL"));
  }

  private interface Part {
    void read() throws IOException;
  }

  private static void read(KeySnapshot.Builder key, KeyPart part, Part body) {
    try {
      body.read();
    } catch (SdkException | ScanDeadline.Exceeded | IllegalStateException | IOException e) {
      key.unreadable(part, Failures.reason(e));
    } catch (PartProblem e) {
      key.unreadable(part, e.reason);
    }
  }

  /** A part that answered but cannot be used as it is. */
  private static final class PartProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    PartProblem(String message) {
      super(message, null, false, false);
      this.reason = message;
    }
  }

  private String policy(Context c, String keyArn) {
    String policy =
        calls
            .call(
                c.region(),
                "GetKeyPolicy",
                () ->
                    c.kms()
                        .getKeyPolicy(
                            GetKeyPolicyRequest.builder()
                                .keyId(keyArn)
                                .policyName(POLICY_NAME)
                                .overrideConfiguration(calls.override())
                                .build()))
            .policy();
    if (policy == null) {
      throw new PartProblem("GetKeyPolicy answered without a Policy");
    }
    return policy;
  }

  private Map<String, String> tags(Context c, String keyArn) {
    Map<String, String> tags = new TreeMap<>();
    calls.pages(
        c.region(),
        "ListResourceTags",
        new ScanCalls.Pages<ListResourceTagsResponse>() {
          @Override
          public Iterator<ListResourceTagsResponse> from(@Nullable String marker) {
            return c.kms()
                .listResourceTagsPaginator(
                    ListResourceTagsRequest.builder()
                        .keyId(keyArn)
                        .limit(50)
                        .marker(marker)
                        .overrideConfiguration(calls.override())
                        .build())
                .iterator();
          }

          @Override
          public @Nullable String nextMarker(ListResourceTagsResponse page) {
            return page.nextMarker();
          }

          @Override
          public @Nullable Boolean truncated(ListResourceTagsResponse page) {
            return page.truncated();
          }
        },
        page -> {
          if (page.hasTags()) {
            for (var t : page.tags()) {
              if (t.tagKey() == null) {
                throw new PartProblem("ListResourceTags answered a tag without a TagKey");
              }
              tags.put(t.tagKey(), t.tagValue() == null ? "" : t.tagValue());
            }
          }
        });
    return tags;
  }

  private List<KeyGrant> grants(Context c, String keyArn) {
    List<KeyGrant> grants = new ArrayList<>();
    calls.pages(
        c.region(),
        "ListGrants",
        new ScanCalls.Pages<ListGrantsResponse>() {
          @Override
          public Iterator<ListGrantsResponse> from(@Nullable String marker) {
            return c.kms()
                .listGrantsPaginator(
                    ListGrantsRequest.builder()
                        .keyId(keyArn)
                        .limit(100)
                        .marker(marker)
                        .overrideConfiguration(calls.override())
                        .build())
                .iterator();
          }

          @Override
          public @Nullable String nextMarker(ListGrantsResponse page) {
            return page.nextMarker();
          }

          @Override
          public @Nullable Boolean truncated(ListGrantsResponse page) {
            return page.truncated();
          }
        },
        page -> {
          if (page.hasGrants()) {
            for (var g : page.grants()) {
              grants.add(
                  SdkMapping.grant(g)
                      .orElseThrow(
                          () ->
                              new PartProblem(
                                  "ListGrants answered grant ["
                                      + g.grantId()
                                      + "] without a grant id or grantee principal")));
            }
          }
        });
    return grants;
  }

  private void rotation(Context c, String keyArn, KeySnapshot.Builder key) {
    var status =
        calls.call(
            c.region(),
            "GetKeyRotationStatus",
            () ->
                c.kms()
                    .getKeyRotationStatus(
                        GetKeyRotationStatusRequest.builder()
                            .keyId(keyArn)
                            .overrideConfiguration(calls.override())
                            .build()));
    key.rotation(
        SdkMapping.rotation(status)
            .orElseThrow(
                () -> new PartProblem("GetKeyRotationStatus answered without KeyRotationEnabled")));
  }

  private void rotations(Context c, String keyArn, KeyMetadata m, KeySnapshot.Builder key) {
    List<KeyRotation> rotations = new ArrayList<>();
    boolean imported = m.isImportedMaterial();
    calls.pages(
        c.region(),
        "ListKeyRotations",
        new ScanCalls.Pages<ListKeyRotationsResponse>() {
          @Override
          public Iterator<ListKeyRotationsResponse> from(@Nullable String marker) {
            ListKeyRotationsRequest.Builder request =
                ListKeyRotationsRequest.builder()
                    .keyId(keyArn)
                    .limit(1000)
                    .marker(marker)
                    .overrideConfiguration(calls.override());
            if (imported) {
              // every piece of imported material, not only completed rotations
              request.includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL);
            }
            return c.kms().listKeyRotationsPaginator(request.build()).iterator();
          }

          @Override
          public @Nullable String nextMarker(ListKeyRotationsResponse page) {
            return page.nextMarker();
          }

          @Override
          public @Nullable Boolean truncated(ListKeyRotationsResponse page) {
            return page.truncated();
          }
        },
        page -> {
          if (page.hasRotations()) {
            for (var r : page.rotations()) {
              rotations.add(
                  SdkMapping.rotation(r)
                      .orElseThrow(
                          () ->
                              new PartProblem(
                                  "ListKeyRotations answered an entry with neither RotationDate"
                                      + " nor KeyMaterialId")));
            }
          }
        });
    key.rotations(rotations);
  }

  /** CloudTrail event history of the key: who used it, and its key events. */
  private void lookup(Context c, String keyArn, KeySnapshot.Builder key) {
    CloudTrailClient cloudTrail = c.cloudTrail();
    Duration window = c.lookupWindow();
    if (cloudTrail == null || window == null) {
      return;
    }
    Instant start = c.now().minus(window);
    KeyUsageAggregator usage = new KeyUsageAggregator(keyArn::equals, start);
    Supplier<LookupEventsRequest.Builder> base =
        () ->
            LookupEventsRequest.builder()
                .lookupAttributes(
                    LookupAttribute.builder()
                        .attributeKey(LookupAttributeKey.RESOURCE_NAME)
                        .attributeValue(keyArn)
                        .build())
                .startTime(start)
                .endTime(c.now())
                .maxResults(50)
                .overrideConfiguration(calls.override());
    try {
      calls.pages(
          c.region(),
          "LookupEvents",
          new ScanCalls.Pages<LookupEventsResponse>() {
            @Override
            public Iterator<LookupEventsResponse> from(@Nullable String marker) {
              return cloudTrail
                  .lookupEventsPaginator(base.get().nextToken(marker).build())
                  .iterator();
            }

            @Override
            public @Nullable String nextMarker(LookupEventsResponse page) {
              return page.nextToken();
            }

            @Override
            public Boolean truncated(LookupEventsResponse page) {
              return page.nextToken() != null;
            }
          },
          page -> {
            if (page.hasEvents()) {
              for (var event : page.events()) {
                Optional<JsonNode> record = parse(event.cloudTrailEvent());
                record.ifPresent(usage::add);
              }
            }
          });
    } catch (SdkException | ScanDeadline.Exceeded | IllegalStateException e) {
      String reason = Failures.reason(e);
      key.unreadable(KeyPart.CALLERS, reason).unreadable(KeyPart.KEY_EVENTS, reason);
      return;
    }
    key.callers(usage.callers(keyArn)).keyEvents(usage.keyEvents(keyArn));
  }

  private static Optional<JsonNode> parse(@Nullable String json) {
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(json));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
