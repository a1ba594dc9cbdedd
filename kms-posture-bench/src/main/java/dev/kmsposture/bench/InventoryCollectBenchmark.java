package dev.kmsposture.bench;

import dev.kmsposture.aws.inventory.InventoryClients;
import dev.kmsposture.aws.inventory.InventoryOptions;
import dev.kmsposture.aws.inventory.InventoryService;
import dev.kmsposture.aws.inventory.ResourceInventoryScanner;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Collecting the EBS inventory of an account with {@code volumes} volumes (one Region, pages of 500
 * as the collector asks, each volume encrypted under a key id, key ARN, alias name or alias ARN of
 * the account's 1,000 keys, with one tag), through a real SDK {@code Ec2Client} whose HTTP client
 * answers in-process with {@code DescribeVolumes} pages in the EC2 API Reference's XML shape: the
 * SDK's marshalling, signing and XML unmarshalling, the inventory's rate limiter and retry wrapper,
 * key-reference resolution and the resource records. One operation is one whole {@link
 * ResourceInventoryScanner#collect}.
 *
 * <p>The wall time per operation is bound by the inventory's own rate limit (10 requests per second
 * per Region and operation at the full budget: 20 pages of 500 take 2 s), by design. What this
 * benchmark reports is the CPU time of the collecting thread per resource, printed after each
 * iteration, which does not depend on the limit (the thread sleeps while it waits).
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar InventoryCollectBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class InventoryCollectBenchmark {
  private static final String REGION = "us-east-1";
  private static final String NS = " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";
  private static final int PAGE = 500;

  /** The number of volumes in the account. */
  @Param({"10000"})
  public int volumes;

  private AccountSnapshot keys = InventoryBenchmark.account(0, new Random(1));
  private Ec2Client ec2 = client(List.of());
  private InventoryOptions options = InventoryOptions.defaults();
  private long cpuAtStart;

  /** Creates the benchmark state; JMH calls this. */
  public InventoryCollectBenchmark() {}

  /** Generates the keys and the pages with a fixed seed, and builds the SDK client. */
  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(7);
    keys = InventoryBenchmark.account(1000, random);
    List<InventoryBenchmark.Written> refs = InventoryBenchmark.references(keys, volumes, random);
    List<byte[]> pages = new ArrayList<>();
    for (int start = 0; start < volumes; start += PAGE) {
      StringBuilder xml =
          new StringBuilder("<DescribeVolumesResponse" + NS + "><requestId>r</requestId>");
      xml.append("<volumeSet>");
      for (int i = start; i < Math.min(volumes, start + PAGE); i++) {
        xml.append("<item><volumeId>vol-")
            .append(String.format("%017x", i))
            .append("</volumeId><size>8</size><encrypted>true</encrypted><kmsKeyId>")
            .append(refs.get(i).reference())
            .append("</kmsKeyId><tagSet><item><key>team</key><value>t")
            .append(i % 40)
            .append("</value></item></tagSet></item>");
      }
      xml.append("</volumeSet>");
      if (start + PAGE < volumes) {
        xml.append("<nextToken>p").append(start + PAGE).append("</nextToken>");
      }
      xml.append("</DescribeVolumesResponse>");
      pages.add(xml.toString().getBytes(StandardCharsets.UTF_8));
    }
    ec2.close();
    ec2 = client(pages);
    options =
        InventoryOptions.defaults()
            .withServices(Set.of(InventoryService.EBS))
            .withRegions(List.of(REGION));
    options =
        new InventoryOptions(
            options.services(), options.regions(), 1.0, 0, Duration.ofMillis(1), null);
    int found = Objects.requireNonNull(collect().inventory()).resources().size();
    if (found != volumes + 1) {
      throw new IllegalStateException(
          "collected "
              + found
              + " resources, expected "
              + volumes
              + " volumes and the default key");
    }
  }

  private static Ec2Client client(List<byte[]> pages) {
    return Ec2Client.builder()
        .httpClient(new PagedEc2(pages))
        .region(Region.US_EAST_1)
        // never contacted: the in-process HTTP client answers before any socket is opened
        .endpointOverride(URI.create("http://127.0.0.1"))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAINVENTORYBENCH00", "not-a-secret")))
        .build();
  }

  /** Notes the thread's CPU time at the start of the iteration. */
  @Setup(Level.Iteration)
  public void startCpu() {
    cpuAtStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /**
   * Prints the collecting thread's CPU time per resource over the iteration (one collection).
   *
   * @param iteration the iteration that ended
   */
  @TearDown(Level.Iteration)
  public void cpuPerResource(IterationParams iteration) {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart;
    System.out.printf(
        "  [%s] %.2f µs of CPU per resource on the collecting thread (%.0f ms for %d)%n",
        iteration.getType() == IterationType.MEASUREMENT ? "measured" : "warmup",
        cpu / 1e3 / volumes,
        cpu / 1e6,
        volumes);
  }

  /** Closes the SDK client. */
  @TearDown(Level.Trial)
  public void close() {
    ec2.close();
  }

  /**
   * Collects the EBS inventory.
   *
   * @return the snapshot with its inventory
   */
  @Benchmark
  public AccountSnapshot collect() {
    return ResourceInventoryScanner.collect(
        keys, InventoryClients.builder().add(REGION, ec2).build(), options);
  }

  /**
   * EC2's query protocol, in-process: {@code DescribeVolumes} by {@code NextToken}, no snapshots,
   * encryption by default under {@code alias/aws/ebs}.
   */
  private static final class PagedEc2 implements SdkHttpClient {
    private final List<byte[]> pages;

    PagedEc2(List<byte[]> pages) {
      this.pages = List.copyOf(pages);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          String body = "";
          if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
              body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
          }
          byte[] answer;
          if (body.contains("Action=DescribeVolumes")) {
            int token = body.indexOf("NextToken=p");
            int page = 0;
            if (token >= 0) {
              int end = body.indexOf('&', token);
              String value =
                  body.substring(token + "NextToken=p".length(), end < 0 ? body.length() : end);
              page = Integer.parseInt(value) / PAGE;
            }
            answer = pages.get(page);
          } else if (body.contains("Action=DescribeSnapshots")) {
            answer =
                ("<DescribeSnapshotsResponse"
                        + NS
                        + "><requestId>r</requestId><snapshotSet/></DescribeSnapshotsResponse>")
                    .getBytes(StandardCharsets.UTF_8);
          } else if (body.contains("Action=GetEbsEncryptionByDefault")) {
            answer =
                ("<GetEbsEncryptionByDefaultResponse"
                        + NS
                        + "><requestId>r</requestId><ebsEncryptionByDefault>true"
                        + "</ebsEncryptionByDefault></GetEbsEncryptionByDefaultResponse>")
                    .getBytes(StandardCharsets.UTF_8);
          } else {
            answer =
                ("<GetEbsDefaultKmsKeyIdResponse"
                        + NS
                        + "><requestId>r</requestId><kmsKeyId>alias/aws/ebs</kmsKeyId>"
                        + "</GetEbsDefaultKmsKeyIdResponse>")
                    .getBytes(StandardCharsets.UTF_8);
          }
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(200)
                      .putHeader("Content-Type", "text/xml;charset=UTF-8")
                      .putHeader("Content-Length", Integer.toString(answer.length))
                      .build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }
}
