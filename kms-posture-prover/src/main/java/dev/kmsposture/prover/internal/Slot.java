package dev.kmsposture.prover.internal;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.CharSort;
import com.microsoft.z3.Expr;
import com.microsoft.z3.FPExpr;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.SeqSort;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The value of one condition key in the request: absent, present with a list of values (at most
 * {@link #capacity}), or, for {@code aws:PrincipalArn} of a session whose role path is not given,
 * unknown. Each value is held in the form its operators compare: text, an IEEE double (the bits of
 * the number the evaluator parses; NaN for text that is no number), epoch milliseconds with a
 * validity flag, or an IPv4/IPv6 address with a kind (0: not an address, 4, 6).
 */
final class Slot {
  final String spelling;
  final String lower;
  final KeyUse.Family family;
  final boolean derived;
  final BoolExpr present;
  final BoolExpr unknown;
  final int capacity;
  private final @Nullable IntExpr size;
  private final Smt smt;

  /** The values as texts (family STRING); for a context key each is one variable. */
  final List<Text> strings = new ArrayList<>();

  /** The variables of a context key's text values, for reading a model. */
  final List<Expr<SeqSort<CharSort>>> stringVariables = new ArrayList<>();

  final List<BitVecExpr> numberBits = new ArrayList<>();
  final List<FPExpr> numbers = new ArrayList<>();
  final List<BoolExpr> dateValid = new ArrayList<>();
  final List<IntExpr> millis = new ArrayList<>();
  final List<IntExpr> ipKind = new ArrayList<>();
  final List<BitVecExpr> ipv4 = new ArrayList<>();
  final List<BitVecExpr> ipv6 = new ArrayList<>();

  private Slot(
      Smt smt,
      String spelling,
      String lower,
      KeyUse.Family family,
      boolean derived,
      BoolExpr present,
      BoolExpr unknown,
      int capacity,
      @Nullable IntExpr size) {
    this.smt = smt;
    this.spelling = spelling;
    this.lower = lower;
    this.family = family;
    this.derived = derived;
    this.present = present;
    this.unknown = unknown;
    this.capacity = capacity;
    this.size = size;
  }

  /** A key the request derives from the principal: one text value when present. */
  static Slot derived(Smt smt, String lower, BoolExpr present, BoolExpr unknown, Text value) {
    Slot s = new Slot(smt, lower, lower, KeyUse.Family.STRING, true, present, unknown, 1, null);
    s.strings.add(value);
    return s;
  }

  /**
   * A key of the request context: free, with {@code capacity} values when multi-valued (its size is
   * then free in 0..capacity) and exactly one when single-valued. The well-formedness constraints
   * are added to {@code constraints}.
   */
  static Slot context(
      Smt smt,
      String spelling,
      String lower,
      KeyUse.Family family,
      boolean multi,
      int capacity,
      boolean withoutMarks,
      List<BoolExpr> constraints) {
    IntExpr size = multi ? smt.intVar("size:" + lower) : null;
    Slot s =
        new Slot(
            smt,
            spelling,
            lower,
            family,
            false,
            smt.boolVar("present:" + lower),
            smt.bool(false),
            capacity,
            size);
    if (size != null) {
      constraints.add(smt.ctx.mkGe(size, smt.num(0)));
      constraints.add(smt.ctx.mkLe(size, smt.num(capacity)));
    }
    for (int i = 0; i < capacity; i++) {
      String n = lower + "[" + i + "]";
      switch (family) {
        case STRING -> {
          Expr<SeqSort<CharSort>> v = smt.strVar(n, Text.Alphabet.ANY, withoutMarks);
          s.strings.add(Text.variable(v, Text.Alphabet.ANY));
          s.stringVariables.add(v);
        }
        case NUMBER -> {
          BitVecExpr bits = smt.bitsVar(n, 64);
          FPExpr number = smt.ctx.mkFPToFP(bits, smt.ctx.mkFPSort64());
          // The evaluator reads no text as an infinity (NaN stands for text that is no number).
          constraints.add(smt.not(smt.ctx.mkFPIsInfinite(number)));
          s.numberBits.add(bits);
          s.numbers.add(number);
        }
        case DATE -> {
          BoolExpr valid = smt.boolVar(n + ":valid");
          IntExpr ms = smt.intVar(n + ":ms");
          // The instants a text can name: an ISO 8601 date-time of the years 0000 to 9999 (with
          // an offset of up to 18 hours), or whole epoch seconds of up to 15 digits.
          BoolExpr iso =
              smt.and(
                  smt.ctx.mkGe(ms, smt.num(Values.MIN_ISO_MILLIS)),
                  smt.ctx.mkLe(ms, smt.num(Values.MAX_ISO_MILLIS)));
          BoolExpr epoch =
              smt.and(
                  smt.ctx.mkGe(ms, smt.num(0)),
                  smt.ctx.mkLe(ms, smt.num(Values.MAX_EPOCH_MILLIS)),
                  smt.ctx.mkEq(smt.ctx.mkMod(ms, smt.num(1000)), smt.num(0)));
          constraints.add(smt.or(iso, epoch));
          s.dateValid.add(valid);
          s.millis.add(ms);
        }
        case IP -> {
          IntExpr kind = smt.intVar(n + ":kind");
          constraints.add(smt.or(smt.eq(kind, 0), smt.eq(kind, 4), smt.eq(kind, 6)));
          s.ipKind.add(kind);
          s.ipv4.add(smt.bitsVar(n + ":v4", 32));
          s.ipv6.add(smt.bitsVar(n + ":v6", 128));
        }
      }
    }
    return s;
  }

  /** Whether the slot's values are one value when present (single-valued key or derived key). */
  boolean isSingleValued() {
    return size == null;
  }

  /** Whether the key has at least {@code i + 1} values (given that it is present). */
  BoolExpr hasValue(int i) {
    if (size == null) {
      return smt.bool(i == 0);
    }
    return smt.ctx.mkGt(size, smt.num(i));
  }

  /** Whether the key is absent or present with no value. */
  BoolExpr absentOrEmpty() {
    if (size == null) {
      return smt.not(present);
    }
    return smt.or(smt.not(present), smt.eq(size, 0));
  }

  /** Whether the key is present with exactly one value (what a policy variable substitutes). */
  BoolExpr hasOneValue() {
    if (size == null) {
      return present;
    }
    return smt.and(present, smt.eq(size, 1));
  }

  /** The size expression of a multi-valued slot (for reading a model). */
  @Nullable IntExpr size() {
    return size;
  }
}
