package dev.kmsposture.prover.internal;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.CharSort;
import com.microsoft.z3.Expr;
import com.microsoft.z3.SeqSort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text of the request: literal parts and string variables, such as a session's role ARN {@code
 * "arn:aws:iam::" + account + ":role" + path + name}.
 *
 * <p>Z3 decides regular-expression membership of one variable well, and of a concatenation of
 * variables badly (seconds for an ARN). So a pattern match on a text is decomposed here, over the
 * pattern's automaton: the literal parts are read in Java, and at each variable the match branches
 * on the state the variable's text ends in, asking only "is this variable's text in the words
 * between these two states?". The result is a Boolean formula over memberships of single variables,
 * equivalent to the match.
 */
final class Text {

  /** The characters and lengths a variable can take, so that impossible branches are dropped. */
  enum Alphabet {
    /** A 12-digit account id. */
    DIGITS(12, 12),
    /** An IAM user, role or federated-user name. */
    NAME(1, 64),
    /** A role session name. */
    SESSION(2, 64),
    /** An IAM path: {@code /} or {@code /…/} of {@code !} to DEL. */
    PATH(1, 512),
    /** A service principal name. */
    SERVICE(3, 128),
    /** Any text. */
    ANY(0, Integer.MAX_VALUE);

    final int min;
    final int max;

    Alphabet(int min, int max) {
      this.min = min;
      this.max = max;
    }

    boolean allows(char c) {
      return switch (this) {
        case DIGITS -> c >= '0' && c <= '9';
        case NAME, SESSION ->
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "+=,.@_-".indexOf(c) >= 0;
        case PATH -> c >= 0x21 && c <= 0x7F;
        case SERVICE -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        case ANY -> true;
      };
    }
  }

  /** A part: literal text, or a variable with its alphabet. */
  sealed interface Part permits Literal, Variable {}

  record Literal(String text) implements Part {}

  record Variable(Expr<SeqSort<CharSort>> term, Alphabet alphabet) implements Part {}

  private final List<Part> parts;

  private Text(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  static Text of(Part... parts) {
    return new Text(List.of(parts));
  }

  static Text literal(String text) {
    return of(new Literal(text));
  }

  static Text variable(Expr<SeqSort<CharSort>> term, Alphabet alphabet) {
    return of(new Variable(term, alphabet));
  }

  /** The texts one after the other (adjacent literal parts merged). */
  static Text concat(List<Text> texts) {
    List<Part> out = new ArrayList<>();
    for (Text t : texts) {
      for (Part p : t.parts) {
        if (p instanceof Literal l
            && !out.isEmpty()
            && out.get(out.size() - 1) instanceof Literal prev) {
          out.set(out.size() - 1, new Literal(prev.text() + l.text()));
        } else {
          out.add(p);
        }
      }
    }
    return new Text(out);
  }

  /** Whether this text equals {@code other}: decomposed when one side is literal. */
  BoolExpr sameAs(Text other, Smt smt) {
    if (other.parts.size() == 1 && other.parts.get(0) instanceof Literal l) {
      return is(l.text(), smt);
    }
    if (parts.size() == 1 && parts.get(0) instanceof Literal l) {
      return other.is(l.text(), smt);
    }
    return smt.eq(term(smt), other.term(smt));
  }

  List<Part> parts() {
    return parts;
  }

  /** The text as one Z3 term (for equations with other texts). */
  Expr<SeqSort<CharSort>> term(Smt smt) {
    List<Expr<SeqSort<CharSort>>> terms = new ArrayList<>();
    for (Part p : parts) {
      if (p instanceof Variable v) {
        smt.markEquational(v.term());
        terms.add(v.term());
      } else {
        terms.add(smt.str(((Literal) p).text()));
      }
    }
    return smt.concat(terms);
  }

  /** Whether the text is exactly {@code text}. */
  BoolExpr is(String text, Smt smt) {
    return matches(Pattern.literal(text), smt);
  }

  /** Whether the text matches {@code pattern}, as a formula over single-variable memberships. */
  BoolExpr matches(Pattern pattern, Smt smt) {
    if (parts.size() == 1 && parts.get(0) instanceof Variable v) {
      return smt.in(v.term(), List.of(pattern.tokens()));
    }
    // reach: the formula for "the parts so far can end in exactly this closed state set".
    Map<StateSet, BoolExpr> reach = new LinkedHashMap<>();
    reach.put(new StateSet(pattern.start()), smt.bool(true));
    for (Part part : parts) {
      Map<StateSet, List<BoolExpr>> next = new LinkedHashMap<>();
      if (part instanceof Literal l) {
        for (Map.Entry<StateSet, BoolExpr> e : reach.entrySet()) {
          long[] after = pattern.read(e.getKey().bits(), l.text());
          if (!Pattern.isEmpty(after)) {
            next.computeIfAbsent(new StateSet(after), k -> new ArrayList<>()).add(e.getValue());
          }
        }
      } else {
        Variable v = (Variable) part;
        Map<String, BoolExpr> atoms = new HashMap<>();
        for (Map.Entry<StateSet, BoolExpr> e : reach.entrySet()) {
          long[] from = e.getKey().bits();
          for (int to = 0; to <= pattern.size(); to++) {
            List<List<Pattern.Token>> ways = new ArrayList<>();
            StringBuilder key = new StringBuilder().append(to).append(':');
            for (int a = 0; a <= to; a++) {
              if (Pattern.has(from, a) && possible(pattern.between(a, to), v.alphabet())) {
                ways.add(pattern.between(a, to));
                key.append(a).append(',');
              }
            }
            if (ways.isEmpty()) {
              continue;
            }
            BoolExpr atom = atoms.computeIfAbsent(key.toString(), k -> smt.in(v.term(), ways));
            next.computeIfAbsent(new StateSet(pattern.single(to)), k -> new ArrayList<>())
                .add(smt.and(e.getValue(), atom));
          }
        }
      }
      reach = new LinkedHashMap<>();
      for (Map.Entry<StateSet, List<BoolExpr>> e : next.entrySet()) {
        reach.put(e.getKey(), smt.or(e.getValue()));
      }
      if (reach.isEmpty()) {
        return smt.bool(false);
      }
    }
    List<BoolExpr> accepted = new ArrayList<>();
    for (Map.Entry<StateSet, BoolExpr> e : reach.entrySet()) {
      if (pattern.accepts(e.getKey().bits())) {
        accepted.add(e.getValue());
      }
    }
    return smt.or(accepted);
  }

  /**
   * Whether some word of the alphabet's lengths, made of its characters, matches the tokens: each
   * literal must be a character the alphabet allows, and the fixed length must fit.
   */
  private static boolean possible(List<Pattern.Token> tokens, Alphabet alphabet) {
    int fixed = 0;
    boolean run = false;
    for (Pattern.Token t : tokens) {
      switch (t.kind()) {
        case LITERAL -> {
          if (!allowsSome(t, alphabet)) {
            return false;
          }
          fixed++;
        }
        case ONE -> fixed++;
        case RUN -> run = true;
      }
    }
    if (alphabet == Alphabet.PATH && !tokens.isEmpty()) {
      // A path starts and ends with a slash.
      if (!admitsSlash(tokens.get(0)) || !admitsSlash(tokens.get(tokens.size() - 1))) {
        return false;
      }
    }
    return fixed <= alphabet.max && (run || fixed >= alphabet.min);
  }

  private static boolean admitsSlash(Pattern.Token t) {
    return t.kind() != Pattern.Kind.LITERAL || t.literal() == '/';
  }

  private static boolean allowsSome(Pattern.Token t, Alphabet alphabet) {
    if (alphabet.allows(t.literal())) {
      return true;
    }
    if (!t.ignoreCase()) {
      return false;
    }
    for (char c = 0x20; c < 0x7F; c++) {
      if (alphabet.allows(c) && Values.sameChar(t.literal(), c, true)) {
        return true;
      }
    }
    // Beyond ASCII only ANY allows characters, and it allows every one.
    return false;
  }

  /** A closed set of automaton states, as a map key. */
  @SuppressWarnings("ArrayRecordComponent") // equals and hashCode compare the contents
  private record StateSet(long[] bits) {
    @Override
    public boolean equals(Object o) {
      return o instanceof StateSet s && java.util.Arrays.equals(s.bits, bits);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
      return java.util.Arrays.toString(bits);
    }
  }
}
