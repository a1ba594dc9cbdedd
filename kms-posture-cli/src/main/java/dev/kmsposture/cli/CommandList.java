package dev.kmsposture.cli;

import java.util.List;

/** The commands {@code demo} lists, with what each does, in the order it lists them. */
final class CommandList {
  /** A command: its name and what it does. */
  record Entry(String name, String summary) {}

  /** Every command {@code demo} lists, in order. */
  static final List<Entry> ENTRIES =
      List.of(
          new Entry("demo", "check a sample snapshot and show what kms-posture can do"),
          new Entry("validate", "parse a key policy and say where it is malformed"),
          new Entry("evaluate", "decide whether one request is allowed by a key policy, and why"),
          new Entry(
              "analyze",
              "show who can do what with a key: public, cross-account, admin and use together"),
          new Entry("policy", "build a least-privilege key policy from roles"),
          new Entry(
              "check", "run the posture rules on a key policy or snapshot and report findings"),
          new Entry("scan", "read the keys of a live account into a snapshot and check them"),
          new Entry("provision", "create a key from a blueprint, checked before any KMS call"),
          new Entry("retire", "disable a key and schedule its deletion in safe steps"),
          new Entry("fix", "apply the remediations of findings to a key"),
          new Entry("local-kms", "run the embedded KMS on loopback for tests"));

  private CommandList() {}
}
