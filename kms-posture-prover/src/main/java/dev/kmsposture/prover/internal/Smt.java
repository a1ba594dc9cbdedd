package dev.kmsposture.prover.internal;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BitVecNum;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.CharSort;
import com.microsoft.z3.Context;
import com.microsoft.z3.Expr;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.IntNum;
import com.microsoft.z3.Model;
import com.microsoft.z3.Native;
import com.microsoft.z3.ReExpr;
import com.microsoft.z3.ReSort;
import com.microsoft.z3.SeqSort;
import com.microsoft.z3.Z3Object;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed shorthands over a Z3 {@link Context}: Booleans, strings (sequences of UTF-16 code units,
 * one Z3 character each), regular expressions built from IAM wildcards, and reading values back
 * from a model. One instance per query; not thread-safe, like the context.
 */
final class Smt {
  /** The highest character a request string may hold: Java strings are UTF-16 code units. */
  static final int MAX_CHAR = 0xFFFF;

  // The evaluator marks literal '*' and '?' from policy-variable values with these private-use
  // characters; request text never holds them (see Request).
  static final int MARK_STAR = 0xE000;
  static final int MARK_QUESTION = 0xE001;

  final Context ctx;
  private final SeqSort<CharSort> stringSort;
  private final ReSort<SeqSort<CharSort>> reSort;
  private int names;

  Smt(Context ctx) {
    this.ctx = ctx;
    this.stringSort = ctx.mkStringSort();
    this.reSort = ctx.mkReSort(stringSort);
  }

  // ---- Booleans --------------------------------------------------------------------------------

  BoolExpr bool(boolean b) {
    return ctx.mkBool(b);
  }

  BoolExpr boolVar(String name) {
    return ctx.mkBoolConst(unique(name));
  }

  BoolExpr and(List<BoolExpr> xs) {
    List<BoolExpr> kept = new ArrayList<>();
    for (BoolExpr x : xs) {
      if (x.isFalse()) {
        return bool(false);
      }
      if (!x.isTrue()) {
        kept.add(x);
      }
    }
    if (kept.isEmpty()) {
      return bool(true);
    }
    return kept.size() == 1 ? kept.get(0) : ctx.mkAnd(kept.toArray(new BoolExpr[0]));
  }

  BoolExpr and(BoolExpr... xs) {
    return and(List.of(xs));
  }

  BoolExpr or(List<BoolExpr> xs) {
    List<BoolExpr> kept = new ArrayList<>();
    for (BoolExpr x : xs) {
      if (x.isTrue()) {
        return bool(true);
      }
      if (!x.isFalse()) {
        kept.add(x);
      }
    }
    if (kept.isEmpty()) {
      return bool(false);
    }
    return kept.size() == 1 ? kept.get(0) : ctx.mkOr(kept.toArray(new BoolExpr[0]));
  }

  BoolExpr or(BoolExpr... xs) {
    return or(List.of(xs));
  }

  BoolExpr not(BoolExpr x) {
    if (x.isTrue()) {
      return bool(false);
    }
    if (x.isFalse()) {
      return bool(true);
    }
    return ctx.mkNot(x);
  }

  BoolExpr implies(BoolExpr a, BoolExpr b) {
    return or(not(a), b);
  }

  BoolExpr ite(BoolExpr c, BoolExpr a, BoolExpr b) {
    if (c.isTrue()) {
      return a;
    }
    if (c.isFalse()) {
      return b;
    }
    return (BoolExpr) ctx.mkITE(c, a, b);
  }

  // ---- integers and bit-vectors
  // ------------------------------------------------------------------

  IntExpr intVar(String name) {
    return ctx.mkIntConst(unique(name));
  }

  IntExpr num(long value) {
    return ctx.mkInt(value);
  }

  BoolExpr eq(IntExpr a, long b) {
    return ctx.mkEq(a, ctx.mkInt(b));
  }

  BitVecExpr bitsVar(String name, int width) {
    return ctx.mkBVConst(unique(name), width);
  }

  // ---- strings ---------------------------------------------------------------------------------

  Expr<SeqSort<CharSort>> strVar(String name) {
    return ctx.mkConst(unique(name), stringSort);
  }

  /** A string constant, character by character (no escape of the text reaches Z3's parser). */
  Expr<SeqSort<CharSort>> str(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        sb.append(c);
      } else {
        sb.append("\\u{").append(Integer.toHexString(c)).append('}');
      }
    }
    return ctx.mkString(sb.toString());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  Expr<SeqSort<CharSort>> concat(List<Expr<SeqSort<CharSort>>> parts) {
    if (parts.isEmpty()) {
      return str("");
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Expr<SeqSort<CharSort>>[] array = parts.toArray(new Expr[0]);
    return ctx.mkConcat(array);
  }

  Expr<SeqSort<CharSort>> ite(BoolExpr c, Expr<SeqSort<CharSort>> a, Expr<SeqSort<CharSort>> b) {
    if (c.isTrue()) {
      return a;
    }
    if (c.isFalse()) {
      return b;
    }
    return ctx.mkITE(c, a, b);
  }

  BoolExpr eq(Expr<SeqSort<CharSort>> a, Expr<SeqSort<CharSort>> b) {
    return ctx.mkEq(a, b);
  }

  BoolExpr eq(Expr<SeqSort<CharSort>> a, String b) {
    return ctx.mkEq(a, str(b));
  }

  IntExpr length(Expr<SeqSort<CharSort>> s) {
    return ctx.mkLength(s);
  }

  BoolExpr in(Expr<SeqSort<CharSort>> s, ReExpr<SeqSort<CharSort>> re) {
    return ctx.mkInRe(s, re);
  }

  // ---- regular expressions ---------------------------------------------------------------------

  ReExpr<SeqSort<CharSort>> lit(String text) {
    return ctx.mkToRe(str(text));
  }

  ReExpr<SeqSort<CharSort>> range(int lo, int hi) {
    return ctx.mkRange(str(String.valueOf((char) lo)), str(String.valueOf((char) hi)));
  }

  /** One character in any of the inclusive ranges {@code [lo0, hi0, lo1, hi1, …]}. */
  ReExpr<SeqSort<CharSort>> charClass(int... bounds) {
    List<ReExpr<SeqSort<CharSort>>> parts = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      parts.add(range(bounds[i], bounds[i + 1]));
    }
    return union(parts);
  }

  /** Any one request character: a UTF-16 code unit other than the evaluator's two markers. */
  ReExpr<SeqSort<CharSort>> anyChar() {
    return charClass(0, MARK_STAR - 1, MARK_QUESTION + 1, MAX_CHAR);
  }

  /** Any one request character other than a colon (inside the first five parts of an ARN). */
  ReExpr<SeqSort<CharSort>> anyCharButColon() {
    return charClass(0, ':' - 1, ':' + 1, MARK_STAR - 1, MARK_QUESTION + 1, MAX_CHAR);
  }

  ReExpr<SeqSort<CharSort>> emptyRe() {
    return ctx.mkEmptyRe(reSort);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  ReExpr<SeqSort<CharSort>> union(List<ReExpr<SeqSort<CharSort>>> parts) {
    if (parts.isEmpty()) {
      return emptyRe();
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    ReExpr<SeqSort<CharSort>>[] array = parts.toArray(new ReExpr[0]);
    return ctx.mkUnion(array);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  ReExpr<SeqSort<CharSort>> seq(List<ReExpr<SeqSort<CharSort>>> parts) {
    if (parts.isEmpty()) {
      return lit("");
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    ReExpr<SeqSort<CharSort>>[] array = parts.toArray(new ReExpr[0]);
    return ctx.mkConcat(array);
  }

  ReExpr<SeqSort<CharSort>> star(ReExpr<SeqSort<CharSort>> re) {
    return ctx.mkStar(re);
  }

  ReExpr<SeqSort<CharSort>> loop(ReExpr<SeqSort<CharSort>> re, int min, int max) {
    return ctx.mkLoop(re, min, max);
  }

  /**
   * The regular expression of an IAM wildcard pattern: {@code *} any run, {@code ?} one character,
   * every other character itself (or, ignoring case, every character that {@code equalsIgnoreCase}
   * accepts for it). {@code any} is the class one wildcard character stands for.
   */
  ReExpr<SeqSort<CharSort>> glob(
      String pattern, boolean ignoreCase, ReExpr<SeqSort<CharSort>> any) {
    List<ReExpr<SeqSort<CharSort>>> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?' || ignoreCase) {
        if (literal.length() > 0) {
          parts.add(lit(literal.toString()));
          literal.setLength(0);
        }
        if (c == '*') {
          parts.add(star(any));
        } else if (c == '?') {
          parts.add(any);
        } else {
          parts.add(ignoreCaseClass(c));
        }
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      parts.add(lit(literal.toString()));
    }
    return seq(parts);
  }

  /** The text {@code equalsIgnoreCase} accepts for {@code text}. */
  ReExpr<SeqSort<CharSort>> ignoreCase(String text) {
    List<ReExpr<SeqSort<CharSort>>> parts = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      parts.add(ignoreCaseClass(text.charAt(i)));
    }
    return seq(parts);
  }

  private static final Map<Character, int[]> CASE_CLASSES = new ConcurrentHashMap<>();

  private ReExpr<SeqSort<CharSort>> ignoreCaseClass(char c) {
    return charClass(CASE_CLASSES.computeIfAbsent(c, Smt::caseRanges));
  }

  // Every UTF-16 unit x with sameChar(c, x, true), as inclusive ranges: found by trying them all
  // once per character, so that the class is exactly what equalsIgnoreCase accepts.
  private static int[] caseRanges(char c) {
    List<Integer> bounds = new ArrayList<>();
    int start = -1;
    for (int x = 0; x <= MAX_CHAR + 1; x++) {
      boolean member = x <= MAX_CHAR && Values.sameChar(c, (char) x, true);
      if (member && start < 0) {
        start = x;
      } else if (!member && start >= 0) {
        bounds.add(start);
        bounds.add(x - 1);
        start = -1;
      }
    }
    int[] out = new int[bounds.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bounds.get(i);
    }
    return out;
  }

  // ---- reading a model
  // ---------------------------------------------------------------------------

  /** The string value of {@code s} in {@code model}, as Java text. */
  String readString(Model model, Expr<SeqSort<CharSort>> s) {
    Expr<SeqSort<CharSort>> v = model.eval(s, true);
    long ast = Z3Object.arrayToNative(new Z3Object[] {v})[0];
    int len = Native.getStringLength(ctx.nCtx(), ast);
    int[] codes = new int[len];
    Native.getStringContents(ctx.nCtx(), ast, len, codes);
    StringBuilder sb = new StringBuilder(len);
    for (int code : codes) {
      sb.appendCodePoint(code);
    }
    return sb.toString();
  }

  boolean readBool(Model model, BoolExpr b) {
    return model.eval(b, true).isTrue();
  }

  long readLong(Model model, IntExpr i) {
    return ((IntNum) model.eval(i, true)).getInt64();
  }

  BigInteger readBits(Model model, BitVecExpr bv) {
    return ((BitVecNum) model.eval(bv, true)).getBigInteger();
  }

  private String unique(String name) {
    return name + "!" + names++;
  }
}
