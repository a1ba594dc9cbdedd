package dev.kmsposture.prover.internal;

import com.microsoft.z3.CharSort;
import com.microsoft.z3.ReExpr;
import com.microsoft.z3.SeqSort;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A text pattern as a sequence of tokens — a literal character (optionally matched ignoring case),
 * one character, or a run of characters, where the wildcards may exclude the colon — so that both
 * IAM wildcards and ARN patterns (whose first five parts cannot hold a colon) are one kind of
 * value. Its automaton is the token positions: state {@code i} has consumed tokens {@code 0..i-1};
 * a run token at position {@code i} loops on state {@code i} and is skipped by an empty move.
 */
final class Pattern {

  /** One token. */
  record Token(Kind kind, char literal, boolean ignoreCase, boolean noColon) {
    boolean matches(char c) {
      return switch (kind) {
        case LITERAL -> Values.sameChar(literal, c, ignoreCase);
        case ONE, RUN -> !(noColon && c == ':');
      };
    }
  }

  /** What a token matches. */
  enum Kind {
    LITERAL,
    ONE,
    RUN
  }

  private final List<Token> tokens;
  private final String source;

  private Pattern(List<Token> tokens, String source) {
    this.tokens = List.copyOf(tokens);
    this.source = source;
  }

  List<Token> tokens() {
    return tokens;
  }

  int size() {
    return tokens.size();
  }

  @Override
  public String toString() {
    return source;
  }

  /** Exactly the text {@code text}. */
  static Pattern literal(String text) {
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      out.add(new Token(Kind.LITERAL, text.charAt(i), false, false));
    }
    return new Pattern(out, text);
  }

  /** The text {@code text}, letter case ignored as {@code equalsIgnoreCase} ignores it. */
  static Pattern ignoringCase(String text) {
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      out.add(new Token(Kind.LITERAL, text.charAt(i), true, false));
    }
    return new Pattern(out, text);
  }

  /** An IAM wildcard pattern: {@code *} a run, {@code ?} one character. */
  static Pattern glob(String pattern, boolean ignoreCase) {
    List<Token> out = new ArrayList<>();
    addGlob(out, pattern, ignoreCase, false);
    return new Pattern(out, pattern);
  }

  /** Any text with at least five colons: what the evaluator can split into six ARN parts. */
  static Pattern arnShape() {
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      out.add(new Token(Kind.RUN, ' ', false, true));
      out.add(new Token(Kind.LITERAL, ':', false, false));
    }
    out.add(new Token(Kind.RUN, ' ', false, false));
    return new Pattern(out, "*:*:*:*:*:*");
  }

  /** {@code prefix} followed by anything. */
  static Pattern prefix(String prefix) {
    List<Token> out = new ArrayList<>(literal(prefix).tokens);
    out.add(new Token(Kind.RUN, ' ', false, false));
    return new Pattern(out, prefix + "*");
  }

  /**
   * An ARN pattern as {@code ArnLike} reads it (IAM: each of the six colon-separated parts is
   * matched separately, with wildcards): null when it has fewer than six parts (it matches
   * nothing).
   */
  static @Nullable Pattern arn(String pattern) {
    String[] parts = Values.arnParts(pattern);
    if (parts == null) {
      return null;
    }
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        out.add(new Token(Kind.LITERAL, ':', false, false));
      }
      addGlob(out, parts[i], false, i < 5);
    }
    return new Pattern(out, pattern);
  }

  private static void addGlob(
      List<Token> out, String pattern, boolean ignoreCase, boolean noColon) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        out.add(new Token(Kind.RUN, ' ', false, noColon));
      } else if (c == '?') {
        out.add(new Token(Kind.ONE, ' ', false, noColon));
      } else {
        out.add(new Token(Kind.LITERAL, c, ignoreCase, false));
      }
    }
  }

  // ---- the automaton ---------------------------------------------------------------------------

  /** Adds the states reachable by empty moves (over run tokens). */
  long[] closure(long[] states) {
    long[] out = states.clone();
    for (int i = 0; i < tokens.size(); i++) {
      if (has(out, i) && tokens.get(i).kind() == Kind.RUN) {
        set(out, i + 1);
      }
    }
    return out;
  }

  /** The states after reading {@code text} from {@code states} (closed sets). */
  long[] read(long[] states, String text) {
    long[] current = states;
    for (int k = 0; k < text.length() && !isEmpty(current); k++) {
      char c = text.charAt(k);
      long[] next = newSet();
      for (int i = 0; i < tokens.size(); i++) {
        if (!has(current, i)) {
          continue;
        }
        Token t = tokens.get(i);
        if (t.matches(c)) {
          set(next, t.kind() == Kind.RUN ? i : i + 1);
        }
      }
      current = closure(next);
    }
    return current;
  }

  long[] start() {
    long[] s = newSet();
    set(s, 0);
    return closure(s);
  }

  long[] newSet() {
    return new long[(tokens.size() + 1 + 63) / 64];
  }

  long[] single(int state) {
    long[] s = newSet();
    set(s, state);
    return closure(s);
  }

  boolean accepts(long[] states) {
    return has(states, tokens.size());
  }

  static boolean has(long[] set, int i) {
    return (set[i >>> 6] & (1L << (i & 63))) != 0;
  }

  static void set(long[] set, int i) {
    set[i >>> 6] |= 1L << (i & 63);
  }

  static boolean isEmpty(long[] set) {
    for (long w : set) {
      if (w != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The words that lead from state {@code from} to state {@code to} ({@code from <= to}): the
   * tokens in between, and the run at {@code to} when there is one (a word may end inside it).
   */
  List<Token> between(int from, int to) {
    List<Token> out = new ArrayList<>(tokens.subList(from, to));
    if (to < tokens.size() && tokens.get(to).kind() == Kind.RUN) {
      out.add(tokens.get(to));
    }
    return out;
  }

  /** The regular expression of a token sequence. */
  static ReExpr<SeqSort<CharSort>> regex(List<Token> tokens, Smt smt) {
    List<ReExpr<SeqSort<CharSort>>> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (Token t : tokens) {
      if (t.kind() == Kind.LITERAL && !t.ignoreCase()) {
        literal.append(t.literal());
        continue;
      }
      if (literal.length() > 0) {
        parts.add(smt.lit(literal.toString()));
        literal.setLength(0);
      }
      switch (t.kind()) {
        case LITERAL -> parts.add(smt.ignoreCaseChar(t.literal()));
        case ONE -> parts.add(t.noColon() ? smt.anyCharButColon() : smt.anyChar());
        case RUN -> parts.add(smt.star(t.noColon() ? smt.anyCharButColon() : smt.anyChar()));
      }
    }
    if (literal.length() > 0) {
      parts.add(smt.lit(literal.toString()));
    }
    return smt.seq(parts);
  }
}
