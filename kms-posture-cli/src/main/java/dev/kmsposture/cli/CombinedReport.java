package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.aws.scan.AccountOutcome;
import dev.kmsposture.aws.scan.OrganizationScanResult;
import dev.kmsposture.report.ReportFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one report of an organization scan, in the chosen format, built from the accounts' reports
 * one at a time (each was written by {@code check} next to its snapshot), so memory stays bounded
 * by one account's report whatever the organization's size:
 *
 * <ul>
 *   <li>Markdown: a table of every account (scanned, could not be scanned, skipped, with the
 *       reason), then each scanned account's report;
 *   <li>JSON: {@code {"accounts": [...], "reports": [...]}}, each report as {@code check} writes
 *       it;
 *   <li>SARIF: one log with one run per account;
 *   <li>ASFF: one array of every account's findings.
 * </ul>
 */
final class CombinedReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  /** One scanned account and the file its report went to. */
  record Part(AccountOutcome outcome, Path report) {}

  private CombinedReport() {}

  /** The file extension of a report in {@code format}. */
  static String extension(ReportFormat format) {
    return switch (format) {
      case MARKDOWN -> "md";
      case SARIF -> "sarif";
      case JSON -> "json";
      case ASFF -> "asff.json";
    };
  }

  static void write(
      ReportFormat format,
      OrganizationScanResult result,
      List<Part> parts,
      @Nullable Path output,
      PrintWriter out) {
    try {
      if (output == null) {
        write(format, result, parts, (Writer) out);
        out.flush();
      } else {
        Path dir = output.toAbsolutePath().getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
          write(format, result, parts, w);
        }
      }
    } catch (IOException | InvalidPathException e) {
      throw new BadInputException("cannot write the combined report: " + e.getMessage(), e);
    }
  }

  private static void write(
      ReportFormat format, OrganizationScanResult result, List<Part> parts, Writer w)
      throws IOException {
    switch (format) {
      case MARKDOWN -> markdown(result, parts, w);
      case JSON -> json(result, parts, w);
      case SARIF -> sarif(parts, w);
      case ASFF -> asff(parts, w);
    }
  }

  private static void markdown(OrganizationScanResult result, List<Part> parts, Writer w)
      throws IOException {
    w.write("# Organization scan\n\n");
    w.write("| account | name | status | keys | unreadable | note |\n");
    w.write("|---|---|---|---|---|---|\n");
    for (AccountOutcome o : result.outcomes()) {
      w.write(
          String.format(
              "| %s | %s | %s | %d | %d | %s |%n",
              o.account().value(),
              cell(o.name()),
              o.status().name().toLowerCase(java.util.Locale.ROOT),
              o.keys(),
              o.keysWithUnreadableParts(),
              cell(o.reason())));
    }
    for (Part p : parts) {
      w.write("\n---\n\n## Account " + p.outcome().account().value() + "\n\n");
      if (!Files.exists(p.report())) {
        w.write("(no report: check could not run on this account's snapshot)\n");
        continue;
      }
      try (BufferedReader r = Files.newBufferedReader(p.report(), StandardCharsets.UTF_8)) {
        r.transferTo(w);
      }
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static void json(OrganizationScanResult result, List<Part> parts, Writer w)
      throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(w).useDefaultPrettyPrinter()) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeArrayFieldStart("accounts");
      for (AccountOutcome o : result.outcomes()) {
        g.writeStartObject();
        g.writeStringField("account", o.account().value());
        g.writeStringField("name", o.name());
        g.writeStringField("status", o.status().name());
        g.writeStringField("reason", o.reason());
        g.writeNumberField("keys", o.keys());
        g.writeNumberField("keysWithUnreadableParts", o.keysWithUnreadableParts());
        g.writeNumberField("collectionErrors", o.collectionErrors());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("reports");
      for (Part p : parts) {
        if (Files.exists(p.report())) {
          try (JsonParser parser = FACTORY.createParser(p.report().toFile())) {
            parser.nextToken();
            g.copyCurrentStructure(parser);
          }
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    w.write("\n");
  }

  private static void sarif(List<Part> parts, Writer w) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(w).useDefaultPrettyPrinter()) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("$schema", dev.kmsposture.report.SarifReportWriter.SCHEMA_URI);
      g.writeStringField("version", "2.1.0");
      g.writeArrayFieldStart("runs");
      for (Part p : parts) {
        if (!Files.exists(p.report())) {
          continue;
        }
        try (JsonParser parser = FACTORY.createParser(p.report().toFile())) {
          copyArrayElements(parser, "runs", g);
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    w.write("\n");
  }

  private static void asff(List<Part> parts, Writer w) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(w).useDefaultPrettyPrinter()) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartArray();
      for (Part p : parts) {
        if (!Files.exists(p.report())) {
          continue;
        }
        try (JsonParser parser = FACTORY.createParser(p.report().toFile())) {
          if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw new InvalidObjectException(
                "the ASFF report of " + p.outcome().account().value() + " is not an array");
          }
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            g.copyCurrentStructure(parser);
          }
        }
      }
      g.writeEndArray();
    }
    w.write("\n");
  }

  /** Copies the elements of the top-level array member {@code field}, one at a time. */
  private static void copyArrayElements(JsonParser parser, String field, JsonGenerator g)
      throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new InvalidObjectException("a SARIF report is not a JSON object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals(field) && value == JsonToken.START_ARRAY) {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          g.copyCurrentStructure(parser);
        }
      } else {
        parser.skipChildren();
      }
    }
  }
}
