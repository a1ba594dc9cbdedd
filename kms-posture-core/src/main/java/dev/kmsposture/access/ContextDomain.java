package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.internal.policy.ConditionValues;
import dev.kmsposture.internal.policy.IpAddresses;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionValue;
import dev.kmsposture.policy.NarrowingKey;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The representative values of one request context key: a finite set of values such that every
 * value the key could take makes each condition of the policy on the key come out the same as one
 * of them. Searching over the representatives then decides the policy for every value of the key.
 *
 * <p>How the representatives are chosen, per operator family (IAM "Condition operators"): every
 * literal value the policy names (with its upper- and lower-case spellings when an {@code
 * …IgnoreCase} operator reads it); each wildcard pattern filled in; for numbers and dates, each
 * value, the midpoints between neighbours, and one below and above the ends; for IP ranges the
 * first, middle and last address of each range and an address outside them all; and a value that
 * matches nothing. A multivalued key (used under {@code ForAnyValue:}/{@code ForAllValues:}) takes
 * every set of representatives, the empty set included.
 *
 * <p>The representatives are <em>complete</em> (they cover every value) except when: two or more
 * wildcard patterns on the key could overlap (their combinations are not all enumerated), a value
 * holds a policy variable (it couples keys), an operator is unknown, operators of different
 * families read the key, or a multivalued key has too many representatives to take every set.
 * {@link #whyIncomplete()} says which; a verdict that needed completeness is then only "possibly".
 */
final class ContextDomain {
  /** The value that matches no condition (unless a pattern matches everything). */
  static final String UNMATCHED = "kms-posture-unmatched";

  private static final String FILLER = "kmsposture";
  private static final int MAX_SET_ELEMENTS = 5;
  private static final List<String> OUTSIDE_V4 =
      List.of("198.51.100.7", "203.0.113.9", "192.0.2.1", "100.64.0.1", "8.8.8.8", "1.1.1.1");
  private static final List<String> OUTSIDE_V6 = List.of("2001:db8::7", "2600::1", "fd00::1");

  private enum Family {
    STRING,
    NUMERIC,
    DATE,
    BOOL,
    IP,
    BINARY,
    NULL
  }

  final String lowerKey;
  final String name;
  final boolean multiValued;
  private final List<List<String>> variants;
  private final boolean[] outsider;
  private final List<Set<String>> accounts;
  private final List<Set<String>> organizations;
  private final @Nullable String whyIncomplete;

  private ContextDomain(
      String lowerKey,
      String name,
      boolean multiValued,
      List<List<String>> variants,
      boolean[] outsider,
      List<Set<String>> accounts,
      List<Set<String>> organizations,
      @Nullable String whyIncomplete) {
    this.lowerKey = lowerKey;
    this.name = name;
    this.multiValued = multiValued;
    this.variants = variants;
    this.outsider = outsider;
    this.accounts = accounts;
    this.organizations = organizations;
    this.whyIncomplete = whyIncomplete;
  }

  /** Returns the present values to try (absent is tried besides them), each a list of values. */
  List<List<String>> variants() {
    return variants;
  }

  /**
   * Returns whether variant {@code i} is a value a principal of an account the policy does not name
   * could carry: for a key that describes the caller, no account, organization or identifier the
   * policy names; every variant of other keys.
   */
  boolean isOutsiderValue(int i) {
    return outsider[i];
  }

  /**
   * Returns the accounts variant {@code i} names, for a key whose values are account ids or ARNs (a
   * value that is neither names none); empty for other keys.
   */
  Set<String> accountsOf(int i) {
    return accounts.get(i);
  }

  /**
   * Returns the organization ids variant {@code i} names, for an organization or organization-path
   * key (lower case); empty for other keys.
   */
  Set<String> organizationsOf(int i) {
    return organizations.get(i);
  }

  /** Returns why the representatives do not cover every value, or null when they do. */
  @Nullable String whyIncomplete() {
    return whyIncomplete;
  }

  /**
   * Builds the representatives of one key from the policy's conditions on it.
   *
   * @param lowerKey the key in lower case
   * @param conditions every condition on the key, in the statements that take part
   * @param variables whether policy variables are substituted (Version 2012-10-17)
   * @param namedAccounts the accounts the policy names (they are not an outsider's)
   * @param namedOrganizations the organization ids the policy names as fixed values
   * @param freshAccount the account that stands for every account the policy does not name
   */
  static ContextDomain of(
      String lowerKey,
      List<Condition> conditions,
      boolean variables,
      Set<String> namedAccounts,
      Set<String> namedOrganizations,
      String freshAccount) {
    String name = conditions.isEmpty() ? lowerKey : conditions.get(0).key().name();
    Set<Family> families = new TreeSet<>();
    Set<String> literals = new LinkedHashSet<>();
    Set<String> patterns = new LinkedHashSet<>();
    Set<String> caseVariants = new LinkedHashSet<>();
    List<BigDecimal> numbers = new ArrayList<>();
    List<Long> dates = new ArrayList<>();
    List<IpAddresses.Cidr> ranges = new ArrayList<>();
    boolean multi = isMultiValuedKey(lowerKey);
    String incomplete = null;
    boolean arnWildcards = false;
    for (Condition c : conditions) {
      ConditionOperator op = c.operator();
      if (!op.isKnown()) {
        incomplete = "operator " + op + " is unknown";
        continue;
      }
      multi |= op.qualifier() != ConditionOperator.Qualifier.NONE;
      Family f = familyOf(op.base());
      families.add(f);
      for (ConditionValue cv : c.values()) {
        String v = cv.text();
        if (variables && v.contains("${")) {
          incomplete = "the value [" + v + "] holds a policy variable, which couples keys";
          continue;
        }
        switch (f) {
          case STRING -> {
            boolean like = op.base().contains("Like") || op.base().startsWith("Arn");
            if (like && Glob.hasWildcard(v)) {
              patterns.add(v);
              arnWildcards |= op.base().startsWith("Arn");
            } else {
              literals.add(v);
            }
            if (op.base().contains("IgnoreCase")) {
              caseVariants.add(v.toUpperCase(Locale.ROOT));
              caseVariants.add(v.toLowerCase(Locale.ROOT));
            }
          }
          case NUMERIC -> {
            double d = ConditionValues.parseNumber(v);
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
              numbers.add(new BigDecimal(Double.toString(d)));
            }
          }
          case DATE -> {
            long t = ConditionValues.parseDate(v);
            if (t != ConditionValues.NOT_A_DATE) {
              dates.add(t);
            }
          }
          case IP -> {
            IpAddresses.Cidr cidr = IpAddresses.parseCidr(v);
            if (cidr != null) {
              ranges.add(cidr);
            }
          }
          case BOOL, BINARY -> literals.add(v);
          case NULL -> {}
        }
      }
    }
    Set<Family> valued = new TreeSet<>(families);
    valued.remove(Family.NULL);
    if (valued.size() > 1) {
      incomplete = "operators of different families (" + valued + ") read the key";
    }
    NarrowingKey narrowing = NarrowingKey.of(lowerKey).orElse(null);
    List<String> singles = new ArrayList<>();
    Set<String> generated = new LinkedHashSet<>();
    for (String v : literals) {
      singles.add(v);
    }
    for (String v : caseVariants) {
      if (!literals.contains(v)) {
        singles.add(v);
      }
    }
    for (String p : patterns) {
      for (String filled : fill(p, freshAccount)) {
        singles.add(filled);
        generated.add(filled);
      }
    }
    if (valued.contains(Family.BOOL)) {
      singles.add("true");
      singles.add("false");
    }
    if (valued.contains(Family.NUMERIC)) {
      for (BigDecimal n : numberRepresentatives(numbers)) {
        singles.add(n.toPlainString());
      }
    }
    if (valued.contains(Family.DATE)) {
      for (long t : dateRepresentatives(dates)) {
        singles.add(Instant.ofEpochMilli(t).toString());
      }
    }
    if (valued.contains(Family.IP)) {
      IpRepresentatives ip = ipRepresentatives(ranges);
      singles.addAll(ip.addresses);
      if (ip.whyIncomplete != null && incomplete == null) {
        incomplete = ip.whyIncomplete;
      }
    }
    if (narrowing != null && narrowing.valueKind() == NarrowingKey.ValueKind.ACCOUNT_ID) {
      singles.add(freshAccount);
    }
    singles.add(UNMATCHED);
    if (!patterns.isEmpty() && incomplete == null) {
      incomplete = whyPatternsIncomplete(patterns, arnWildcards);
    }
    List<String> distinct = List.copyOf(new LinkedHashSet<>(singles));
    if (incomplete == null && !patterns.isEmpty() && !somethingUnmatched(distinct, patterns)) {
      incomplete = "every representative matches one of the patterns " + patterns;
    }
    List<List<String>> variants = new ArrayList<>();
    if (multi) {
      if (distinct.size() <= MAX_SET_ELEMENTS) {
        for (int mask = 0; mask < (1 << distinct.size()); mask++) {
          List<String> set = new ArrayList<>();
          for (int i = 0; i < distinct.size(); i++) {
            if ((mask & (1 << i)) != 0) {
              set.add(distinct.get(i));
            }
          }
          variants.add(List.copyOf(set));
        }
      } else {
        variants.add(List.of());
        for (String v : distinct) {
          variants.add(List.of(v));
        }
        variants.add(distinct);
        if (incomplete == null) {
          incomplete =
              "the multivalued key has "
                  + distinct.size()
                  + " representatives, too many to try every set of them";
        }
      }
    } else {
      for (String v : distinct) {
        variants.add(List.of(v));
      }
    }
    boolean[] outsider = new boolean[variants.size()];
    List<Set<String>> accountSets = new ArrayList<>();
    List<Set<String>> orgSets = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      Set<String> acc = new TreeSet<>();
      Set<String> org = new TreeSet<>();
      for (String v : variants.get(i)) {
        describe(narrowing, v, acc, org);
      }
      accountSets.add(java.util.Collections.unmodifiableSet(acc));
      orgSets.add(java.util.Collections.unmodifiableSet(org));
      boolean all = true;
      for (String v : variants.get(i)) {
        all &=
            isOutsider(
                lowerKey,
                narrowing,
                v,
                literals,
                generated,
                ranges,
                namedAccounts,
                namedOrganizations);
      }
      outsider[i] = all;
    }
    return new ContextDomain(
        lowerKey,
        name,
        multi,
        List.copyOf(variants),
        outsider,
        List.copyOf(accountSets),
        List.copyOf(orgSets),
        incomplete);
  }

  // The account or organization a value names, for keys whose values carry one.
  private static void describe(
      @Nullable NarrowingKey key, String v, Set<String> accounts, Set<String> orgs) {
    if (key == null) {
      return;
    }
    switch (key.valueKind()) {
      case ACCOUNT_ID -> {
        if (AccountId.isAccountId(v)) {
          accounts.add(v);
        }
      }
      case ARN -> {
        String[] parts = v.split(":", 6);
        if (parts.length == 6 && AccountId.isAccountId(parts[4])) {
          accounts.add(parts[4]);
        }
      }
      case ORGANIZATION -> orgs.add(v.toLowerCase(Locale.ROOT));
      case ORGANIZATION_PATH -> {
        int slash = v.indexOf('/');
        orgs.add((slash < 0 ? v : v.substring(0, slash)).toLowerCase(Locale.ROOT));
      }
      default -> {}
    }
  }

  private static boolean isMultiValuedKey(String lowerKey) {
    return lowerKey.equals("aws:principalorgpaths")
        || lowerKey.equals("aws:sourceorgpaths")
        || lowerKey.equals("kms:encryptioncontextkeys")
        || lowerKey.equals("kms:grantoperations")
        || lowerKey.equals("aws:tagkeys")
        || lowerKey.equals("aws:calledvia");
  }

  private static Family familyOf(String base) {
    if (base.startsWith("Numeric")) {
      return Family.NUMERIC;
    }
    if (base.startsWith("Date")) {
      return Family.DATE;
    }
    if (base.equals("Bool")) {
      return Family.BOOL;
    }
    if (base.endsWith("IpAddress")) {
      return Family.IP;
    }
    if (base.equals("BinaryEquals")) {
      return Family.BINARY;
    }
    if (base.equals("Null")) {
      return Family.NULL;
    }
    return Family.STRING;
  }

  // Fills a pattern's wildcards: an ARN's account part with the fresh account (and the account of
  // a narrowing key's fixed part is kept), '*' elsewhere with a filler, '?' with one letter.
  private static List<String> fill(String pattern, String fresh) {
    List<String> out = new ArrayList<>();
    String[] parts = pattern.split(":", 6);
    if (parts.length == 6 && parts[0].equals("arn") && Glob.hasWildcard(parts[4])) {
      String[] copy = parts.clone();
      copy[4] = fresh;
      for (int i = 0; i < 6; i++) {
        copy[i] = plain(copy[i]);
      }
      out.add(String.join(":", copy));
    } else {
      out.add(plain(pattern));
    }
    return out;
  }

  private static String plain(String pattern) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '*') {
        sb.append(FILLER);
      } else if (ch == '?') {
        sb.append('x');
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /**
   * Two or more wildcard patterns leave the representatives incomplete unless every pair is
   * disjoint (their fixed prefixes or suffixes conflict) or every pattern is a prefix pattern
   * ({@code text*}, whose matches are nested by their prefixes).
   */
  private static @Nullable String whyPatternsIncomplete(Set<String> patterns, boolean arn) {
    if (patterns.size() <= 1) {
      return null;
    }
    boolean allPrefix = true;
    for (String p : patterns) {
      allPrefix &= p.indexOf('?') < 0 && p.indexOf('*') == p.length() - 1;
    }
    if (allPrefix) {
      return null;
    }
    List<String> list = List.copyOf(patterns);
    for (int i = 0; i < list.size(); i++) {
      for (int j = i + 1; j < list.size(); j++) {
        if (!disjoint(list.get(i), list.get(j))) {
          return "the wildcard patterns "
              + list.get(i)
              + " and "
              + list.get(j)
              + (arn ? " (ARN parts)" : "")
              + " may overlap, and not every combination of them is tried";
        }
      }
    }
    return null;
  }

  /** Returns whether no text can match both patterns: their fixed prefixes or suffixes conflict. */
  static boolean disjoint(String a, String b) {
    String pa = a.substring(0, ConditionScope.firstWildcard(a));
    String pb = b.substring(0, ConditionScope.firstWildcard(b));
    if (!pa.startsWith(pb) && !pb.startsWith(pa)) {
      return true;
    }
    String sa = a.substring(lastWildcard(a) + 1);
    String sb = b.substring(lastWildcard(b) + 1);
    return !sa.endsWith(sb) && !sb.endsWith(sa);
  }

  private static int lastWildcard(String value) {
    return Math.max(value.lastIndexOf('*'), value.lastIndexOf('?'));
  }

  private static boolean somethingUnmatched(List<String> values, Set<String> patterns) {
    for (String v : values) {
      boolean any = false;
      for (String p : patterns) {
        any |= Glob.matches(p, v, false);
      }
      if (!any) {
        return true;
      }
    }
    // Every value matches some pattern: complete only if one pattern matches everything.
    for (String p : patterns) {
      boolean stars = true;
      for (int i = 0; i < p.length(); i++) {
        stars &= p.charAt(i) == '*';
      }
      if (stars) {
        return true;
      }
    }
    return false;
  }

  private static List<BigDecimal> numberRepresentatives(List<BigDecimal> numbers) {
    TreeSet<BigDecimal> sorted = new TreeSet<>(numbers);
    List<BigDecimal> out = new ArrayList<>();
    if (sorted.isEmpty()) {
      out.add(BigDecimal.ZERO);
      return out;
    }
    out.add(sorted.first().subtract(BigDecimal.ONE));
    BigDecimal previous = null;
    for (BigDecimal n : sorted) {
      if (previous != null) {
        out.add(previous.add(n).divide(BigDecimal.valueOf(2), 6, RoundingMode.HALF_EVEN));
      }
      out.add(n);
      previous = n;
    }
    out.add(sorted.last().add(BigDecimal.ONE));
    List<BigDecimal> clean = new ArrayList<>();
    for (BigDecimal n : out) {
      clean.add(n.stripTrailingZeros());
    }
    return clean;
  }

  private static List<Long> dateRepresentatives(List<Long> dates) {
    TreeSet<Long> sorted = new TreeSet<>(dates);
    List<Long> out = new ArrayList<>();
    if (sorted.isEmpty()) {
      out.add(0L);
      return out;
    }
    out.add(sorted.first() - 1000L);
    Long previous = null;
    for (long t : sorted) {
      if (previous != null && t - previous > 2000L) {
        out.add(previous + (t - previous) / 2 / 1000L * 1000L);
      }
      out.add(t);
      previous = t;
    }
    out.add(sorted.last() + 1000L);
    return out;
  }

  private record IpRepresentatives(List<String> addresses, @Nullable String whyIncomplete) {}

  // CIDR ranges are nested or disjoint: an address's answer depends on the innermost range that
  // holds it. Each range gets an address inside it but in none of its inner ranges (its first,
  // middle or last), and one address lies outside every range.
  private static IpRepresentatives ipRepresentatives(List<IpAddresses.Cidr> ranges) {
    List<String> out = new ArrayList<>();
    String incomplete = null;
    for (IpAddresses.Cidr r : ranges) {
      String found = null;
      for (byte[] a : List.of(first(r), middle(r), last(r))) {
        boolean inner = false;
        for (IpAddresses.Cidr other : ranges) {
          if (other != r && other.prefix() > r.prefix() && other.contains(a)) {
            inner = true;
          }
        }
        out.add(format(a));
        if (!inner && found == null) {
          found = format(a);
        }
      }
      if (found == null && incomplete == null) {
        incomplete =
            "no representative address lies in "
                + format(r.network())
                + "/"
                + r.prefix()
                + " alone";
      }
    }
    boolean v6 = false;
    for (IpAddresses.Cidr r : ranges) {
      v6 |= r.network().length == 16;
    }
    for (List<String> candidates : v6 ? List.of(OUTSIDE_V4, OUTSIDE_V6) : List.of(OUTSIDE_V4)) {
      String outside = null;
      for (String c : candidates) {
        byte[] a = IpAddresses.parseAddress(c);
        boolean in = false;
        for (IpAddresses.Cidr r : ranges) {
          in |= a != null && r.contains(a);
        }
        if (!in) {
          outside = c;
          break;
        }
      }
      if (outside != null) {
        out.add(outside);
      } else if (!coversAll(ranges, candidates.get(0).contains(":") ? 16 : 4)
          && incomplete == null) {
        incomplete = "no representative address lies outside every range";
      }
    }
    return new IpRepresentatives(out, incomplete);
  }

  private static boolean coversAll(List<IpAddresses.Cidr> ranges, int length) {
    for (IpAddresses.Cidr r : ranges) {
      if (r.network().length == length && r.prefix() == 0) {
        return true;
      }
    }
    return false;
  }

  private static byte[] first(IpAddresses.Cidr r) {
    byte[] a = r.network();
    for (int bit = r.prefix(); bit < a.length * 8; bit++) {
      a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return a;
  }

  private static byte[] last(IpAddresses.Cidr r) {
    byte[] a = r.network();
    for (int bit = r.prefix(); bit < a.length * 8; bit++) {
      a[bit / 8] |= (byte) (0x80 >>> (bit % 8));
    }
    return a;
  }

  private static byte[] middle(IpAddresses.Cidr r) {
    byte[] a = first(r);
    if (r.prefix() < a.length * 8) {
      int bit = r.prefix();
      a[bit / 8] |= (byte) (0x80 >>> (bit % 8));
    }
    return a;
  }

  private static String format(byte[] a) {
    StringBuilder sb = new StringBuilder();
    if (a.length == 4) {
      for (int i = 0; i < 4; i++) {
        if (i > 0) {
          sb.append('.');
        }
        sb.append(a[i] & 0xFF);
      }
      return sb.toString();
    }
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((a[i] & 0xFF) << 8) | (a[i + 1] & 0xFF)));
    }
    return sb.toString();
  }

  private static boolean isOutsider(
      String lowerKey,
      @Nullable NarrowingKey key,
      String value,
      Set<String> literals,
      Set<String> generated,
      List<IpAddresses.Cidr> ranges,
      Set<String> namedAccounts,
      Set<String> namedOrganizations) {
    if (key == null) {
      if (lowerKey.equals("aws:userid")) {
        return !literals.contains(value);
      }
      return true;
    }
    switch (key.valueKind()) {
      case ACCOUNT_ID -> {
        return !namedAccounts.contains(value);
      }
      case ARN -> {
        String[] parts = value.split(":", 6);
        return parts.length != 6 || !namedAccounts.contains(parts[4]);
      }
      case ORGANIZATION -> {
        return !namedOrganizations.contains(value.toLowerCase(Locale.ROOT));
      }
      case ORGANIZATION_PATH -> {
        int slash = value.indexOf('/');
        String org = slash < 0 ? value : value.substring(0, slash);
        return !namedOrganizations.contains(org.toLowerCase(Locale.ROOT));
      }
      case IP_RANGE -> {
        byte[] a = IpAddresses.parseAddress(value);
        if (a == null) {
          return true;
        }
        for (IpAddresses.Cidr r : ranges) {
          if (r.contains(a)
              && ConditionScope.whyCidrTooBroad(format(r.network()) + "/" + r.prefix()) == null) {
            return false;
          }
        }
        return true;
      }
      default -> {
        return generated.contains(value) || !literalsContainIgnoringCase(literals, value);
      }
    }
  }

  private static boolean literalsContainIgnoringCase(Set<String> literals, String value) {
    for (String l : literals) {
      if (l.equalsIgnoreCase(value)) {
        return true;
      }
    }
    return false;
  }
}
