package dev.kmsposture.aws.provision;

import dev.kmsposture.aws.scan.RegionalKmsClients;
import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.JournalEntry;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * An embedded KMS behind {@link LocalKmsServer} on 127.0.0.1, and real SDK clients that reach it
 * over HTTP as the provisioning role (an assumed-role session of SecurityAdmin) or as the auditor.
 */
final class LocalAccount implements AutoCloseable {
  static final String ACCOUNT = "123456789012";
  static final Region EAST = Region.US_EAST_1;
  static final Region WEST = Region.EU_WEST_1;
  static final String PROVISIONER_KEY = "AKIAPROVISIONER00001";
  static final String AUDITOR_KEY = "AKIAAUDITOR000000001";
  static final String SECURITY_ADMIN = "arn:aws:iam::123456789012:role/SecurityAdmin";
  static final String PROVISIONER_SESSION =
      "arn:aws:sts::123456789012:assumed-role/SecurityAdmin/provisioner";
  static final String AUDIT = "arn:aws:iam::123456789012:role/Audit";
  static final String AUDITOR_SESSION = "arn:aws:sts::123456789012:assumed-role/Audit/auditor";
  static final String APP = "arn:aws:iam::123456789012:role/PaymentsApp";
  static final String INTERN_KEY = "AKIAINTERN0000000001";
  static final String INTERN_SESSION = "arn:aws:sts::123456789012:assumed-role/Intern/intern";

  final LocalKms kms;
  final LocalKmsServer server;
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final Map<Region, KmsClient> kmsClients = new ConcurrentHashMap<>();

  private final Duration attemptTimeout;

  private LocalAccount(LocalKms kms, Duration attemptTimeout) {
    this.kms = kms;
    this.server = LocalKmsServer.start(kms);
    this.attemptTimeout = attemptTimeout;
  }

  static LocalAccount start() {
    return start(b -> b);
  }

  static LocalAccount start(UnaryOperator<LocalKms.Builder> configure) {
    return start(configure, Duration.ofSeconds(5));
  }

  /** An account whose provisioning clients give up on one attempt after {@code attemptTimeout}. */
  static LocalAccount start(UnaryOperator<LocalKms.Builder> configure, Duration attemptTimeout) {
    LocalKms.Builder b =
        LocalKms.builder()
            .enforcePolicies(true)
            .caller(PROVISIONER_KEY, Caller.of(PROVISIONER_SESSION))
            .caller(AUDITOR_KEY, Caller.of(AUDITOR_SESSION))
            .caller(INTERN_KEY, Caller.of(INTERN_SESSION));
    return new LocalAccount(configure.apply(b).build(), attemptTimeout);
  }

  /** The provisioning role's KMS client in {@code region}. */
  KmsClient kms(Region region) {
    return kmsClients.computeIfAbsent(
        region,
        r -> {
          KmsClient c =
              KmsClient.builder()
                  .region(r)
                  .endpointOverride(server.endpoint())
                  .credentialsProvider(credentials(PROVISIONER_KEY))
                  .overrideConfiguration(o -> o.apiCallAttemptTimeout(attemptTimeout))
                  .build();
          clients.add(c);
          return c;
        });
  }

  RegionalKmsClients regional() {
    return this::kms;
  }

  StsClient sts() {
    StsClient c = server.stsClient(EAST, PROVISIONER_KEY);
    clients.add(c);
    return c;
  }

  /** A KMS client in {@code region} that signs with {@code accessKey}. */
  KmsClient kmsAs(String accessKey, Region region) {
    KmsClient c = server.kmsClient(region, accessKey);
    clients.add(c);
    return c;
  }

  KmsClient auditorKms(Region region) {
    KmsClient c = server.kmsClient(region, AUDITOR_KEY);
    clients.add(c);
    return c;
  }

  StsClient auditorSts() {
    StsClient c = server.stsClient(EAST, AUDITOR_KEY);
    clients.add(c);
    return c;
  }

  CloudTrailClient auditorCloudTrail(Region region) {
    CloudTrailClient c = server.cloudTrailClient(region, AUDITOR_KEY);
    clients.add(c);
    return c;
  }

  CloudTrailClient cloudTrail(Region region) {
    CloudTrailClient c = server.cloudTrailClient(region, PROVISIONER_KEY);
    clients.add(c);
    return c;
  }

  /** A provisioner over these clients, with short waits. */
  KeyProvisioner.Builder provisioner() {
    return KeyProvisioner.builder()
        .kmsClient(kms(EAST))
        .stsClient(sts())
        .regionalClients(regional())
        .pollInterval(Duration.ofMillis(20))
        .consistencyTimeout(Duration.ofSeconds(5))
        .verificationTimeout(Duration.ofSeconds(5));
  }

  /** The KMS requests the journal holds that changed something (not read-only), in order. */
  List<String> mutatingCalls() {
    List<String> out = new ArrayList<>();
    for (JournalEntry e : kms.journal().entries()) {
      if (e.service().equals("kms") && e.eventType().equals("AwsApiCall") && !e.readOnly()) {
        out.add(
            e.operation() + " [" + e.region() + "]" + (e.succeeded() ? "" : " " + e.errorCode()));
      }
    }
    return out;
  }

  static software.amazon.awssdk.auth.credentials.StaticCredentialsProvider credentials(String key) {
    return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
            key, "local-kms-secret"));
  }

  @Override
  public void close() {
    for (AutoCloseable c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a client cannot fail a test
      }
    }
    server.close();
  }
}
