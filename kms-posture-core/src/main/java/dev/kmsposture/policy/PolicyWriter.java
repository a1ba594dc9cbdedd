package dev.kmsposture.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the canonical JSON form: keys in a fixed order (Version, Id, Statement; Sid, Effect,
 * Principal, Action, Resource, Condition; principal types AWS, CanonicalUser, Federated, Service;
 * operators and condition keys sorted), value shapes as the document wrote them, and {@code
 * \}{@code uXXXX} escapes only for characters KMS does not accept raw. Pretty form indents by two
 * spaces.
 */
final class PolicyWriter {
  private final StringBuilder out;
  private final boolean pretty;
  private int depth;

  private PolicyWriter(boolean pretty, int capacity) {
    this.out = new StringBuilder(capacity);
    this.pretty = pretty;
  }

  static String pretty(KeyPolicy p) {
    PolicyWriter w = new PolicyWriter(true, 256 + p.statements().size() * 768);
    w.policy(p);
    w.out.append('\n');
    return w.out.toString();
  }

  static String compact(KeyPolicy p) {
    PolicyWriter w = new PolicyWriter(false, 128 + p.statements().size() * 384);
    w.policy(p);
    return w.out.toString();
  }

  static String compact(Statement s) {
    PolicyWriter w = new PolicyWriter(false, 192);
    w.statement(s);
    return w.out.toString();
  }

  private void policy(KeyPolicy p) {
    beginObject();
    boolean first = true;
    if (p.version() != null) {
      first = key("Version", first);
      string(p.version().text());
    }
    if (p.id() != null) {
      first = key("Id", first);
      string(p.id());
    }
    key("Statement", first);
    if (p.statementArray()) {
      beginArray();
      for (int i = 0; i < p.statements().size(); i++) {
        item(i == 0);
        statement(p.statements().get(i));
      }
      endArray(p.statements().isEmpty());
    } else {
      statement(p.statements().get(0));
    }
    endObject(false);
  }

  private void statement(Statement s) {
    beginObject();
    boolean first = true;
    if (s.sid() != null) {
      first = key("Sid", first);
      string(s.sid());
    }
    first = key("Effect", first);
    string(s.effect().jsonName());
    first = key(s.isNotPrincipal() ? "NotPrincipal" : "Principal", first);
    principal(s.principal());
    Statement.ActionElement a = s.action();
    if (a != null) {
      first = key(a.negated() ? "NotAction" : "Action", first);
      List<String> names = new ArrayList<>(a.actions().size());
      for (KmsAction k : a.actions()) {
        names.add(k.name());
      }
      strings(names, a.array());
    }
    Statement.ResourceElement r = s.resource();
    if (r != null) {
      first = key(r.negated() ? "NotResource" : "Resource", first);
      strings(r.resources(), r.array());
    }
    Statement.ConditionElement c = s.condition();
    if (c != null) {
      key("Condition", first);
      condition(c);
    }
    endObject(false);
  }

  private void principal(Statement.PrincipalElement p) {
    List<Principal> principals = p.principals();
    if (principals.get(0) instanceof Principal.Everyone) {
      string("*");
      return;
    }
    beginObject();
    boolean first = true;
    // The principals are grouped by type in canonical order (see Statement.PrincipalElement).
    int i = 0;
    while (i < principals.size()) {
      String type = principals.get(i).type();
      int end = i + 1;
      while (end < principals.size() && principals.get(end).type().equals(type)) {
        end++;
      }
      first = key(type, first);
      if (p.arrayTypes().contains(type)) {
        beginArray();
        for (int j = i; j < end; j++) {
          item(j == i);
          string(principals.get(j).value());
        }
        endArray(false);
      } else {
        string(principals.get(i).value());
      }
      i = end;
    }
    endObject(false);
  }

  /**
   * Writes the operators in name order: the conditions are already sorted by operator, then key
   * (see {@link Statement.ConditionElement}), and the empty operators are sorted and distinct from
   * them, so the two lists are merged.
   */
  private void condition(Statement.ConditionElement c) {
    List<Condition> conditions = c.conditions();
    List<ConditionOperator> empty = c.emptyOperators();
    beginObject();
    boolean first = true;
    int ci = 0;
    int ei = 0;
    while (ci < conditions.size() || ei < empty.size()) {
      boolean takeEmpty =
          ci == conditions.size()
              || (ei < empty.size()
                  && empty.get(ei).name().compareTo(conditions.get(ci).operator().name()) < 0);
      if (takeEmpty) {
        first = key(empty.get(ei++).name(), first);
        beginObject();
        endObject(true);
        continue;
      }
      String operator = conditions.get(ci).operator().name();
      first = key(operator, first);
      beginObject();
      boolean firstKey = true;
      for (;
          ci < conditions.size() && conditions.get(ci).operator().name().equals(operator);
          ci++) {
        Condition k = conditions.get(ci);
        firstKey = key(k.key().name(), firstKey);
        if (k.array()) {
          beginArray();
          for (int i = 0; i < k.values().size(); i++) {
            item(i == 0);
            value(k.values().get(i));
          }
          endArray(k.values().isEmpty());
        } else {
          value(k.values().get(0));
        }
      }
      endObject(false);
    }
    endObject(conditions.isEmpty() && empty.isEmpty());
  }

  private void value(ConditionValue v) {
    if (v.type() == ConditionValue.Type.STRING) {
      string(v.text());
    } else {
      out.append(v.text());
    }
  }

  private void strings(List<String> values, boolean array) {
    if (!array) {
      string(values.get(0));
      return;
    }
    beginArray();
    for (int i = 0; i < values.size(); i++) {
      item(i == 0);
      string(values.get(i));
    }
    endArray(values.isEmpty());
  }

  private void beginObject() {
    out.append('{');
    depth++;
  }

  private void endObject(boolean empty) {
    depth--;
    if (pretty && !empty) {
      newline();
    }
    out.append('}');
  }

  private void beginArray() {
    out.append('[');
    depth++;
  }

  private void endArray(boolean empty) {
    depth--;
    if (pretty && !empty) {
      newline();
    }
    out.append(']');
  }

  private void item(boolean first) {
    if (!first) {
      out.append(',');
    }
    if (pretty) {
      newline();
    }
  }

  private boolean key(String name, boolean first) {
    item(first);
    string(name);
    out.append(pretty ? ": " : ":");
    return false;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static final String INDENT = "\n" + "  ".repeat(16);

  private void newline() {
    int width = 1 + 2 * depth;
    if (width <= INDENT.length()) {
      out.append(INDENT, 0, width);
      return;
    }
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  /** Whether {@code c} is written as an escape rather than as itself. */
  private static boolean needsEscape(char c) {
    return c < 0x20 || c == '"' || c == '\\' || c > 0xFF;
  }

  private void string(String s) {
    out.append('"');
    int n = s.length();
    int i = 0;
    while (i < n && !needsEscape(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      out.append(s).append('"');
      return;
    }
    out.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0xFF) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
