package dev.kmsposture.prover.internal;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionValue;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the statements of a question use each condition key: which value family its operators
 * compare, whether a set qualifier names it, how many conditions test it, and whether policy
 * variables read it. The request model gives each key one slot shaped by this.
 */
final class KeyUse {

  /** What the operators on a key compare its values as. */
  enum Family {
    STRING,
    NUMBER,
    DATE,
    IP
  }

  /** The use of one key (lower case), with the spelling seen first. */
  static final class Use {
    final String spelling;
    final Set<Family> families = EnumSet.noneOf(Family.class);
    boolean qualified;
    int conditions;
    boolean variableValues;

    Use(String spelling) {
      this.spelling = spelling;
    }

    Family family() {
      if (families.size() > 1) {
        throw new UnsupportedConstruct(
            String.format(
                "condition key [%s] is compared as %s; a key compared in more than one way"
                    + " (as text and as a number, a date or an address) is not encoded",
                spelling, families));
      }
      return families.isEmpty() ? Family.STRING : families.iterator().next();
    }
  }

  private final Map<String, Use> uses = new LinkedHashMap<>();
  private boolean variables;

  /** Whether some condition value or resource of the question holds a policy variable. */
  boolean hasVariables() {
    return variables;
  }

  Map<String, Use> uses() {
    return uses;
  }

  private Use use(String lower, String spelling) {
    return uses.computeIfAbsent(lower, k -> new Use(spelling));
  }

  void addCondition(Condition c, boolean variables) {
    String lower = c.key().normalized();
    Use u = use(lower, c.key().name());
    u.conditions++;
    ConditionOperator op = c.operator();
    if (op.isKnown()) {
      Family f = familyOf(op.base());
      if (f != null) {
        u.families.add(f);
      }
      if (op.qualifier() != ConditionOperator.Qualifier.NONE) {
        u.qualified = true;
      }
    }
    if (variables && ConditionFormula.substitutes(op)) {
      for (ConditionValue v : c.values()) {
        if (Template.hasVariables(v.text())) {
          u.variableValues = true;
          addVariables(v.text());
        }
      }
    }
  }

  /** Records the keys that the variables of {@code text} read (compared as text). */
  void addVariables(String text) {
    variables = true;
    for (Template.Variable v : Template.parse(text).variables()) {
      use(v.key(), v.key()).families.add(Family.STRING);
    }
  }

  static @Nullable Family familyOf(String base) {
    if (base.startsWith("Numeric")) {
      return Family.NUMBER;
    }
    if (base.startsWith("Date")) {
      return Family.DATE;
    }
    if (base.equals("IpAddress") || base.equals("NotIpAddress")) {
      return Family.IP;
    }
    if (base.equals("Null")) {
      return null;
    }
    return Family.STRING;
  }
}
