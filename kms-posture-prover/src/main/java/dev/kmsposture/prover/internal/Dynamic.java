package dev.kmsposture.prover.internal;

import com.microsoft.z3.BoolExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy value or resource with variables, substituted symbolically as the evaluator substitutes
 * it (core's {@code PolicyVariables}): the first variable, left to right, whose key is unknown
 * makes the result unknown, and the first without a value (absent or multi-valued, no default)
 * makes it null (no match). The value is the text a match compares with: variable values and the
 * escapes are literal.
 *
 * <p>Only exact comparisons are encoded: string equality, and StringLike or ARN operators whose
 * literal text has no wildcard (the comparison is then equality too). A wildcard next to a variable
 * would need a quantifier under negation, so it is reported as unsupported.
 *
 * @param isNull no value: the comparison fails
 * @param isUnknown a variable's value is unknown: the comparison cannot be told
 * @param value the substituted text
 */
record Dynamic(BoolExpr isNull, BoolExpr isUnknown, Text value) {

  static Dynamic of(Template template, boolean equality, Request r, String source) {
    Smt smt = r.smt;
    if (!equality && template.hasLiteralWildcard()) {
      throw new UnsupportedConstruct(
          String.format(
              "[%s] mixes a policy variable with a wildcard; only exact matches with variables"
                  + " are encoded",
              source));
    }
    List<Text> parts = new ArrayList<>();
    List<BoolExpr> isNull = new ArrayList<>();
    List<BoolExpr> isUnknown = new ArrayList<>();
    BoolExpr earlierFailed = smt.bool(false);
    for (Template.Piece piece : template.pieces()) {
      if (piece instanceof Template.Literal l) {
        String text = l.text();
        if (text.indexOf(Smt.MARK_STAR) >= 0 || text.indexOf(Smt.MARK_QUESTION) >= 0) {
          if (!equality) {
            throw new UnsupportedConstruct(
                String.format(
                    "[%s] holds the private-use characters U+E000/U+E001, which the evaluator"
                        + " uses internally",
                    source));
          }
          // String equality compares the unprotected text: the marks read as '*' and '?'.
          text = text.replace((char) Smt.MARK_STAR, '*').replace((char) Smt.MARK_QUESTION, '?');
        }
        parts.add(Text.literal(text));
      } else if (piece instanceof Template.Escape e) {
        parts.add(Text.literal(String.valueOf(e.character())));
      } else if (piece instanceof Template.Variable v) {
        Slot slot = r.slot(v.key());
        BoolExpr has = smt.and(slot.hasOneValue(), smt.not(slot.unknown));
        BoolExpr missing = smt.and(smt.not(slot.unknown), smt.not(has));
        BoolExpr nullHere = v.fallback() == null ? missing : smt.bool(false);
        isUnknown.add(smt.and(smt.not(earlierFailed), slot.unknown));
        isNull.add(smt.and(smt.not(earlierFailed), nullHere));
        earlierFailed = smt.or(earlierFailed, slot.unknown, nullHere);
        String fallback = v.fallback();
        Text value = slot.strings.get(0);
        parts.add(
            fallback == null
                ? value
                : Text.variable(
                    smt.ite(has, value.term(smt), smt.str(fallback)), Text.Alphabet.ANY));
      }
    }
    return new Dynamic(smt.or(isNull), smt.or(isUnknown), Text.concat(parts));
  }
}
