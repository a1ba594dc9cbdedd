package dev.kmsposture.aws.inventory;

import static dev.kmsposture.aws.inventory.InventoryFixtures.CMK;
import static dev.kmsposture.aws.inventory.InventoryFixtures.CMK_ID;
import static dev.kmsposture.aws.inventory.InventoryFixtures.DOOMED;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;

/**
 * EFS and FSx through the signed {@code DescribeFileSystems} callers, over answers shaped as the
 * API references show them: pagination, key forms, Lustre scratch, an unknown file-system type, a
 * denied service and throttling.
 */
class FileSystemCollectorTest {
  static final String EFS = "elasticfilesystem/DescribeFileSystems";
  static final String FSX = "fsx/DescribeFileSystems";

  static String efsFileSystem(String id, boolean encrypted, String kmsKeyId, String tags) {
    return "{\"OwnerId\":\"111122223333\",\"CreationToken\":\"t-"
        + id
        + "\",\"FileSystemId\":\""
        + id
        + "\",\"FileSystemArn\":\"arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/"
        + id
        + "\",\"CreationTime\":1.7E9,\"LifeCycleState\":\"available\",\"NumberOfMountTargets\":1,"
        + "\"SizeInBytes\":{\"Value\":6144},\"PerformanceMode\":\"generalPurpose\",\"Encrypted\":"
        + encrypted
        + (kmsKeyId.isEmpty() ? "" : ",\"KmsKeyId\":\"" + kmsKeyId + "\"")
        + ",\"ThroughputMode\":\"bursting\",\"Tags\":["
        + tags
        + "]}";
  }

  static String fsxFileSystem(String id, String type, String deployment, String kmsKeyId) {
    return "{\"OwnerId\":\"111122223333\",\"FileSystemId\":\""
        + id
        + "\",\"FileSystemType\":\""
        + type
        + "\",\"Lifecycle\":\"AVAILABLE\",\"StorageCapacity\":1200,"
        + "\"ResourceARN\":\"arn:aws:fsx:eu-west-1:111122223333:file-system/"
        + id
        + "\""
        + (kmsKeyId.isEmpty() ? "" : ",\"KmsKeyId\":\"" + kmsKeyId + "\"")
        + (deployment.isEmpty()
            ? ""
            : ",\"LustreConfiguration\":{\"DeploymentType\":\"" + deployment + "\"}")
        + ",\"Tags\":[{\"Key\":\"Name\",\"Value\":\""
        + id
        + "\"}]}";
  }

  @Test
  void efs_everyPageIsRead_andEachKeyFormIsResolved() {
    ReplayHttp http =
        new ReplayHttp()
            .reply(
                EFS,
                200,
                "application/json",
                "{\"FileSystems\":["
                    + efsFileSystem(
                        "fs-1", true, CMK, "{\"Key\":\"DataClassification\",\"Value\":\"pii\"}")
                    + ","
                    + efsFileSystem("fs-2", false, "", "")
                    + "],\"NextMarker\":\"m2\"}")
            .reply(
                EFS,
                200,
                "application/json",
                "{\"FileSystems\":["
                    + efsFileSystem("fs-3", true, "alias/pii", "")
                    + ","
                    + efsFileSystem("fs-4", true, DOOMED, "")
                    + "]}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.EFS));

    assertThat(inv.resources())
        .extracting(r -> r.name() + " " + r.protection() + " " + r.keyArn().orElse("-"))
        .containsExactlyInAnyOrder(
            "fs-1 CUSTOMER_MANAGED_KEY " + CMK,
            "fs-2 NOT_ENCRYPTED -",
            "fs-3 CUSTOMER_MANAGED_KEY " + CMK,
            "fs-4 CUSTOMER_MANAGED_KEY " + DOOMED);
    ResourceSnapshot first =
        inv.resources("arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-1").get(0);
    assertThat(first.service()).isEqualTo("efs");
    assertThat(first.tags()).isEqualTo(Map.of("DataClassification", "pii"));
    assertThat(first.attribute("lifecycle")).contains("available");
    assertThat(inv.gaps("eu-west-1")).isEmpty();
    // the wire: GET with MaxItems, then the marker; signed for elasticfilesystem in the Region
    assertThat(http.sentTo("elasticfilesystem")).hasSize(2);
    assertThat(http.sentTo("elasticfilesystem").get(0).request().method().name()).isEqualTo("GET");
    assertThat(http.sentTo("elasticfilesystem").get(0).request().rawQueryParameters())
        .containsEntry("MaxItems", java.util.List.of("100"))
        .doesNotContainKey("Marker");
    assertThat(http.sentTo("elasticfilesystem").get(1).request().rawQueryParameters())
        .containsEntry("Marker", java.util.List.of("m2"));
    assertThat(
            http.sentTo("elasticfilesystem").get(0).request().firstMatchingHeader("Authorization"))
        .hasValueSatisfying(
            a ->
                assertThat(a)
                    .startsWith("AWS4-HMAC-SHA256 Credential=AKIAINVENTORY0000000/")
                    .contains("/eu-west-1/elasticfilesystem/aws4_request"));
  }

  @Test
  void fsx_scratchLustreUsesTheServiceKey_andOtherTypesNameTheirKey() {
    ReplayHttp http =
        new ReplayHttp()
            .json(
                FSX,
                "{\"FileSystems\":["
                    + fsxFileSystem("fs-0scratch", "LUSTRE", "SCRATCH_2", "")
                    + ","
                    + fsxFileSystem("fs-0persist", "LUSTRE", "PERSISTENT_2", CMK)
                    + "],\"NextToken\":\"n2\"}")
            // a short page with a token: the list goes on (FSx API reference)
            .json(FSX, "{\"FileSystems\":[],\"NextToken\":\"n3\"}")
            .json(
                FSX,
                "{\"FileSystems\":["
                    + fsxFileSystem("fs-0win", "WINDOWS", "", CMK_ID)
                    + ","
                    + fsxFileSystem("fs-0new", "SOMETHING_NEW", "", "")
                    + "]}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.FSX));

    assertThat(inv.resources())
        .extracting(r -> r.name() + " " + r.protection() + " " + r.encryption())
        .containsExactlyInAnyOrder(
            "fs-0scratch AWS_OWNED_KEY FileSystemType=LUSTRE, DeploymentType=SCRATCH_2: the"
                + " Amazon FSx service key, no KmsKeyId",
            "fs-0persist CUSTOMER_MANAGED_KEY FileSystemType=LUSTRE, DeploymentType=PERSISTENT_2",
            "fs-0win CUSTOMER_MANAGED_KEY FileSystemType=WINDOWS",
            "fs-0new UNRECOGNISED FileSystemType=SOMETHING_NEW, no KmsKeyId reported");
    assertThat(
            inv.resources("arn:aws:fsx:eu-west-1:111122223333:file-system/fs-0win").get(0).keyArn())
        .contains(CMK);
    assertThat(http.sentTo("fsx")).hasSize(3);
    assertThat(http.sentTo("fsx").get(0).body()).isEqualTo("{}");
    assertThat(http.sentTo("fsx").get(1).body()).isEqualTo("{\"NextToken\":\"n2\"}");
    assertThat(http.sentTo("fsx").get(2).body()).isEqualTo("{\"NextToken\":\"n3\"}");
    assertThat(http.sentTo("fsx").get(0).request().firstMatchingHeader("X-Amz-Target"))
        .contains("AWSSimbaAPIService_v20180301.DescribeFileSystems");
  }

  @Test
  void deniedService_isACoverageGapWithTheServiceError_neverNoResources() {
    ReplayHttp http =
        new ReplayHttp()
            .reply(
                FSX,
                400,
                "application/x-amz-json-1.1",
                "{\"__type\":\"AccessDeniedException\",\"Message\":\"User is not authorized to"
                    + " perform: fsx:DescribeFileSystems\"}")
            .reply(
                EFS,
                403,
                "application/json",
                "{\"ErrorCode\":\"AccessDeniedException\",\"Message\":\"not authorized\"}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(
            InventoryFixtures.collect(http, InventoryService.EFS, InventoryService.FSX));

    assertThat(inv.resources()).isEmpty();
    assertThat(inv.gaps("eu-west-1"))
        .anyMatch(
            g -> g.startsWith("efs: ") && g.contains("AccessDeniedException (not authorized)"))
        .anyMatch(
            g ->
                g.startsWith("fsx: ")
                    && g.contains("AccessDeniedException (User is not authorized"));
  }

  @Test
  void throttledPage_isRetriedByTheInventory_andNothingIsLost() {
    ReplayHttp http =
        new ReplayHttp()
            .reply(
                FSX,
                400,
                "application/x-amz-json-1.1",
                "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}")
            .json(FSX, "{\"FileSystems\":[" + fsxFileSystem("fs-0a", "ONTAP", "", CMK) + "]}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(
            ResourceInventoryScanner.collect(
                InventoryFixtures.keys(),
                InventoryFixtures.clients(http),
                InventoryFixtures.options(InventoryService.FSX)
                    .withRetries(2, Duration.ofMillis(1))));

    assertThat(inv.resources()).extracting(ResourceSnapshot::name).containsExactly("fs-0a");
    assertThat(inv.gaps("eu-west-1")).isEmpty();
    assertThat(http.sentTo("fsx")).hasSize(2);
  }

  @Test
  void noListerForTheRegion_isACoverageGap() {
    ResourceInventory inv =
        InventoryFixtures.inventoryOf(
            ResourceInventoryScanner.collect(
                InventoryFixtures.keys(),
                InventoryClients.builder().build(),
                InventoryFixtures.options(InventoryService.EFS)));

    assertThat(inv.gaps("eu-west-1")).containsExactly("efs: no efs client was given for eu-west-1");
  }

  @Test
  void errorAnswer_isTheSdksServiceException_withCodeAndStatus() {
    ReplayHttp http =
        new ReplayHttp()
            .reply(EFS, 500, "application/json", "{\"ErrorCode\":\"InternalServerError\"}");
    FileSystemLister efs =
        FileSystemLister.efs(
            http, InventoryFixtures.CREDENTIALS, Region.EU_WEST_1, InventoryFixtures.ENDPOINT);

    assertThatThrownBy(() -> efs.page(null))
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(500);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServerError");
            });
  }

  @Test
  void addingTwoListersForOneRegion_isRefused() {
    FileSystemLister none = next -> new FileSystemPage(java.util.List.of(), null);
    InventoryClients.Builder b = InventoryClients.builder().efs("eu-west-1", none);

    assertThatThrownBy(() -> b.efs("eu-west-1", none))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a efs lister for Region [eu-west-1] was already added; add one per service and"
                + " Region");
  }

  @Test
  void withoutEndpoint_theRegionsServiceEndpointIsUsed() {
    ReplayHttp http = new ReplayHttp().json(FSX, "{\"FileSystems\":[]}");
    http.reply(EFS, 200, "application/json", "{\"FileSystems\":[]}");

    FileSystemLister.fsx(http, InventoryFixtures.CREDENTIALS, Region.EU_WEST_1).page(null);
    FileSystemLister.efs(http, InventoryFixtures.CREDENTIALS, Region.CN_NORTH_1).page(null);

    // only the in-process ReplayHttp sees these requests: nothing leaves the process
    assertThat(http.journal.get(0).request().getUri().toString())
        .isEqualTo("https://fsx.eu-west-1.amazonaws.com/");
    assertThat(http.journal.get(1).request().getUri().toString())
        .startsWith(
            "https://elasticfilesystem.cn-north-1.amazonaws.com.cn/2015-02-01/file-systems");
  }

  @Test
  void protectionOfAnEncryptedEfsWithoutKmsKeyId_isTheAwsManagedAlias() {
    ReplayHttp http =
        new ReplayHttp()
            .reply(
                EFS,
                200,
                "application/json",
                "{\"FileSystems\":[" + efsFileSystem("fs-9", true, "", "") + "]}");

    ResourceSnapshot r =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.EFS))
            .resources()
            .get(0);

    assertThat(r.protection()).isEqualTo(ResourceProtection.AWS_MANAGED_KEY);
    assertThat(requireNonNull(r.key()).written()).isEqualTo("alias/aws/elasticfilesystem");
  }
}
