package dev.kmsposture.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One statement of a key policy: {@code Sid}, {@code Effect}, {@code Principal}/{@code
 * NotPrincipal}, {@code Action}/{@code NotAction}, {@code Resource}/{@code NotResource} and {@code
 * Condition}.
 *
 * <p>The record is lossless: it keeps what the document wrote, including a missing {@code Action}
 * or {@code Resource} (KMS accepts the statement, but it has no effect), empty condition-value
 * lists, and whether each value list was written as a scalar or an array. Equality is structural;
 * use {@link #isEquivalentTo(Statement)} to compare meaning. {@link #toString()} prints compact
 * canonical JSON.
 *
 * <p>Instances are immutable and thread-safe; the {@link Builder} is not thread-safe.
 *
 * @param sid the statement id, or null when absent
 * @param effect Allow or Deny
 * @param principal the {@code Principal} or {@code NotPrincipal} element (a statement in a key
 *     policy always has one)
 * @param action the {@code Action} or {@code NotAction} element, or null when the statement has
 *     neither
 * @param resource the {@code Resource} or {@code NotResource} element, or null when it has neither
 * @param condition the {@code Condition} element, or null when absent
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html">IAM
 *     JSON policy elements: Statement</a>
 */
public record Statement(
    @Nullable String sid,
    Effect effect,
    PrincipalElement principal,
    @Nullable ActionElement action,
    @Nullable ResourceElement resource,
    @Nullable ConditionElement condition) {

  /** Checks that the required parts are present. */
  public Statement {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(principal, "principal");
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this statement. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns whether the statement allows. */
  public boolean isAllow() {
    return effect == Effect.ALLOW;
  }

  /** Returns the principals of the {@code Principal} or {@code NotPrincipal} element. */
  public List<Principal> principals() {
    return principal.principals();
  }

  /** Returns whether the principals are a {@code NotPrincipal} element. */
  public boolean isNotPrincipal() {
    return principal.negated();
  }

  /** Returns the actions of the {@code Action} or {@code NotAction} element; empty when absent. */
  public List<KmsAction> actions() {
    return action == null ? List.of() : action.actions();
  }

  /** Returns whether the actions are a {@code NotAction} element. */
  public boolean isNotAction() {
    return action != null && action.negated();
  }

  /**
   * Returns the resources of the {@code Resource} or {@code NotResource} element; empty when
   * absent.
   */
  public List<String> resources() {
    return resource == null ? List.of() : resource.resources();
  }

  /** Returns whether the resources are a {@code NotResource} element. */
  public boolean isNotResource() {
    return resource != null && resource.negated();
  }

  /** Returns the conditions, sorted by operator and key; empty when there are none. */
  public List<Condition> conditions() {
    return condition == null ? List.of() : condition.conditions();
  }

  /**
   * Returns whether this statement means the same as {@code other}: the Sid, the order of values,
   * the scalar-or-array form, {@code "*"} versus {@code {"AWS": "*"}}, an account id versus its
   * root ARN, and the letter case of condition keys and action names are ignored.
   */
  public boolean isEquivalentTo(Statement other) {
    return Equivalence.statementKey(this).equals(Equivalence.statementKey(other));
  }

  /** Returns the statement as compact canonical JSON. */
  @Override
  public String toString() {
    return PolicyWriter.compact(this);
  }

  /**
   * A {@code Principal} or {@code NotPrincipal} element.
   *
   * @param negated whether the element is {@code NotPrincipal}
   * @param principals the principals, never empty, grouped by type in the order AWS, CanonicalUser,
   *     Federated, Service (document order within a type)
   * @param arrayTypes the types whose values the document wrote as an array
   */
  public record PrincipalElement(
      boolean negated, List<Principal> principals, Set<String> arrayTypes) {
    private static final List<String> TYPE_ORDER =
        List.of("*", "AWS", "CanonicalUser", "Federated", "Service");

    /** Validates the element and puts the principals in canonical type order. */
    public PrincipalElement {
      if (principals.isEmpty()) {
        throw new IllegalArgumentException("a principal element must name at least one principal");
      }
      principals = List.copyOf(inTypeOrder(principals));
      arrayTypes = Set.copyOf(arrayTypes);
      boolean bare = principals.get(0) instanceof Principal.Everyone;
      if (bare && (principals.size() != 1 || !arrayTypes.isEmpty())) {
        throw new IllegalArgumentException(
            "the bare \"*\" principal stands alone; it cannot be combined with other principals");
      }
      int[] counts = new int[TYPE_ORDER.size()];
      for (Principal p : principals) {
        counts[TYPE_ORDER.indexOf(p.type())]++;
      }
      for (int i = 1; i < TYPE_ORDER.size(); i++) {
        String t = TYPE_ORDER.get(i);
        int n = counts[i];
        if (n > 1 && !arrayTypes.contains(t)) {
          throw new IllegalArgumentException(
              String.format("%d %s principals must be written as an array", n, t));
        }
        if (n == 0 && arrayTypes.contains(t)) {
          throw new IllegalArgumentException(
              String.format("array form given for %s principals, but there are none", t));
        }
      }
    }

    /** Returns the principals grouped by type in canonical order, stable within a type. */
    private static List<Principal> inTypeOrder(List<Principal> principals) {
      boolean sorted = true;
      for (int i = 1; i < principals.size() && sorted; i++) {
        sorted =
            TYPE_ORDER.indexOf(principals.get(i - 1).type())
                <= TYPE_ORDER.indexOf(principals.get(i).type());
      }
      if (sorted) {
        return principals;
      }
      List<Principal> out = new ArrayList<>(principals);
      out.sort(Comparator.comparingInt(p -> TYPE_ORDER.indexOf(p.type())));
      return out;
    }

    /**
     * Returns the principals of {@code type} ({@code AWS}, {@code Service}, …), in document order.
     */
    public List<Principal> ofType(String type) {
      List<Principal> out = new ArrayList<>();
      for (Principal p : principals) {
        if (p.type().equals(type)) {
          out.add(p);
        }
      }
      return List.copyOf(out);
    }

    /** Returns the principal types present, in canonical order. */
    public List<String> types() {
      Set<String> out = new LinkedHashSet<>();
      for (Principal p : principals) {
        out.add(p.type());
      }
      return List.copyOf(out);
    }
  }

  /**
   * An {@code Action} or {@code NotAction} element.
   *
   * @param negated whether the element is {@code NotAction}
   * @param actions the actions in document order (an empty array is kept)
   * @param array whether the document wrote an array
   */
  public record ActionElement(boolean negated, List<KmsAction> actions, boolean array) {
    /** Copies the actions and checks the scalar form. */
    public ActionElement {
      actions = List.copyOf(actions);
      if (!array && actions.size() != 1) {
        throw new IllegalArgumentException("a scalar action element holds exactly one action");
      }
    }
  }

  /**
   * A {@code Resource} or {@code NotResource} element. In a key policy, {@code "*"} means "this
   * key".
   *
   * @param negated whether the element is {@code NotResource}
   * @param resources the resources in document order
   * @param array whether the document wrote an array
   */
  public record ResourceElement(boolean negated, List<String> resources, boolean array) {
    /** Copies the resources and checks the scalar form. */
    public ResourceElement {
      resources = List.copyOf(resources);
      if (!array && resources.size() != 1) {
        throw new IllegalArgumentException("a scalar resource element holds exactly one resource");
      }
    }
  }

  /**
   * A {@code Condition} element.
   *
   * @param conditions the conditions, sorted by operator, then key (letter case ignored)
   * @param emptyOperators operators written with an empty block ({@code "StringEquals": {}}),
   *     sorted
   */
  public record ConditionElement(
      List<Condition> conditions, List<ConditionOperator> emptyOperators) {
    private static final Comparator<Condition> CANONICAL_ORDER =
        (a, b) -> {
          int c = a.operator().name().compareTo(b.operator().name());
          if (c != 0) {
            return c;
          }
          c = a.key().normalized().compareTo(b.key().normalized());
          return c != 0 ? c : a.key().name().compareTo(b.key().name());
        };

    /** Sorts the conditions canonically and rejects the same key twice under one operator. */
    public ConditionElement {
      List<Condition> sorted = new ArrayList<>(conditions);
      sorted.sort(CANONICAL_ORDER);
      for (int i = 1; i < sorted.size(); i++) {
        Condition a = sorted.get(i - 1);
        Condition b = sorted.get(i);
        if (a.operator().equals(b.operator()) && a.key().sameKeyAs(b.key())) {
          throw new IllegalArgumentException(
              String.format(
                  "condition key [%s] appears twice under operator [%s] (as [%s] and [%s]); condition"
                      + " keys are case-insensitive, so merge the values into one entry",
                  b.key().normalized(), a.operator(), a.key(), b.key()));
        }
      }
      conditions = List.copyOf(sorted);
      Set<ConditionOperator> empty =
          emptyOperators.isEmpty() ? Set.of() : new TreeSet<>(emptyOperators);
      for (Condition c : conditions) {
        if (empty.contains(c.operator())) {
          throw new IllegalArgumentException(
              String.format("operator [%s] is both empty and non-empty", c.operator()));
        }
      }
      emptyOperators = List.copyOf(empty);
    }

    /**
     * Returns whether the element holds no condition at all ({@code "Condition": {}} or only empty
     * blocks).
     */
    public boolean isEmpty() {
      return conditions.isEmpty();
    }
  }

  /**
   * Builds a {@link Statement}. Single values are written as scalars and several as arrays, the
   * shape AWS uses. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String sid;
    private @Nullable Effect effect;
    private final List<Principal> principals = new ArrayList<>();
    private boolean notPrincipal;
    private @Nullable List<KmsAction> actions;
    private boolean notAction;
    private @Nullable List<String> resources;
    private boolean notResource;
    private final List<Condition> conditions = new ArrayList<>();

    private Builder() {}

    private Builder(Statement s) {
      this.sid = s.sid();
      this.effect = s.effect();
      this.principals.addAll(s.principals());
      this.notPrincipal = s.isNotPrincipal();
      if (s.action() != null) {
        this.actions = new ArrayList<>(s.actions());
        this.notAction = s.isNotAction();
      }
      if (s.resource() != null) {
        this.resources = new ArrayList<>(s.resources());
        this.notResource = s.isNotResource();
      }
      this.conditions.addAll(s.conditions());
    }

    /** Sets the statement id (any text; KMS key policies allow spaces). */
    public Builder sid(@Nullable String sid) {
      this.sid = sid;
      return this;
    }

    /** Sets the effect. Required. */
    public Builder effect(Effect effect) {
      this.effect = Objects.requireNonNull(effect, "effect");
      return this;
    }

    /** Replaces the principals with {@code principals}, as a {@code Principal} element. */
    public Builder principals(Collection<? extends Principal> principals) {
      this.principals.clear();
      this.principals.addAll(principals);
      this.notPrincipal = false;
      return this;
    }

    /** Appends one principal to the {@code Principal} element. */
    public Builder addPrincipal(Principal principal) {
      this.principals.add(Objects.requireNonNull(principal, "principal"));
      return this;
    }

    /** Appends the AWS principal {@code arnOrAccount} (an ARN, account id or {@code *}). */
    public Builder addAwsPrincipal(String arnOrAccount) {
      return addPrincipal(Principal.aws(arnOrAccount));
    }

    /** Replaces the principals with {@code principals}, as a {@code NotPrincipal} element. */
    public Builder notPrincipals(Collection<? extends Principal> principals) {
      principals(principals);
      this.notPrincipal = true;
      return this;
    }

    /** Replaces the actions with {@code actions}, as an {@code Action} element. */
    public Builder actions(Collection<KmsAction> actions) {
      this.actions = new ArrayList<>(actions);
      this.notAction = false;
      return this;
    }

    /** Appends one action to the {@code Action} element. */
    public Builder addAction(KmsAction action) {
      if (actions == null) {
        actions = new ArrayList<>();
      }
      actions.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    /** Appends the action named {@code action}, such as {@code kms:Decrypt}. */
    public Builder addAction(String action) {
      return addAction(KmsAction.of(action));
    }

    /** Replaces the actions with {@code actions}, as a {@code NotAction} element. */
    public Builder notActions(Collection<KmsAction> actions) {
      actions(actions);
      this.notAction = true;
      return this;
    }

    /** Replaces the resources with {@code resources}, as a {@code Resource} element. */
    public Builder resources(Collection<String> resources) {
      this.resources = new ArrayList<>(resources);
      this.notResource = false;
      return this;
    }

    /** Appends one resource; in a key policy, {@code "*"} means this key. */
    public Builder addResource(String resource) {
      if (resources == null) {
        resources = new ArrayList<>();
      }
      resources.add(Objects.requireNonNull(resource, "resource"));
      return this;
    }

    /** Replaces the resources with {@code resources}, as a {@code NotResource} element. */
    public Builder notResources(Collection<String> resources) {
      resources(resources);
      this.notResource = true;
      return this;
    }

    /** Appends a condition. */
    public Builder addCondition(Condition condition) {
      conditions.add(Objects.requireNonNull(condition, "condition"));
      return this;
    }

    /** Appends a condition with string values. */
    public Builder addCondition(ConditionOperator operator, ConditionKey key, String... values) {
      return addCondition(Condition.of(operator, key, values));
    }

    /** Appends a condition with string values, naming operator and key as text. */
    public Builder addCondition(String operator, String key, String... values) {
      return addCondition(
          Condition.of(ConditionOperator.of(operator), ConditionKey.of(key), values));
    }

    /** Replaces the conditions. */
    public Builder conditions(Collection<Condition> conditions) {
      this.conditions.clear();
      this.conditions.addAll(conditions);
      return this;
    }

    /**
     * Builds the statement.
     *
     * @throws IllegalStateException if the effect is not set or no principal is named
     * @throws IllegalArgumentException if a condition key appears twice under one operator
     */
    public Statement build() {
      if (effect == null) {
        throw new IllegalStateException(
            "effect is not set; call effect(Effect.ALLOW or Effect.DENY)");
      }
      if (principals.isEmpty()) {
        throw new IllegalStateException(
            "no principal is set; a key-policy statement needs a Principal or NotPrincipal");
      }
      Set<String> arrayTypes = new TreeSet<>();
      for (Principal p : principals) {
        long n = principals.stream().filter(q -> q.type().equals(p.type())).count();
        if (n > 1) {
          arrayTypes.add(p.type());
        }
      }
      if (principals.stream().anyMatch(p -> p instanceof Principal.Everyone)
          && principals.size() > 1) {
        throw new IllegalStateException(
            "the bare \"*\" principal stands alone; use Principal.aws(\"*\") to combine it");
      }
      PrincipalElement pe = new PrincipalElement(notPrincipal, principals, arrayTypes);
      ActionElement ae =
          actions == null ? null : new ActionElement(notAction, actions, actions.size() != 1);
      ResourceElement re =
          resources == null
              ? null
              : new ResourceElement(notResource, resources, resources.size() != 1);
      ConditionElement ce =
          conditions.isEmpty() ? null : new ConditionElement(conditions, List.of());
      return new Statement(sid, effect, pe, ae, re, ce);
    }
  }
}
