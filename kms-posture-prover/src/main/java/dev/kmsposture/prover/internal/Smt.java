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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

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

  /** Whether {@code a} is the text {@code b}: a membership (see {@link #in}). */
  BoolExpr eq(Expr<SeqSort<CharSort>> a, String b) {
    return in(a, List.of(Pattern.literal(b).tokens()));
  }

  IntExpr length(Expr<SeqSort<CharSort>> s) {
    return ctx.mkLength(s);
  }

  // ---- text variables and their memberships ---------------------------------------------------

  /**
   * A string variable of the request, with the alphabet and shape its texts have (and whether the
   * evaluator's two private-use marks are excluded).
   */
  Expr<SeqSort<CharSort>> strVar(String name, Text.Alphabet alphabet, boolean withoutMarks) {
    Expr<SeqSort<CharSort>> v = strVar(name);
    vars.put(v, new Var(alphabet, withoutMarks));
    return v;
  }

  /**
   * Whether the text of variable {@code var} is in the union of the token sequences {@code
   * language}, as a Boolean flag. The memberships of each variable are decided together by {@link
   * #drainMemberships()}: in Java ({@link Cells}), or, for a variable an equation also constrains,
   * by Z3 as one membership in the intersection of each language or its complement.
   */
  BoolExpr in(Expr<SeqSort<CharSort>> var, List<List<Pattern.Token>> language) {
    Var info = vars.get(var);
    if (info == null) {
      throw new IllegalStateException("bug in kms-posture: membership of an undeclared variable");
    }
    String key = language.toString();
    BoolExpr flag = info.flags.get(key);
    if (flag == null) {
      flag = boolVar("in");
      info.flags.put(key, flag);
      info.languages.add(language);
      info.order.add(flag);
    }
    return flag;
  }

  /** Marks variables that an equation with another text constrains: Z3 decides those. */
  void markEquational(Expr<SeqSort<CharSort>> var) {
    Var info = vars.get(var);
    if (info != null) {
      info.equational = true;
    }
  }

  /**
   * Returns the constraints that tie each variable's membership flags to its texts, and remembers
   * each variable's cells for reading a model.
   *
   * @throws Cells.TooComplex if a variable's memberships are too intricate to explore
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  List<BoolExpr> drainMemberships() {
    List<BoolExpr> out = new ArrayList<>();
    for (Map.Entry<Expr<SeqSort<CharSort>>, Var> e : vars.entrySet()) {
      Expr<SeqSort<CharSort>> var = e.getKey();
      Var info = e.getValue();
      if (info.drained) {
        continue;
      }
      info.drained = true;
      if (info.equational) {
        List<ReExpr<SeqSort<CharSort>>> parts = new ArrayList<>();
        parts.add(alphabetRegex(info.alphabet));
        if (info.withoutMarks) {
          parts.add(withoutMarks());
        }
        for (int i = 0; i < info.languages.size(); i++) {
          ReExpr<SeqSort<CharSort>> re = union(regexes(info.languages.get(i)));
          parts.add(
              (ReExpr<SeqSort<CharSort>>) ctx.mkITE(info.order.get(i), re, ctx.mkComplement(re)));
        }
        ReExpr<SeqSort<CharSort>>[] array = parts.toArray(new ReExpr[0]);
        out.add(ctx.mkInRe(var, array.length == 1 ? array[0] : ctx.mkIntersect(array)));
        continue;
      }
      Cells cells = Cells.of(info.alphabet, info.withoutMarks, info.languages, var.toString());
      info.cells = cells;
      if (info.languages.isEmpty()) {
        continue;
      }
      List<BoolExpr> any = new ArrayList<>();
      for (boolean[] vector : cells.vectors) {
        List<BoolExpr> lits = new ArrayList<>();
        for (int i = 0; i < vector.length; i++) {
          lits.add(vector[i] ? info.order.get(i) : not(info.order.get(i)));
        }
        any.add(and(lits));
      }
      out.add(or(any));
    }
    return out;
  }

  private List<ReExpr<SeqSort<CharSort>>> regexes(List<List<Pattern.Token>> language) {
    List<ReExpr<SeqSort<CharSort>>> out = new ArrayList<>();
    for (List<Pattern.Token> seq : language) {
      out.add(Pattern.regex(seq, this));
    }
    return out;
  }

  private ReExpr<SeqSort<CharSort>> alphabetRegex(Text.Alphabet alphabet) {
    ReExpr<SeqSort<CharSort>> nameChar =
        charClass(
            'a', 'z', 'A', 'Z', '0', '9', '+', '+', '=', '=', ',', '.', '@', '@', '_', '_', '-',
            '-');
    ReExpr<SeqSort<CharSort>> label = seq(List.of(charClass('a', 'z', '0', '9', '-', '-')));
    return switch (alphabet) {
      case DIGITS -> loop(range('0', '9'), 12, 12);
      case NAME -> seq(List.of(nameChar, star(nameChar)));
      case SESSION -> seq(List.of(nameChar, nameChar, star(nameChar)));
      case PATH -> {
        ReExpr<SeqSort<CharSort>> pathChar = range(0x21, 0x7F);
        yield union(List.of(lit("/"), seq(List.of(lit("/"), pathChar, star(pathChar), lit("/")))));
      }
      case SERVICE -> {
        ReExpr<SeqSort<CharSort>> l = seq(List.of(label, star(label)));
        yield seq(List.of(l, lit("."), l, star(seq(List.of(lit("."), l)))));
      }
      case ANY -> star(anyChar());
    };
  }

  /** A string variable's memberships and, once drained, its cells. */
  private static final class Var {
    final Text.Alphabet alphabet;
    final boolean withoutMarks;
    final Map<String, BoolExpr> flags = new HashMap<>();
    final List<List<List<Pattern.Token>>> languages = new ArrayList<>();
    final List<BoolExpr> order = new ArrayList<>();
    boolean equational;
    boolean drained;
    @Nullable Cells cells;

    Var(Text.Alphabet alphabet, boolean withoutMarks) {
      this.alphabet = alphabet;
      this.withoutMarks = withoutMarks;
    }
  }

  private final Map<Expr<SeqSort<CharSort>>, Var> vars = new LinkedHashMap<>();

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

  /**
   * Any one character: a UTF-16 code unit, as Z3 runs with the "bmp" encoding (see {@link
   * ProverEngine}). Z3 reasons far better about its built-in all-character class than about ranges,
   * so every wildcard uses it.
   */
  ReExpr<SeqSort<CharSort>> anyChar() {
    return ctx.mkAllcharRe(reSort);
  }

  /** Any one character but a colon (inside the first five parts of an ARN). */
  ReExpr<SeqSort<CharSort>> anyCharButColon() {
    return ctx.mkDiff(anyChar(), lit(":"));
  }

  /** Text without the evaluator's two private-use marks for literal wildcards. */
  ReExpr<SeqSort<CharSort>> withoutMarks() {
    return ctx.mkComplement(
        seq(List.of(star(anyChar()), range(MARK_STAR, MARK_QUESTION), star(anyChar()))));
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

  private static final Map<Character, int[]> CASE_CLASSES = new ConcurrentHashMap<>();

  /** One character that {@code equalsIgnoreCase} accepts for {@code c}. */
  ReExpr<SeqSort<CharSort>> ignoreCaseChar(char c) {
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
    Var info = vars.get(s);
    if (info != null && info.cells != null) {
      Cells cells = info.cells;
      for (int c = 0; c < cells.vectors.size(); c++) {
        boolean[] vector = cells.vectors.get(c);
        boolean same = true;
        for (int i = 0; i < vector.length && same; i++) {
          same = readBool(model, info.order.get(i)) == vector[i];
        }
        if (same) {
          return cells.witnesses.get(c);
        }
      }
      throw new IllegalStateException("bug in kms-posture: a model outside the cells of " + s);
    }
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
