package dev.kmsposture.aws.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FileSystemDescriptionBuilderTest {
  private static final String ARN =
      "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0123456789abcdef0";

  @Test
  void build_everyPart_equalsTheCanonicalConstructor() {
    // when
    FileSystemDescription built =
        FileSystemDescription.builder()
            .fileSystemId("fs-0123456789abcdef0")
            .arn(ARN)
            .fileSystemType("LUSTRE")
            .deploymentType("PERSISTENT_2")
            .encrypted(true)
            .kmsKeyId("alias/files")
            .lifecycle("AVAILABLE")
            .tags(Map.of("Owner", "storage"))
            .putTag("Environment", "prod")
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new FileSystemDescription(
                "fs-0123456789abcdef0",
                ARN,
                "LUSTRE",
                "PERSISTENT_2",
                true,
                "alias/files",
                "AVAILABLE",
                Map.of("Owner", "storage", "Environment", "prod")));
  }

  @Test
  void build_requiredOnly_hasNoKeyAndNoTags() {
    FileSystemDescription f =
        FileSystemDescription.builder().fileSystemId("fs-1").fileSystemType("EFS").build();

    assertThat(f.arn()).isNull();
    assertThat(f.encrypted()).isNull();
    assertThat(f.key()).isEmpty();
    assertThat(f.tags()).isEmpty();
  }

  @Test
  void toBuilder_build_roundTrips() {
    FileSystemDescription f =
        FileSystemDescription.builder()
            .fileSystemId("fs-1")
            .fileSystemType("EFS")
            .encrypted(false)
            .putTag("Owner", "storage")
            .build();

    assertThat(f.toBuilder().build()).isEqualTo(f);
    assertThat(f.toBuilder().tags(Map.of()).build().tags()).isEmpty();
  }

  @Test
  void fileSystemId_blank_failsWithTheValue() {
    assertThatThrownBy(() -> FileSystemDescription.builder().fileSystemId(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "file system id [ ] is blank; DescribeFileSystems gives every file system an id");
  }

  @Test
  void build_withoutId_failsNamingTheSetter() {
    assertThatThrownBy(() -> FileSystemDescription.builder().fileSystemType("EFS").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("file system has no id; set it with fileSystemId(...) before build()");
  }

  @Test
  void build_withoutType_failsNamingTheSetter() {
    assertThatThrownBy(() -> FileSystemDescription.builder().fileSystemId("fs-1").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("file system has no type; set it with fileSystemType(...) before build()");
  }
}
