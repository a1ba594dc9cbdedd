package dev.kmsposture.prover.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The satisfiable combinations ("cells") of one variable's text memberships, each with a shortest
 * witness text, computed exactly by exploring the product of the variable's base automaton (its
 * alphabet and shape) with the automata of its languages.
 *
 * <p>Z3's string theory decides such combinations slowly and, with many complemented languages on
 * one variable, can loop without honouring its time limit. The languages here are all IAM wildcard
 * shapes (literals, one character, runs, with or without the colon), so their product is small and
 * is explored in Java; Z3 then sees only Boolean flags and the list of cells.
 *
 * <p>Characters are handled by classes: every character a language names (with its case variants)
 * is its own class; all others are grouped by the base alphabets they belong to. Every character of
 * a class is treated alike by every automaton, so one representative per class suffices.
 */
final class Cells {

  /** Thrown when the product grows beyond {@link #MAX_STATES}: the question is left unknown. */
  static final class TooComplex extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooComplex(String message) {
      super(message);
    }
  }

  /** The most product states explored per variable. */
  static final int MAX_STATES = 200_000;

  /** The flags' combinations that some text has, in discovery order (shortest texts first). */
  final List<boolean[]> vectors = new ArrayList<>();

  /** A shortest text for each vector. */
  final List<String> witnesses = new ArrayList<>();

  private Cells() {}

  /**
   * Explores the texts of {@code alphabet} (excluding the evaluator's two marks when {@code
   * withoutMarks}) against the languages {@code languages} (each a union of token sequences).
   *
   * @throws TooComplex if the product has more than {@link #MAX_STATES} states
   */
  static Cells of(
      Text.Alphabet alphabet,
      boolean withoutMarks,
      List<List<List<Pattern.Token>>> languages,
      String variable) {
    List<Nfa> nfas = new ArrayList<>();
    for (List<List<Pattern.Token>> l : languages) {
      nfas.add(new Nfa(l));
    }
    char[] classes = classes(alphabet, withoutMarks, languages);
    Map<State, Integer> seen = new HashMap<>();
    List<State> states = new ArrayList<>();
    List<Integer> parent = new ArrayList<>();
    List<Character> via = new ArrayList<>();
    Map<String, Integer> vectorIndex = new LinkedHashMap<>();
    Cells out = new Cells();

    long[][] start = new long[nfas.size()][];
    for (int i = 0; i < nfas.size(); i++) {
      start[i] = nfas.get(i).start();
    }
    State first = new State(0, start);
    seen.put(first, 0);
    states.add(first);
    parent.add(-1);
    via.add('\0');
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    while (!queue.isEmpty()) {
      int index = queue.poll();
      State s = states.get(index);
      if (accepts(alphabet, s.base())) {
        boolean[] vector = new boolean[nfas.size()];
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < nfas.size(); i++) {
          vector[i] = nfas.get(i).accepts(s.sets()[i]);
          key.append(vector[i] ? '1' : '0');
        }
        if (!vectorIndex.containsKey(key.toString())) {
          vectorIndex.put(key.toString(), out.vectors.size());
          out.vectors.add(vector);
          out.witnesses.add(text(index, parent, via));
        }
      }
      for (char c : classes) {
        int base = step(alphabet, s.base(), c);
        if (base < 0) {
          continue;
        }
        long[][] sets = new long[nfas.size()][];
        for (int i = 0; i < nfas.size(); i++) {
          sets[i] = nfas.get(i).step(s.sets()[i], c);
        }
        State next = new State(base, sets);
        if (!seen.containsKey(next)) {
          if (states.size() >= MAX_STATES) {
            throw new TooComplex(
                String.format(
                    "the text constraints on %s have more than %d combinations to explore",
                    variable, MAX_STATES));
          }
          seen.put(next, states.size());
          states.add(next);
          parent.add(index);
          via.add(c);
          queue.add(states.size() - 1);
        }
      }
    }
    return out;
  }

  private static String text(int index, List<Integer> parent, List<Character> via) {
    StringBuilder sb = new StringBuilder();
    for (int i = index; parent.get(i) >= 0; i = parent.get(i)) {
      sb.append(via.get(i));
    }
    return sb.reverse().toString();
  }

  // ---- the base automata: alphabet and shape
  // -----------------------------------------------------

  private static boolean accepts(Text.Alphabet alphabet, int state) {
    return switch (alphabet) {
      case DIGITS -> state == 12;
      case NAME -> state >= 1;
      case SESSION -> state >= 2;
      case PATH -> state == 1 || state == 3;
      case SERVICE -> state == 3;
      case ANY -> true;
    };
  }

  /** The next base state, or -1 when {@code c} cannot come next. */
  private static int step(Text.Alphabet alphabet, int state, char c) {
    if (!alphabet.allows(c)) {
      return -1;
    }
    return switch (alphabet) {
      case DIGITS -> state < 12 ? state + 1 : -1;
      case NAME -> 1;
      case SESSION -> Math.min(2, state + 1);
      case PATH -> {
        // "/" (state 1), or "/" then at least one character then "/" (state 3).
        if (state == 0) {
          yield c == '/' ? 1 : -1;
        }
        yield c == '/' && state != 1 ? 3 : 2;
      }
      case SERVICE -> {
        // labels of [a-z0-9-] joined by at least one dot.
        boolean dot = c == '.';
        yield switch (state) {
          case 0 -> dot ? -1 : 1;
          case 1 -> dot ? 2 : 1;
          case 2 -> dot ? -1 : 3;
          default -> dot ? 2 : 3;
        };
      }
      case ANY -> 0;
    };
  }

  /**
   * One representative per character class: the characters the languages name (and their case
   * variants, the colon, the slash and the dot), then for every group of other characters that the
   * alphabets treat alike, a readable member.
   */
  private static char[] classes(
      Text.Alphabet alphabet, boolean withoutMarks, List<List<List<Pattern.Token>>> languages) {
    boolean[] named = new boolean[Smt.MAX_CHAR + 1];
    named[':'] = true;
    named['/'] = true;
    named['.'] = true;
    for (List<List<Pattern.Token>> l : languages) {
      for (List<Pattern.Token> seq : l) {
        for (Pattern.Token t : seq) {
          if (t.kind() == Pattern.Kind.LITERAL) {
            named[t.literal()] = true;
            if (t.ignoreCase()) {
              for (char x : caseVariants(t.literal())) {
                named[x] = true;
              }
            }
          }
        }
      }
    }
    TreeSet<Character> out = new TreeSet<>();
    Map<Integer, Character> groups = new HashMap<>();
    for (char c : ORDER) {
      if (withoutMarks && (c == Smt.MARK_STAR || c == Smt.MARK_QUESTION)) {
        continue;
      }
      if (!alphabet.allows(c)) {
        continue;
      }
      if (named[c]) {
        out.add(c);
      } else if (!groups.containsKey((int) SIGNATURE[c])) {
        groups.put((int) SIGNATURE[c], c);
        out.add(c);
      }
    }
    char[] result = new char[out.size()];
    int i = 0;
    // Readable representatives first: the search then finds readable witnesses first.
    for (char c : out) {
      if (readable(c)) {
        result[i++] = c;
      }
    }
    for (char c : out) {
      if (!readable(c)) {
        result[i++] = c;
      }
    }
    return result;
  }

  private static boolean readable(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  // Every character, readable ones first, and which alphabets allow each: computed once.
  private static final char[] ORDER = new char[Smt.MAX_CHAR + 1];
  private static final byte[] SIGNATURE = new byte[Smt.MAX_CHAR + 1];

  static {
    int k = 0;
    for (int x = 0; x <= Smt.MAX_CHAR; x++) {
      if (readable((char) x)) {
        ORDER[k++] = (char) x;
      }
    }
    for (int x = 0; x <= Smt.MAX_CHAR; x++) {
      if (!readable((char) x)) {
        ORDER[k++] = (char) x;
      }
      int signature = 0;
      for (Text.Alphabet a : Text.Alphabet.values()) {
        signature = signature * 2 + (a.allows((char) x) ? 1 : 0);
      }
      SIGNATURE[x] = (byte) signature;
    }
  }

  private static final Map<Character, char[]> CASE_VARIANTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static char[] caseVariants(char c) {
    return CASE_VARIANTS.computeIfAbsent(
        c,
        k -> {
          StringBuilder sb = new StringBuilder();
          for (int x = 0; x <= Smt.MAX_CHAR; x++) {
            if (Values.sameChar(k, (char) x, true)) {
              sb.append((char) x);
            }
          }
          return sb.toString().toCharArray();
        });
  }

  // ---- the product state
  // -------------------------------------------------------------------------

  @SuppressWarnings("ArrayRecordComponent") // equals and hashCode compare the contents
  private record State(int base, long[][] sets) {
    @Override
    public boolean equals(Object o) {
      return o instanceof State s && s.base == base && Arrays.deepEquals(s.sets, sets);
    }

    @Override
    public int hashCode() {
      return base * 31 + Arrays.deepHashCode(sets);
    }

    @Override
    public String toString() {
      return base + Arrays.deepToString(sets);
    }
  }

  /** The automaton of a union of token sequences: one block of positions per sequence. */
  private static final class Nfa {
    private final List<Pattern.Token> tokens = new ArrayList<>();
    // For each position: the end of its sequence (its accepting position).
    private final List<Integer> ends = new ArrayList<>();
    private final List<Integer> starts = new ArrayList<>();
    private final int size;

    Nfa(List<List<Pattern.Token>> union) {
      int offset = 0;
      for (List<Pattern.Token> seq : union) {
        starts.add(offset);
        for (Pattern.Token t : seq) {
          tokens.add(t);
          ends.add(offset + seq.size());
        }
        // The accepting position of the sequence holds no token.
        tokens.add(new Pattern.Token(Pattern.Kind.LITERAL, '\0', false, false));
        ends.add(-1);
        offset += seq.size() + 1;
      }
      this.size = offset;
    }

    private boolean isEnd(int position) {
      return ends.get(position) < 0;
    }

    long[] start() {
      long[] s = new long[(size + 63) / 64 + 1];
      for (int p : starts) {
        Pattern.set(s, p);
      }
      return closure(s);
    }

    private long[] closure(long[] s) {
      for (int p = 0; p < size; p++) {
        if (Pattern.has(s, p) && !isEnd(p) && tokens.get(p).kind() == Pattern.Kind.RUN) {
          Pattern.set(s, p + 1);
        }
      }
      return s;
    }

    long[] step(long[] from, char c) {
      long[] next = new long[from.length];
      for (int p = 0; p < size; p++) {
        if (!Pattern.has(from, p) || isEnd(p)) {
          continue;
        }
        Pattern.Token t = tokens.get(p);
        if (t.matches(c)) {
          Pattern.set(next, t.kind() == Pattern.Kind.RUN ? p : p + 1);
        }
      }
      return closure(next);
    }

    boolean accepts(long[] s) {
      for (int p = 0; p < size; p++) {
        if (isEnd(p) && Pattern.has(s, p)) {
          return true;
        }
      }
      return false;
    }
  }
}
