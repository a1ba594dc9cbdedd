package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One principal for every combination of principal patterns a principal can match: when a policy's
 * patterns over principal ARNs overlap ({@code role/Key*} and {@code *:role/Break*}), the
 * principals of each account split into regions by which patterns they match, and one principal of
 * each region stands for the whole region. Found exactly, by a breadth-first search over the
 * product of the patterns' automata: for each account and each kind of principal whose name is free
 * (users and roles, with their paths, and federated users), the search extends the name one
 * character at a time (over the characters the patterns name and one they do not) and keeps the
 * first name that reaches each set of matched patterns. Every set of matched patterns some name
 * reaches is then represented, so a search over the stand-ins decides every principal of those
 * kinds.
 *
 * <p>Not attempted (the caller keeps "not every combination is tried"): a pattern on {@code
 * aws:username}; a principal-element pattern that could match a role session's ARN ({@code
 * arn:aws:sts::…:assumed-role/…}), whose session name is free too; an {@code Arn…} pattern that is
 * not six colon-separated parts; more than {@value #MAX_PATTERNS} patterns; and a search that grows
 * past {@value #MAX_STATES} states or {@value #MAX_STAND_INS} stand-ins in all.
 */
final class PrincipalRegions {
  static final int MAX_STATES = 10_000;

  /** The most patterns and the most stand-ins in all: beyond them, the regions are not sought. */
  static final int MAX_PATTERNS = 12;

  static final int MAX_STAND_INS = 256;
  private static final String NAME_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-";
  private static final String FILLERS = "qz0_";

  /**
   * A pattern over a principal's ARN.
   *
   * @param glob the pattern ({@code *} and {@code ?} are wildcards)
   * @param arnParts whether it is matched part by part as the {@code Arn…} operators match
   * @param principalElement whether it is from a Principal or NotPrincipal element (such patterns
   *     also see a session's own ARN)
   */
  record Pattern(String glob, boolean arnParts, boolean principalElement) {}

  private PrincipalRegions() {}

  /**
   * Returns one ARN per region of every account in {@code accounts}, for users, roles and federated
   * users, or null when the regions cannot be found exactly (see the class documentation).
   */
  static @Nullable List<String> standIns(
      List<Pattern> patterns, Collection<String> accounts, String partition) {
    return standIns(patterns, accounts, partition, Set.of());
  }

  /**
   * As {@link #standIns(List, Collection, String)}, leaving out a user or role whose name (letter
   * case ignored) is that of one of {@code named} in the same account but whose ARN differs: IAM
   * user and role names are unique in an account (IAM "IAM identifiers"), and KMS accepts a policy
   * only when the principals it names exist, so no such principal can call.
   */
  static @Nullable List<String> standIns(
      List<Pattern> patterns, Collection<String> accounts, String partition, Set<String> named) {
    Map<String, String> names = new HashMap<>();
    for (String arn : named) {
      String k = identityKey(arn);
      if (k != null) {
        names.put(k, arn);
      }
    }
    List<String> all = search(patterns, accounts, partition);
    if (all == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String arn : all) {
      String k = identityKey(arn);
      String same = k == null ? null : names.get(k);
      if (same == null || same.equals(arn)) {
        out.add(arn);
      }
    }
    return out;
  }

  // account:kind:lower-case name of an IAM user or role ARN, or null.
  private static @Nullable String identityKey(String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[2].equals("iam")) {
      return null;
    }
    String res = parts[5];
    if (!res.startsWith("user/") && !res.startsWith("role/")) {
      return null;
    }
    return parts[4]
        + ":"
        + res.substring(0, 4)
        + ":"
        + res.substring(res.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
  }

  private static @Nullable List<String> search(
      List<Pattern> given, Collection<String> accounts, String partition) {
    List<Pattern> patterns = List.copyOf(new LinkedHashSet<>(given));
    if (patterns.size() > MAX_PATTERNS) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    int[] budget = {MAX_STATES};
    for (String account : accounts) {
      String iam = "arn:" + partition + ":iam::" + account + ":";
      String sts = "arn:" + partition + ":sts::" + account + ":";
      for (Pattern p : patterns) {
        if (p.principalElement && !p.arnParts && reaches(p.glob, sts + "assumed-role/")) {
          return null;
        }
      }
      for (String prefix : List.of(iam + "user/", iam + "role/", sts + "federated-user/")) {
        List<String> names = search(patterns, prefix, !prefix.endsWith("federated-user/"), budget);
        if (names == null) {
          return null;
        }
        for (String n : names) {
          out.add(prefix + n);
        }
        if (out.size() > MAX_STAND_INS) {
          return null;
        }
      }
    }
    return List.copyOf(out);
  }

  // Whether some text starting with prefix can match the glob.
  private static boolean reaches(String glob, String prefix) {
    BitSet s = start(glob);
    for (int i = 0; i < prefix.length() && !s.isEmpty(); i++) {
      s = step(glob, s, prefix.charAt(i));
    }
    return !s.isEmpty();
  }

  /** The names (after prefix) of one principal per reachable set of matched patterns. */
  private static @Nullable List<String> search(
      List<Pattern> patterns, String prefix, boolean paths, int[] budget) {
    int n = patterns.size();
    String[] globs = new String[n];
    BitSet[] starts = new BitSet[n];
    Set<Character> chars = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      Pattern p = patterns.get(i);
      String glob = p.glob;
      String fixed = prefix;
      if (p.arnParts) {
        String[] parts = glob.split(":", 6);
        String[] target = prefix.split(":", 6);
        if (parts.length != 6 || target.length != 6) {
          return null;
        }
        boolean prefixMatches = true;
        for (int k = 0; k < 5; k++) {
          prefixMatches &= Glob.matches(parts[k], target[k], false);
        }
        glob = parts[5];
        fixed = target[5];
        if (!prefixMatches) {
          globs[i] = null;
          starts[i] = new BitSet();
          continue;
        }
      }
      globs[i] = glob;
      BitSet s = start(glob);
      for (int k = 0; k < fixed.length() && !s.isEmpty(); k++) {
        s = step(glob, s, fixed.charAt(k));
      }
      starts[i] = s;
      for (int k = 0; k < glob.length(); k++) {
        char c = glob.charAt(k);
        if (NAME_CHARS.indexOf(c) >= 0 || (paths && c == '/')) {
          chars.add(c);
        }
      }
    }
    for (int k = 0; k < FILLERS.length(); k++) {
      if (!chars.contains(FILLERS.charAt(k))) {
        chars.add(FILLERS.charAt(k));
        break;
      }
    }
    // A state: each pattern's set of positions, whether the name is empty, whether it ends in '/'.
    Map<String, String> seen = new HashMap<>();
    Map<String, String> byRegion = new LinkedHashMap<>();
    ArrayDeque<Object[]> queue = new ArrayDeque<>();
    queue.add(new Object[] {starts, ""});
    seen.put(key(starts, ""), "");
    while (!queue.isEmpty()) {
      Object[] item = queue.poll();
      BitSet[] states = (BitSet[]) item[0];
      String name = (String) item[1];
      boolean empty = name.isEmpty();
      boolean slash = !empty && name.charAt(name.length() - 1) == '/';
      if (!empty && !slash) {
        StringBuilder region = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
          String g = globs[i];
          region.append(g != null && states[i].get(g.length()) ? '1' : '0');
        }
        byRegion.putIfAbsent(region.toString(), name);
      }
      for (char c : chars) {
        if (c == '/' && (empty || slash)) {
          continue;
        }
        BitSet[] next = new BitSet[n];
        for (int i = 0; i < n; i++) {
          String g = globs[i];
          next[i] = g == null ? states[i] : step(g, states[i], c);
        }
        String k = key(next, name + c);
        if (!seen.containsKey(k)) {
          if (--budget[0] < 0) {
            return null;
          }
          seen.put(k, name + c);
          queue.add(new Object[] {next, name + c});
        }
      }
    }
    return new ArrayList<>(byRegion.values());
  }

  private static String key(BitSet[] states, String name) {
    StringBuilder b = new StringBuilder();
    for (BitSet s : states) {
      b.append(s).append('|');
    }
    boolean empty = name.isEmpty();
    b.append(empty ? 'e' : name.charAt(name.length() - 1) == '/' ? 's' : 'n');
    return b.toString();
  }

  // The positions of the glob reached before any character: 0 and what stars skip.
  private static BitSet start(String glob) {
    BitSet s = new BitSet();
    s.set(0);
    return closure(glob, s);
  }

  private static BitSet closure(String glob, BitSet s) {
    for (int p = s.nextSetBit(0); p >= 0 && p < glob.length(); p = s.nextSetBit(p + 1)) {
      if (glob.charAt(p) == '*') {
        s.set(p + 1);
      }
    }
    return s;
  }

  private static BitSet step(String glob, BitSet s, char c) {
    BitSet next = new BitSet();
    for (int p = s.nextSetBit(0); p >= 0 && p < glob.length(); p = s.nextSetBit(p + 1)) {
      char g = glob.charAt(p);
      if (g == '*') {
        next.set(p);
      } else if (g == '?' || g == c) {
        next.set(p + 1);
      }
    }
    return closure(glob, next);
  }
}
