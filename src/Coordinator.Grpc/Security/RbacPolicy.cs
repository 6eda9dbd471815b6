namespace Coordinator.Grpc.Security;

/// <summary>
/// Argo CD's RBAC model (casbin policy CSV): <c>p, SUBJECT, RESOURCE, ACTION, OBJECT[, allow|deny]</c> grants or
/// denies, <c>g, USER_OR_GROUP, ROLE</c> puts a user, group or role into a role. A matching deny wins over any allow.
/// As in Argo CD, the default role (<c>policy.default</c>) is granted to every authenticated user and cannot be
/// taken away by a deny: give it the least you want everybody to have.
/// </summary>
public sealed class RbacPolicy
{
    public const string Admin = "role:admin";
    public const string ReadOnly = "role:readonly";

    /// <summary>The built-in roles, as Argo CD's builtin-policy.csv: readonly gets everything, admin does everything.</summary>
    public const string BuiltIn = """
        p, role:readonly, rollouts, get, *, allow
        p, role:readonly, fleets, get, *, allow
        p, role:readonly, clusters, get, *, allow
        p, role:admin, rollouts, *, *, allow
        p, role:admin, fleets, *, *, allow
        p, role:admin, clusters, *, *, allow
        g, role:admin, role:readonly
        """;

    private readonly List<Rule> _rules = [];
    private readonly Dictionary<string, List<string>> _roles = new(StringComparer.Ordinal);

    private RbacPolicy(string defaultRole) => DefaultRole = defaultRole;

    /// <summary>The role every authenticated user has; empty for none.</summary>
    public string DefaultRole { get; }

    /// <summary>The built-in roles plus the given policy CSV; throws <see cref="FormatException"/> naming the source and line.</summary>
    public static RbacPolicy Parse(string? csv, string source, string defaultRole)
    {
        var policy = new RbacPolicy(defaultRole.Trim());
        policy.Load(BuiltIn, "built-in policy");
        if (csv is not null) policy.Load(csv, source);
        return policy;
    }

    /// <summary>Whether any of the user's subjects (name, groups, and their roles) may do <paramref name="action"/> on the object.</summary>
    public bool Allows(string user, IEnumerable<string> groups, string resource, string action, string @object)
    {
        if (DefaultRole.Length > 0 && Decide(Closure([DefaultRole]), resource, action, @object) == Effect.Allow) return true;
        return Decide(Closure([user, .. groups]), resource, action, @object) == Effect.Allow;
    }

    private Effect? Decide(HashSet<string> subjects, string resource, string action, string @object)
    {
        Effect? result = null;
        foreach (var rule in _rules)
        {
            if (!subjects.Contains(rule.Subject) || !Glob.Matches(rule.Resource, resource) || !Glob.Matches(rule.Action, action)
                || !Glob.Matches(rule.Object, @object)) continue;
            if (rule.Effect == Effect.Deny) return Effect.Deny;
            result = Effect.Allow;
        }
        return result;
    }

    /// <summary>The subjects and every role they reach through <c>g</c> lines (roles may contain roles).</summary>
    private HashSet<string> Closure(IEnumerable<string> start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(start);
        while (pending.TryPop(out var subject))
        {
            if (!seen.Add(subject)) continue;
            if (_roles.TryGetValue(subject, out var roles))
                foreach (var role in roles) pending.Push(role);
        }
        return seen;
    }

    private void Load(string csv, string source)
    {
        var number = 0;
        foreach (var raw in csv.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            // Argo CD ignores lines starting with '#' in policy.csv, and blank lines.
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(',').Select(f => f.Trim()).ToArray();
            var where = $"{source}:{number}";
            switch (fields[0])
            {
                case "p": AddRule(fields, where); break;
                case "g": AddGrant(fields, where); break;
                default: throw new FormatException($"{where}: a line starts with 'p' (a permission) or 'g' (a role grant), not '{fields[0]}'");
            }
        }
    }

    private void AddRule(string[] fields, string where)
    {
        if (fields.Length is not (5 or 6))
            throw new FormatException($"{where}: expected 'p, SUBJECT, RESOURCE, ACTION, OBJECT, allow|deny', found {fields.Length} fields");
        var (subject, resource, action, obj) = (fields[1], fields[2], fields[3], fields[4]);
        if (subject.Length == 0 || obj.Length == 0) throw new FormatException($"{where}: the subject and the object must not be empty");
        if (resource != "*" && !RbacActions.Resources.Contains(resource))
            throw new FormatException($"{where}: unknown resource '{resource}' (known: {string.Join(", ", RbacActions.Resources)}, *)");
        if (action != "*" && !RbacActions.Actions.Contains(action))
            throw new FormatException($"{where}: unknown action '{action}' (known: {string.Join(", ", RbacActions.Actions)}, *)");
        var effect = fields.Length == 5 ? "allow" : fields[5];
        _rules.Add(new Rule(subject, resource, action, obj, effect switch
        {
            "allow" => Effect.Allow,
            "deny" => Effect.Deny,
            _ => throw new FormatException($"{where}: the effect is 'allow' or 'deny', not '{effect}'"),
        }));
    }

    private void AddGrant(string[] fields, string where)
    {
        if (fields.Length != 3 || fields[1].Length == 0 || fields[2].Length == 0)
            throw new FormatException($"{where}: expected 'g, USER_OR_GROUP, ROLE'");
        if (!_roles.TryGetValue(fields[1], out var roles)) _roles[fields[1]] = roles = [];
        roles.Add(fields[2]);
    }

    private enum Effect
    {
        Allow,
        Deny,
    }

    private sealed record Rule(string Subject, string Resource, string Action, string Object, Effect Effect);
}
