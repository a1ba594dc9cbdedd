package dev.kmsposture.aws.scan;

import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import dev.kmsposture.testkit.kms.SeedGrant;
import dev.kmsposture.testkit.kms.SeedKey;
import dev.kmsposture.testkit.kms.SeedReplica;
import dev.kmsposture.testkit.kms.SeedRotation;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * An account seeded with every kind of key, and the SDK clients that reach it over real HTTP on
 * 127.0.0.1 through {@link LocalKmsServer}.
 */
final class SeededAccount implements AutoCloseable {
  static final String ACCOUNT = "123456789012";
  static final Region EAST = Region.US_EAST_1;
  static final Region WEST = Region.EU_WEST_1;
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");
  static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant TRACKING = Instant.parse("2025-04-01T00:00:00Z");

  static final String SYMMETRIC = "11111111-1111-4111-8111-111111111111";
  static final String NO_ROTATION = "22222222-2222-4222-8222-222222222222";
  static final String RSA_SIGN = "33333333-3333-4333-8333-333333333333";
  static final String ECC_AGREE = "44444444-4444-4444-8444-444444444444";
  static final String HMAC = "55555555-5555-4555-8555-555555555555";
  static final String IMPORTED = "66666666-6666-4666-8666-666666666666";
  static final String DISABLED = "77777777-7777-4777-8777-777777777777";
  static final String PENDING = "88888888-8888-4888-8888-888888888888";
  static final String AWS_MANAGED = "99999999-9999-4999-8999-999999999999";
  static final String MULTI_REGION = "mrk-0123456789abcdef0123456789abcdef";

  static final String POLICY =
      """
      {"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow",\
      "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}""";

  final LocalKms kms;
  final LocalKmsServer server;
  final List<SeedKey> seedKeys;
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final Map<Region, KmsClient> kmsClients = new ConcurrentHashMap<>();
  private final Map<Region, CloudTrailClient> cloudTrailClients = new ConcurrentHashMap<>();
  private volatile RetryMode retryMode = RetryMode.ADAPTIVE_V2;
  private final List<ExecutionInterceptor> interceptors = new ArrayList<>();

  private SeededAccount(LocalKms kms, List<SeedKey> seedKeys) {
    this.kms = kms;
    this.seedKeys = seedKeys;
    this.server = LocalKmsServer.start(kms);
  }

  /** The seeded account, with list pages of {@code pageSize} items and {@code extra} more keys. */
  static SeededAccount start(int pageSize, int extra) {
    return start(LocalKms.builder().maxPageSize(pageSize), extra);
  }

  static SeededAccount start(LocalKms.Builder builder, int extra) {
    List<SeedKey> keys = keys(extra);
    LocalKms kms =
        builder
            .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))
            .seed(KmsSeed.builder().keys(keys).trackingStartDate(TRACKING).build())
            .idSeed(7)
            .build();
    return new SeededAccount(kms, keys);
  }

  static List<SeedKey> keys(int extra) {
    List<SeedKey> keys = new ArrayList<>();
    keys.add(
        SeedKey.builder()
            .keyId(SYMMETRIC)
            .description("Customer PII tables")
            .creationDate(CREATED)
            .policy(POLICY)
            .addAlias("alias/prod-customer-pii")
            .addAlias("alias/pii")
            .putTag("Environment", "prod")
            .putTag("DataClassification", "restricted")
            .putTag("Owner", "customer-data-team")
            .rotationEnabled(true)
            .rotationPeriodInDays(365)
            .addRotation(SeedRotation.onDemand(Instant.parse("2026-05-01T12:00:00Z")))
            .addRotation(SeedRotation.onDemand(Instant.parse("2026-09-01T12:00:00Z")))
            .addGrant(
                g ->
                    g.grantId("0000000000000000000000000000000000000000000000000000000000000001")
                        .name("ebs-volume")
                        .granteePrincipal("arn:aws:iam::123456789012:role/app")
                        .retiringPrincipal("arn:aws:iam::123456789012:role/admin")
                        .addOperation("Decrypt")
                        .addOperation("GenerateDataKey")
                        .putEncryptionContextSubset("Department", "IT")
                        .creationDate(Instant.parse("2026-04-01T00:00:00Z")))
            .addGrant(
                g ->
                    g.grantId("0000000000000000000000000000000000000000000000000000000000000002")
                        .granteePrincipal("arn:aws:iam::444455556666:root")
                        .addOperation("Encrypt")
                        .creationDate(Instant.parse("2026-04-02T00:00:00Z")))
            .addGrant(
                g ->
                    g.grantId("0000000000000000000000000000000000000000000000000000000000000003")
                        .granteePrincipal("arn:aws:iam::123456789012:role/batch")
                        .addOperation("Decrypt")
                        .putEncryptionContextEquals("job", "nightly")
                        .creationDate(Instant.parse("2026-04-03T00:00:00Z")))
            .lastUsed("Decrypt", Instant.parse("2026-11-27T08:47:30Z"))
            .build());
    keys.add(SeedKey.builder().keyId(NO_ROTATION).description("").creationDate(CREATED).build());
    keys.add(
        SeedKey.builder()
            .keyId(RSA_SIGN)
            .description("release signing")
            .keySpec("RSA_2048")
            .keyUsage("SIGN_VERIFY")
            .creationDate(CREATED)
            .addAlias("alias/release-signing")
            .build());
    keys.add(
        SeedKey.builder()
            .keyId(ECC_AGREE)
            .description("key agreement")
            .keySpec("ECC_NIST_P256")
            .keyUsage("KEY_AGREEMENT")
            .creationDate(CREATED)
            .build());
    keys.add(
        SeedKey.builder()
            .keyId(HMAC)
            .description("webhook MACs")
            .keySpec("HMAC_256")
            .keyUsage("GENERATE_VERIFY_MAC")
            .creationDate(CREATED)
            .putTag("Environment", "dev")
            .build());
    keys.add(
        SeedKey.builder()
            .keyId(IMPORTED)
            .description("imported material")
            .origin("EXTERNAL")
            .materialImported(true)
            .materialExpiresAt(Instant.parse("2026-12-10T00:00:00Z"))
            .creationDate(CREATED)
            .addAlias("alias/byok")
            .build());
    keys.add(
        SeedKey.builder()
            .keyId(DISABLED)
            .description("old batch key")
            .state("Disabled")
            .creationDate(CREATED)
            .build());
    keys.add(
        SeedKey.builder()
            .keyId(PENDING)
            .description("to be deleted")
            .state("PendingDeletion")
            .deletionDate(Instant.parse("2026-12-20T00:00:00Z"))
            .creationDate(CREATED)
            .build());
    keys.add(
        SeedKey.builder()
            .keyId(AWS_MANAGED)
            .description("Default key that protects my S3 objects when no other key is defined")
            .awsManaged(true)
            .addAlias("alias/aws/s3")
            .creationDate(CREATED)
            .build());
    keys.add(
        SeedKey.builder()
            .keyId(MULTI_REGION)
            .description("global orders")
            .multiRegion(true)
            .rotationEnabled(true)
            .creationDate(CREATED)
            .addAlias("alias/orders")
            .putTag("Environment", "prod")
            .addReplica(
                SeedReplica.builder()
                    .region(WEST.id())
                    .description("global orders (replica)")
                    .addAlias("alias/orders-eu")
                    .putTag("Environment", "prod")
                    .creationDate(CREATED)
                    .build())
            .build());
    for (int i = 0; i < extra; i++) {
      keys.add(
          SeedKey.builder()
              .keyId(String.format("aaaaaaaa-0000-4000-8000-%012d", i))
              .region(i % 2 == 0 ? EAST.id() : WEST.id())
              .description("extra " + i)
              .creationDate(CREATED)
              .addAlias("alias/extra-" + i)
              .putTag("n", Integer.toString(i))
              .rotationEnabled(i % 3 == 0)
              .addGrant(
                  SeedGrant.builder()
                      .granteePrincipal("arn:aws:iam::123456789012:role/extra")
                      .addOperation("Decrypt")
                      .build())
              .build());
    }
    return List.copyOf(keys);
  }

  /** Adds {@code interceptor} to the KMS clients made from now on. */
  SeededAccount interceptor(ExecutionInterceptor interceptor) {
    interceptors.add(interceptor);
    return this;
  }

  /** How many keys {@code seed} makes: every key and every replica. */
  static int keysIn(List<SeedKey> seed) {
    return seed.stream().mapToInt(k -> 1 + k.replicas().size()).sum();
  }

  /** Builds the KMS clients made from now on with {@code mode} (ADAPTIVE_V2 by default). */
  SeededAccount retryMode(RetryMode mode) {
    this.retryMode = mode;
    return this;
  }

  KmsClient kms(Region region) {
    return kmsClients.computeIfAbsent(
        region,
        r -> {
          KmsClient client =
              KmsClient.builder()
                  .region(r)
                  .endpointOverride(endpoint())
                  .credentialsProvider(credentials())
                  .overrideConfiguration(
                      o -> {
                        o.retryStrategy(retryMode);
                        interceptors.forEach(o::addExecutionInterceptor);
                      })
                  .build();
          clients.add(client);
          return client;
        });
  }

  CloudTrailClient cloudTrail(Region region) {
    return cloudTrailClients.computeIfAbsent(
        region,
        r -> {
          CloudTrailClient client =
              CloudTrailClient.builder()
                  .region(r)
                  .endpointOverride(endpoint())
                  .credentialsProvider(credentials())
                  .build();
          clients.add(client);
          return client;
        });
  }

  StsClient sts() {
    StsClient client =
        StsClient.builder()
            .region(EAST)
            .endpointOverride(endpoint())
            .credentialsProvider(credentials())
            .build();
    clients.add(client);
    return client;
  }

  URI endpoint() {
    return server.endpoint();
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(LocalKms.DEFAULT_ACCESS_KEY_ID, "local-kms-secret"));
  }

  KmsScanner.Builder scanner() {
    return KmsScanner.builder()
        .kmsClients(this::kms, List.of(EAST, WEST))
        .stsClient(sts())
        .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
  }

  @Override
  public void close() {
    for (AutoCloseable c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a client of a stopped server
      }
    }
    server.close();
  }
}
