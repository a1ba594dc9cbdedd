package dev.kmsposture.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

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
    PolicyWriter w = new PolicyWriter(true, 256 + p.statements().size() * 256);
    w.policy(p);
    w.out.append('\n');
    return w.out.toString();
  }

  static String compact(KeyPolicy p) {
    PolicyWriter w = new PolicyWriter(false, 128 + p.statements().size() * 192);
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
    if (p.principals().get(0) instanceof Principal.Everyone) {
      string("*");
      return;
    }
    beginObject();
    boolean first = true;
    for (String type : p.types()) {
      first = key(type, first);
      List<String> values = new ArrayList<>();
      for (Principal x : p.principals()) {
        if (x.type().equals(type)) {
          values.add(x.value());
        }
      }
      strings(values, p.arrayTypes().contains(type));
    }
    endObject(false);
  }

  private void condition(Statement.ConditionElement c) {
    TreeMap<String, List<Condition>> byOperator = new TreeMap<>();
    for (ConditionOperator op : c.emptyOperators()) {
      byOperator.put(op.name(), new ArrayList<>());
    }
    for (Condition k : c.conditions()) {
      byOperator.computeIfAbsent(k.operator().name(), x -> new ArrayList<>()).add(k);
    }
    beginObject();
    boolean first = true;
    for (var e : byOperator.entrySet()) {
      first = key(e.getKey(), first);
      beginObject();
      boolean firstKey = true;
      for (Condition k : e.getValue()) {
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
      endObject(e.getValue().isEmpty());
    }
    endObject(byOperator.isEmpty());
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

  private void newline() {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20 || c > 0xFF) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
