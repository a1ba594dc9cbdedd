package dev.kmsposture.aws.inventory;

import dev.kmsposture.aws.internal.ScanCalls;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.KeyReferenceResolver;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What one inventory run shares: the account, the resolver built from the snapshot's aliases, the
 * key managers the snapshot knows, the rate-limited calls, and what has been found. One thread.
 */
final class Reading {
  final String account;
  final String partition;
  final KeyReferenceResolver resolver;
  final InventoryClients clients;
  private final Map<String, String> keyManagers = new HashMap<>();
  private final ScanCalls calls;
  private final Map<String, ResourceSnapshot> resources = new LinkedHashMap<>();

  Reading(AccountSnapshot snapshot, InventoryClients clients, ScanCalls calls) {
    this.account = snapshot.account();
    this.partition = snapshot.partition();
    this.resolver = KeyReferenceResolver.of(snapshot);
    this.clients = clients;
    this.calls = calls;
    for (KeySnapshot k : snapshot.keys()) {
      keyManagers.put(k.arn(), k.metadata().keyManager());
    }
  }

  /** Makes one rate-limited request of {@code service}'s {@code operation}. */
  <T> T call(String service, String region, String operation, Supplier<T> request) {
    return calls.call(region, service + ":" + operation, request);
  }

  void add(ResourceSnapshot r) {
    resources.putIfAbsent(r.arn() + " " + r.use(), r);
  }

  List<ResourceSnapshot> resources() {
    return new ArrayList<>(resources.values());
  }

  /**
   * Sets the key {@code written} (as the service reported it) on {@code b}, resolved in {@code
   * region}, and classifies it: AWS or customer managed by the key's {@code KeyManager} when the
   * snapshot holds the key, AWS managed for a predefined {@code aws/*} alias, otherwise {@link
   * ResourceProtection#KMS_KEY} (manager not known).
   */
  ResourceSnapshot.Builder kmsKey(
      ResourceSnapshot.Builder b, String encryption, String written, String region) {
    return kmsKey(b, encryption, resolver.resolve(written, region));
  }

  ResourceSnapshot.Builder kmsKey(ResourceSnapshot.Builder b, String encryption, KeyReference ref) {
    return b.encryption(encryption, protection(ref)).key(ref);
  }

  ResourceProtection protection(KeyReference ref) {
    String manager = ref.resolvedArn().map(keyManagers::get).orElse(null);
    if ("AWS".equals(manager)) {
      return ResourceProtection.AWS_MANAGED_KEY;
    }
    if ("CUSTOMER".equals(manager)) {
      return ResourceProtection.CUSTOMER_MANAGED_KEY;
    }
    if (manager == null && ref.namesAwsManagedAlias()) {
      return ResourceProtection.AWS_MANAGED_KEY;
    }
    return ResourceProtection.KMS_KEY;
  }

  /** An ARN of this account's partition. */
  String arn(String service, String region, String resource) {
    return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
  }

  /** How a failed request is described: the error code and message, never a stack trace. */
  static String describe(String operation, SdkException e) {
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
      String code = s.awsErrorDetails().errorCode();
      String message = s.awsErrorDetails().errorMessage();
      return operation
          + ": "
          + (code == null ? "HTTP " + s.statusCode() : code)
          + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
    return operation + ": " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
  }

  /** Whether {@code e} is the service's answer {@code code}. */
  static boolean isError(SdkException e, String code) {
    return e instanceof AwsServiceException s
        && s.awsErrorDetails() != null
        && code.equals(s.awsErrorDetails().errorCode());
  }
}
