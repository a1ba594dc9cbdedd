package dev.kmsposture.prover.internal;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.FPExpr;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionOperator.Comparison;
import dev.kmsposture.policy.ConditionValue;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * One condition as a three-valued formula over the request, with the evaluator's semantics (core's
 * {@code CompiledCondition}, after IAM "Condition operators" and "Multivalued context keys"):
 * values of a key are ORed; an absent key makes a positive operator false and a negated one true,
 * {@code IfExists} true; {@code ForAllValues:} is true on an absent or empty set, {@code
 * ForAnyValue:} false; an unqualified multi-valued key is read value by value; an empty value list
 * never matches (except an absent key under {@code IfExists}/{@code ForAllValues:}); an unknown
 * operator, an unknown key value or a policy variable whose value is unknown cannot be told.
 */
final class ConditionFormula {

  /** A three-valued result: MATCH, NO_MATCH, or CANNOT_TELL (never both flags). */
  record Tri(BoolExpr match, BoolExpr cannotTell) {}

  private ConditionFormula() {}

  /** The formula of {@code c}; {@code variables} is whether the policy has Version 2012-10-17. */
  static Tri of(Condition c, boolean variables, Request r) {
    Smt smt = r.smt;
    ConditionOperator op = c.operator();
    Comparison kind = op.comparison();
    if (kind == Comparison.UNKNOWN) {
      return new Tri(smt.bool(false), smt.bool(true));
    }
    boolean negated = op.isNegated();
    boolean ifExists = op.ifExists();
    ConditionOperator.Qualifier qualifier = op.qualifier();
    Slot slot = r.slot(c.key().normalized());
    List<String> values = new ArrayList<>();
    for (ConditionValue v : c.values()) {
      values.add(v.text());
    }

    BoolExpr decided;
    if (kind == Comparison.NULL) {
      BoolExpr absent = slot.absentOrEmpty();
      List<BoolExpr> any = new ArrayList<>();
      for (String v : values) {
        if (v.equalsIgnoreCase("true")) {
          any.add(absent);
        } else if (v.equalsIgnoreCase("false")) {
          any.add(smt.not(absent));
        }
      }
      decided = smt.or(any);
    } else if (values.isEmpty()) {
      decided =
          smt.and(
              smt.not(slot.present),
              smt.bool(ifExists || qualifier == ConditionOperator.Qualifier.FOR_ALL_VALUES));
      return unknownOr(slot, new Tri(decided, smt.bool(false)), smt);
    } else {
      BoolExpr whenAbsentOrEmpty =
          switch (qualifier) {
            case FOR_ALL_VALUES -> smt.bool(true);
            case FOR_ANY_VALUE -> smt.and(smt.not(slot.present), smt.bool(ifExists));
            default -> smt.bool(ifExists || negated);
          };
      List<Tri> each = new ArrayList<>();
      for (int i = 0; i < slot.capacity; i++) {
        each.add(anyValue(kind, values, slot, i, variables, r));
      }
      Tri scanned = scan(qualifier, negated, each, slot, smt);
      Tri result =
          new Tri(
              smt.ite(slot.absentOrEmpty(), whenAbsentOrEmpty, scanned.match()),
              smt.and(smt.not(slot.absentOrEmpty()), scanned.cannotTell()));
      return unknownOr(slot, result, smt);
    }
    return unknownOr(slot, new Tri(decided, smt.bool(false)), smt);
  }

  private static Tri unknownOr(Slot slot, Tri t, Smt smt) {
    if (slot.unknown.isFalse()) {
      return t;
    }
    return new Tri(smt.and(smt.not(slot.unknown), t.match()), smt.or(slot.unknown, t.cannotTell()));
  }

  /**
   * The evaluator's loop over the request values, in order: the first value that cannot be told or
   * that decides ends it. Built from the last value back.
   */
  private static Tri scan(
      ConditionOperator.Qualifier qualifier, boolean negated, List<Tri> each, Slot slot, Smt smt) {
    boolean forAll = qualifier == ConditionOperator.Qualifier.FOR_ALL_VALUES;
    boolean anyForm = qualifier == ConditionOperator.Qualifier.FOR_ANY_VALUE || !negated;
    // What the loop returns when it runs past the last value.
    BoolExpr match = smt.bool(forAll || !anyForm);
    BoolExpr ct = smt.bool(false);
    for (int i = each.size() - 1; i >= 0; i--) {
      Tri m = each.get(i);
      BoolExpr exists = slot.hasValue(i);
      BoolExpr stepMatch;
      BoolExpr stepCt;
      if (forAll) {
        // CANNOT_TELL ends; a value that fails (match == negated) gives NO_MATCH; else go on.
        BoolExpr fails = negated ? m.match() : smt.and(smt.not(m.match()), smt.not(m.cannotTell()));
        stepMatch = smt.and(smt.not(m.cannotTell()), smt.not(fails), match);
        stepCt = smt.or(m.cannotTell(), smt.and(smt.not(fails), ct));
      } else if (anyForm) {
        // CANNOT_TELL ends; a value that decides (match != negated) gives MATCH; else go on.
        BoolExpr decides =
            negated ? smt.and(smt.not(m.match()), smt.not(m.cannotTell())) : m.match();
        stepMatch = smt.and(smt.not(m.cannotTell()), smt.or(decides, match));
        stepCt = smt.or(m.cannotTell(), smt.and(smt.not(decides), ct));
      } else {
        // Negated without qualifier: a value that matches a policy value gives NO_MATCH, one that
        // cannot be told gives CANNOT_TELL; else go on.
        stepMatch = smt.and(smt.not(m.match()), smt.not(m.cannotTell()), match);
        stepCt = smt.and(smt.not(m.match()), smt.or(m.cannotTell(), ct));
      }
      // Past the values the set holds the loop has ended; as the set holds values 0..size-1,
      // "value i is missing" implies every later one is, whose result is the initial one.
      match = smt.ite(exists, stepMatch, match);
      ct = smt.ite(exists, stepCt, ct);
    }
    return new Tri(match, ct);
  }

  /**
   * Whether request value {@code i} matches any policy value under the positive form of the
   * operator: MATCH if one matches, else CANNOT_TELL if a policy variable's value is unknown.
   */
  private static Tri anyValue(
      Comparison kind, List<String> values, Slot slot, int i, boolean variables, Request r) {
    Smt smt = r.smt;
    List<BoolExpr> matches = new ArrayList<>();
    List<BoolExpr> unknowns = new ArrayList<>();
    for (String v : values) {
      if (variables && substitutes(kind) && Template.hasVariables(v)) {
        if (kind != Comparison.STRING_EQUALS
            && kind != Comparison.STRING_LIKE
            && kind != Comparison.ARN_LIKE) {
          throw new UnsupportedConstruct(
              String.format(
                  "condition value [%s] holds a policy variable under an operator that compares"
                      + " it as %s; variables are encoded under string equality, StringLike and"
                      + " ARN operators",
                  v, kind));
        }
        Dynamic d = Dynamic.of(Template.parse(v), kind == Comparison.STRING_EQUALS, r, v);
        Text text = slot.strings.get(i);
        BoolExpr eq = text.sameAs(d.value(), smt);
        if (kind == Comparison.ARN_LIKE) {
          eq = smt.and(eq, d.value().matches(Pattern.arnShape(), smt));
        }
        matches.add(smt.and(smt.not(d.isNull()), smt.not(d.isUnknown()), eq));
        unknowns.add(d.isUnknown());
      } else {
        matches.add(staticMatch(kind, v, slot, i, smt));
      }
    }
    BoolExpr match = smt.or(matches);
    return new Tri(match, smt.and(smt.not(match), smt.or(unknowns)));
  }

  private static BoolExpr staticMatch(Comparison kind, String v, Slot slot, int i, Smt smt) {
    return switch (kind) {
      case STRING_EQUALS -> slot.strings.get(i).is(v, smt);
      case STRING_EQUALS_IGNORE_CASE -> slot.strings.get(i).matches(Pattern.ignoringCase(v), smt);
      // Bool compares booleans: a policy value that is not true or false matches nothing.
      case BOOL ->
          Values.isBoolean(v)
              ? slot.strings.get(i).matches(Pattern.ignoringCase(v), smt)
              : smt.bool(false);
      case STRING_LIKE -> slot.strings.get(i).matches(Pattern.glob(v, false), smt);
      case ARN_LIKE -> {
        Pattern arn = Pattern.arn(v);
        yield arn == null ? smt.bool(false) : slot.strings.get(i).matches(arn, smt);
      }
      case BINARY_EQUALS -> {
        byte[] bytes = Values.decodeBase64(v);
        if (bytes == null) {
          yield smt.bool(false);
        }
        List<BoolExpr> any = new ArrayList<>();
        for (String encoding : Values.base64Encodings(bytes)) {
          any.add(slot.strings.get(i).is(encoding, smt));
        }
        yield smt.or(any);
      }
      case NUMERIC_EQUALS,
          NUMERIC_LESS_THAN,
          NUMERIC_LESS_THAN_EQUALS,
          NUMERIC_GREATER_THAN,
          NUMERIC_GREATER_THAN_EQUALS -> {
        double policy = Values.parseNumber(v);
        if (Double.isNaN(policy)) {
          yield smt.bool(false);
        }
        FPExpr request = slot.numbers.get(i);
        FPExpr p = smt.ctx.mkFP(policy, smt.ctx.mkFPSort64());
        // Policy value on the right: "request < policy" for NumericLessThan. IEEE comparisons
        // are Java's double comparisons (NaN compares false, -0.0 equals 0.0).
        yield switch (kind) {
          case NUMERIC_EQUALS -> smt.ctx.mkFPEq(request, p);
          case NUMERIC_LESS_THAN -> smt.ctx.mkFPLt(request, p);
          case NUMERIC_LESS_THAN_EQUALS -> smt.ctx.mkFPLEq(request, p);
          case NUMERIC_GREATER_THAN -> smt.ctx.mkFPGt(request, p);
          default -> smt.ctx.mkFPGEq(request, p);
        };
      }
      case DATE_EQUALS,
          DATE_LESS_THAN,
          DATE_LESS_THAN_EQUALS,
          DATE_GREATER_THAN,
          DATE_GREATER_THAN_EQUALS -> {
        long policy = Values.parseDate(v);
        if (policy == Long.MIN_VALUE) {
          yield smt.bool(false);
        }
        var ms = slot.millis.get(i);
        var p = smt.num(policy);
        BoolExpr cmp =
            switch (kind) {
              case DATE_EQUALS -> smt.ctx.mkEq(ms, p);
              case DATE_LESS_THAN -> smt.ctx.mkLt(ms, p);
              case DATE_LESS_THAN_EQUALS -> smt.ctx.mkLe(ms, p);
              case DATE_GREATER_THAN -> smt.ctx.mkGt(ms, p);
              default -> smt.ctx.mkGe(ms, p);
            };
        yield smt.and(slot.dateValid.get(i), cmp);
      }
      case IP_ADDRESS -> {
        Values.Cidr cidr = Values.parseCidr(v);
        if (cidr == null) {
          yield smt.bool(false);
        }
        boolean v4 = cidr.isIpv4();
        int width = v4 ? 32 : 128;
        BitVecExpr address = v4 ? slot.ipv4.get(i) : slot.ipv6.get(i);
        BoolExpr kindMatches = smt.eq(slot.ipKind.get(i), v4 ? 4 : 6);
        if (cidr.prefix() == 0) {
          yield kindMatches;
        }
        BigInteger network = new BigInteger(1, cidr.network());
        BitVecExpr prefix = smt.ctx.mkExtract(width - 1, width - cidr.prefix(), address);
        BitVecExpr expected =
            smt.ctx.mkExtract(
                width - 1, width - cidr.prefix(), smt.ctx.mkBV(network.toString(), width));
        yield smt.and(kindMatches, smt.ctx.mkEq(prefix, expected));
      }
      default -> smt.bool(false);
    };
  }

  /**
   * Whether IAM substitutes policy variables under this operator: string, boolean and ARN operators
   * only; elsewhere {@code ${…}} is literal text (IAM "Condition operators": "you can not use a
   * policy variable" with the numeric, date, binary and IP address operators).
   */
  static boolean substitutes(Comparison kind) {
    return switch (kind) {
      case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE, BOOL, ARN_LIKE -> true;
      default -> false;
    };
  }

  /** Whether IAM substitutes policy variables under {@code operator} (see {@link #substitutes}). */
  static boolean substitutes(ConditionOperator operator) {
    return substitutes(operator.comparison());
  }

  /** The conditions of a statement, ANDed: NO_MATCH if any, else CANNOT_TELL if any, else MATCH. */
  static Tri all(List<Tri> conditions, Smt smt) {
    List<BoolExpr> no = new ArrayList<>();
    List<BoolExpr> ct = new ArrayList<>();
    for (Tri t : conditions) {
      no.add(smt.and(smt.not(t.match()), smt.not(t.cannotTell())));
      ct.add(t.cannotTell());
    }
    BoolExpr anyNo = smt.or(no);
    BoolExpr cannotTell = smt.and(smt.not(anyNo), smt.or(ct));
    return new Tri(smt.and(smt.not(anyNo), smt.not(cannotTell)), cannotTell);
  }
}
