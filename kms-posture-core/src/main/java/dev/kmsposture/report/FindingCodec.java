package dev.kmsposture.report;

import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes findings to a spool file and reads them back equal ({@link Finding#equals}, the message
 * rendered). Strings that repeat across findings — rule ids, remediations, priority reasons,
 * disposition notes — are written once and then referred to by number, for the first {@value
 * #MAX_SHARED} distinct ones; the rest are written in full. One codec serves one spool: its
 * dictionary is in memory, shared by the spool's files. Not thread-safe.
 */
final class FindingCodec {
  static final int MAX_SHARED = 4096;

  private static final Status[] STATUSES = Status.values();
  private static final Severity[] SEVERITIES = Severity.values();
  private static final Finding.Priority[] PRIORITIES = Finding.Priority.values();
  private static final Finding.Disposition[] DISPOSITIONS = Finding.Disposition.values();

  private final Map<String, Integer> shared = new HashMap<>();
  private final List<String> byNumber = new ArrayList<>();

  // ordinals pack into one byte of a spill file this process writes and reads back.
  @SuppressWarnings("EnumOrdinal")
  void write(DataOutputStream out, Finding f) throws IOException {
    out.writeByte(
        f.status().ordinal()
            | f.severity().ordinal() << 2
            | f.priority().ordinal() << 4
            | f.disposition().ordinal() << 5);
    writeShared(out, f.ruleId().value());
    String keyArn = f.keyArn();
    writeText(out, keyArn);
    // The subject is most often the key ARN: then it is not written again (a null subject).
    writeText(out, f.subject().equals(keyArn) ? null : f.subject());
    writeText(out, f.message());
    PolicyLocation l = f.location();
    if (l == null) {
      writeNumber(out, 0);
    } else {
      writeNumber(out, l.place().index() + 1);
      writeText(out, l.place().sid());
      writeText(out, l.place().pointer());
      writeText(out, l.statementFingerprint());
    }
    writeText(out, f.item());
    Remediation r = f.remediation();
    writeShared(out, r.description());
    writeShared(out, r.cliCommand());
    writeShared(out, r.sdkCall());
    writeNumber(out, f.priorityReasons().size());
    for (String reason : f.priorityReasons()) {
      writeShared(out, reason);
    }
    String note = f.dispositionNote();
    if (note == null) {
      writeNumber(out, 0);
    } else {
      writeNumber(out, 1);
      writeShared(out, note);
    }
  }

  /** Reads the next finding, or returns null at the end of the file. */
  @Nullable Finding read(DataInputStream in) throws IOException {
    int flags = in.read();
    if (flags < 0) {
      return null;
    }
    RuleId ruleId = RuleId.of(readShared(in));
    String keyArn = readText(in);
    String subject = readText(in);
    if (subject == null) {
      subject = required(keyArn);
    }
    String message = required(readText(in));
    int location = readNumber(in);
    PolicyLocation l = null;
    if (location > 0) {
      String sid = readText(in);
      String pointer = required(readText(in));
      String fingerprint = required(readText(in));
      l = new PolicyLocation(new StatementPlace(location - 1, sid, pointer), fingerprint);
    }
    String item = readText(in);
    Remediation r = new Remediation(readShared(in), readShared(in), readShared(in));
    int reasons = readNumber(in);
    List<String> priorityReasons = new ArrayList<>(reasons);
    for (int i = 0; i < reasons; i++) {
      priorityReasons.add(readShared(in));
    }
    String note = readNumber(in) == 0 ? null : readShared(in);
    return Finding.builder()
        .ruleId(ruleId)
        .severity(SEVERITIES[(flags >> 2) & 3])
        .status(STATUSES[flags & 3])
        .keyArn(keyArn)
        .subject(subject)
        .message(message)
        .location(l)
        .item(item)
        .remediation(r)
        .priority(PRIORITIES[(flags >> 4) & 1])
        .priorityReasons(priorityReasons)
        .disposition(DISPOSITIONS[(flags >> 5) & 3])
        .dispositionNote(note)
        .build();
  }

  private static String required(@Nullable String s) throws IOException {
    if (s == null) {
      throw new IOException("bug in kms-posture: a spool file holds a null where text belongs");
    }
    return s;
  }

  private void writeShared(DataOutputStream out, String s) throws IOException {
    Integer n = shared.get(s);
    if (n == null && byNumber.size() < MAX_SHARED) {
      n = byNumber.size();
      shared.put(s, n);
      byNumber.add(s);
      // First use: the text, then its number.
      writeNumber(out, 1);
      writeText(out, s);
      return;
    }
    if (n == null) {
      writeNumber(out, 0);
      writeText(out, s);
    } else {
      writeNumber(out, n + 2);
    }
  }

  private String readShared(DataInputStream in) throws IOException {
    int n = readNumber(in);
    if (n >= 2) {
      return byNumber.get(n - 2);
    }
    String s = required(readText(in));
    // The dictionary was filled as the files were written; reading needs only the numbers.
    return s;
  }

  private static void writeText(DataOutputStream out, @Nullable String s) throws IOException {
    if (s == null) {
      writeNumber(out, 0);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeNumber(out, b.length + 1);
    out.write(b);
  }

  private static @Nullable String readText(DataInputStream in) throws IOException {
    int n = readNumber(in);
    if (n == 0) {
      return null;
    }
    byte[] b = new byte[n - 1];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  // Unsigned LEB128: one byte below 128.
  private static void writeNumber(DataOutputStream out, int n) throws IOException {
    int v = n;
    while ((v & ~0x7F) != 0) {
      out.writeByte((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.writeByte(v);
  }

  private static int readNumber(DataInputStream in) throws IOException {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("bug in kms-posture: a spool file ends inside a finding");
      }
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("bug in kms-posture: a spool file holds a malformed number");
  }
}
