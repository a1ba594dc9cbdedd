package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.leastprivilege.RoleFile;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Suppression;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The documentation's examples are real output, and its field lists are complete. */
class DocsTest {
  private static final Path DOCS = Path.of("..", "docs");

  @TempDir Path dir;

  private static String doc(String name) throws IOException {
    return Files.readString(DOCS.resolve(name));
  }

  /** Returns the code block that follows {@code <!-- verdict: NAME -->} in docs/check.md. */
  private static String snippet(String name) throws IOException {
    String text = doc("check.md");
    int marker = text.indexOf("<!-- verdict: " + name + " -->");
    assertThat(marker).as("marker for " + name).isNotNegative();
    int open = text.indexOf("```\n", marker) + 4;
    int close = text.indexOf("\n```", open);
    return text.substring(open, close);
  }

  private String verdict(AccountSnapshot snapshot) throws IOException {
    Path file = dir.resolve("snapshot.json");
    Files.writeString(file, snapshot.toJson());
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CheckCommand());
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    cl.execute(file.toString());
    return err.toString().strip();
  }

  @Test
  void checkMd_demoVerdict_isTheRealOutput() throws IOException {
    assertThat(snippet("demo snapshot")).isEqualTo(verdict(DemoReport.snapshot()));
  }

  @Test
  void checkMd_unknownVerdict_isTheRealOutput() throws IOException {
    AccountSnapshot twice = CheckFailSafeTest.ledgerWithPolicy(CheckFailSafeTest.PRINCIPAL_TWICE);

    assertThat(snippet("prod-orders-ledger with Principal twice")).isEqualTo(verdict(twice));
  }

  /** The names in the first column of the tables of {@code doc} (in backticks). */
  private static Set<String> tableFields(String doc) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([A-Za-z.]+)` \\|").matcher(doc(doc));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void configMd_listsEverySettingAndSuppressionField() throws IOException {
    Set<String> expected = new LinkedHashSet<>();
    for (RecordComponent c : PostureConfig.class.getRecordComponents()) {
      expected.add(c.getName());
    }
    for (RecordComponent c : Suppression.class.getRecordComponents()) {
      expected.add("suppressions." + c.getName());
    }

    assertThat(tableFields("config.md")).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void roleFileMd_listsEveryField() throws IOException {
    Set<String> expected = new LinkedHashSet<>(RoleFile.FIELDS);
    Arrays.asList("principals", "services", "regions")
        .forEach(f -> expected.add("serviceUsers." + f));

    assertThat(tableFields("role-file.md")).containsExactlyInAnyOrderElementsOf(expected);
  }
}
