package dev.kmsposture.prover.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A policy value or resource with policy variables, split the way core's evaluator substitutes it:
 * literal text, the escapes {@code ${*}}, {@code ${?}} and {@code ${$}}, and variables {@code
 * ${key}} or {@code ${key, 'default'}} (IAM "Policy variables"). A <code>${</code> without a
 * closing brace ends the scan: the rest is literal.
 */
final class Template {

  /** One piece of a template. */
  sealed interface Piece permits Literal, Escape, Variable {}

  /** Literal text of the policy, where {@code *} and {@code ?} keep their wildcard meaning. */
  record Literal(String text) implements Piece {}

  /** {@code ${*}}, {@code ${?}} or {@code ${$}}: one character that is always literal. */
  record Escape(char character) implements Piece {}

  /**
   * A variable: the lower-case key whose single value is substituted, and the default used when the
   * key is absent or has several values (null when there is none: the value then does not match).
   */
  record Variable(String key, @Nullable String fallback) implements Piece {}

  private final List<Piece> pieces;

  private Template(List<Piece> pieces) {
    this.pieces = List.copyOf(pieces);
  }

  List<Piece> pieces() {
    return pieces;
  }

  /** Whether the text holds a variable or escape at all (under Version 2012-10-17). */
  static boolean hasVariables(String text) {
    return text.contains("${");
  }

  static Template parse(String text) {
    List<Piece> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    StringBuilder literal = new StringBuilder();
    while (i < n) {
      int start = text.indexOf("${", i);
      int end = start < 0 ? -1 : text.indexOf('}', start + 2);
      if (start < 0 || end < 0) {
        literal.append(text, i, n);
        break;
      }
      literal.append(text, i, start);
      String inner = text.substring(start + 2, end);
      i = end + 1;
      Piece piece;
      if (inner.equals("*")) {
        piece = new Escape('*');
      } else if (inner.equals("?")) {
        piece = new Escape('?');
      } else if (inner.equals("$")) {
        // The evaluator appends a plain '$': it is literal text like any other.
        literal.append('$');
        continue;
      } else {
        String key = inner;
        String fallback = null;
        int comma = inner.indexOf(',');
        if (comma >= 0) {
          key = inner.substring(0, comma).trim();
          String d = inner.substring(comma + 1).trim();
          if (d.length() >= 2 && d.charAt(0) == '\'' && d.charAt(d.length() - 1) == '\'') {
            fallback = d.substring(1, d.length() - 1);
          }
        }
        piece = new Variable(key.toLowerCase(Locale.ROOT), fallback);
      }
      if (literal.length() > 0) {
        out.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      out.add(piece);
    }
    if (literal.length() > 0) {
      out.add(new Literal(literal.toString()));
    }
    return new Template(out);
  }

  /** Whether some literal piece holds a wildcard ({@code *} or {@code ?}). */
  boolean hasLiteralWildcard() {
    for (Piece p : pieces) {
      if (p instanceof Literal l && Values.hasWildcard(l.text())) {
        return true;
      }
    }
    return false;
  }

  /** The keys of the variables, in order. */
  List<Variable> variables() {
    List<Variable> out = new ArrayList<>();
    for (Piece p : pieces) {
      if (p instanceof Variable v) {
        out.add(v);
      }
    }
    return out;
  }
}
