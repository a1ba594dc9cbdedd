package dev.kmsposture.aws.provision;

import dev.kmsposture.aws.scan.RegionalKmsClients;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Severity;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/** What a {@link KeyProvisioner} was configured with, shared by its planner and executor. */
record Settings(
    KmsClient kms,
    @Nullable RegionalKmsClients regional,
    @Nullable StsClient sts,
    @Nullable String caller,
    boolean addCallerAsAdministrator,
    boolean keepFailedKeys,
    PostureConfig config,
    Severity blockingSeverity,
    Clock clock,
    Duration consistencyTimeout,
    Duration verificationTimeout,
    Duration pollInterval,
    KmsCalls.Sleeper sleeper,
    Supplier<String> runIds,
    int createKeyAttempts) {

  /** The key's Region: the KMS client's. */
  String region() {
    Region r = kms.serviceClientConfiguration().region();
    if (r == null) {
      throw new IllegalStateException(
          "the KMS client has no Region; build it with KmsClient.builder().region(...)");
    }
    return r.id();
  }

  /** The client for {@code region}: the main client for its own Region, else a regional one. */
  KmsClient kms(String region) {
    if (region.equals(region())) {
      return kms;
    }
    if (regional == null) {
      throw new IllegalStateException(
          String.format(
              "a multi-Region key needs a KMS client for replica Region [%s]; give the provisioner"
                  + " regional clients (KeyProvisioner.builder().regionalClients(...))",
              region));
    }
    return regional.client(Region.of(region));
  }
}
