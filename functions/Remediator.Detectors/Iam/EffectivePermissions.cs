using Remediator.Core.Engine;

namespace Remediator.Detectors.Iam;

/// <summary>A policy document and how evidence names it (e.g. "inline policy 'ops' of role 'app'").</summary>
internal sealed record PolicySource(string Label, PolicyDocument Document);

/// <summary>One Allow statement's grant of one action, after explicit Denies took their part.</summary>
internal sealed record StatementGrant(PolicySource Source, PolicyStatement Statement, ResourceReach Reach, ConditionJudgement Condition)
{
    public string Where => $"{Source.Label}, {Statement.Label}";

    public string ReachText => Reach switch
    {
        ResourceReach.Everything => "every resource",
        ResourceReach.Account => "every resource in one account",
        _ => "named resources",
    };
}

/// <summary>
/// What a set of identity policies (one document, or every policy of one principal) allows, action by action:
/// each Allow statement that matches the action (Action patterns, or NotAction exactly: all it does not name), the
/// resources it reaches for that action's resource types (<see cref="ServiceAuthorizationReference.ReachOf"/>), and its
/// Condition judged (<see cref="ConditionMeaning"/>). An unconditional explicit Deny wins: it removes every allowed
/// resource pattern it covers. A conditional Deny is not subtracted: a caller who fails its condition is not denied.
/// </summary>
internal sealed class EffectivePermissions
{
    private readonly List<(PolicySource Source, PolicyStatement Statement)> _allows = [];
    private readonly List<PolicyStatement> _denies = [];
    private readonly Dictionary<string, IReadOnlyList<StatementGrant>> _cache = new(StringComparer.OrdinalIgnoreCase);

    public EffectivePermissions(IReadOnlyList<PolicySource> sources)
    {
        Sources = sources;
        foreach (var source in sources)
        {
            foreach (var statement in source.Document.Statements)
            {
                if (statement.IsAllow)
                {
                    _allows.Add((source, statement));
                }
                else if (statement.IsDeny && !statement.HasCondition)
                {
                    _denies.Add(statement);
                }
            }
        }
    }

    public IReadOnlyList<PolicySource> Sources { get; }

    /// <summary>Every Allow statement that grants <paramref name="service"/>:<paramref name="action"/> on something.</summary>
    public IReadOnlyList<StatementGrant> GrantsOf(string service, string action)
    {
        var key = service + ":" + action;
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var definition = ServiceAuthorizationReference.Find(service, action);
        var denies = _denies.Where(d => MatchesAction(d, key)).ToList();
        List<StatementGrant>? grants = null;
        foreach (var (source, statement) in _allows)
        {
            if (!MatchesAction(statement, key))
            {
                continue;
            }

            var reach = ReachAfterDenies(statement, service, definition, denies);
            if (reach != ResourceReach.None)
            {
                (grants ??= []).Add(new StatementGrant(source, statement, reach, ConditionMeaning.Judge(statement)));
            }
        }

        IReadOnlyList<StatementGrant> result = grants ?? (IReadOnlyList<StatementGrant>)[];
        _cache[key] = result;
        return result;
    }

    /// <summary>True when an unconditional Deny takes away everything the statement allows.</summary>
    public bool IsFullyDenied(PolicyStatement allow)
    {
        foreach (var deny in _denies)
        {
            if (deny.Actions is not { } denied || !CoversEveryResource(deny))
            {
                continue;
            }

            if (denied.Any(p => IsEveryAction(p)))
            {
                return true;
            }

            // Every action pattern of the Allow is inside a denied pattern (the Deny's glob matches it as text).
            if (allow.Actions is { } allowed && allowed.All(a => denied.Any(d => WildcardPattern.IsMatch(d, a, ignoreCase: true))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>*</c>, <c>*:*</c>: a pattern that matches every action.</summary>
    public static bool IsEveryAction(string action)
    {
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? WildcardPattern.IsAllStars(action)
            : WildcardPattern.IsAllStars(action.AsSpan(0, colon)) && WildcardPattern.IsAllStars(action.AsSpan(colon + 1));
    }

    /// <summary>A statement's resources are every ARN: a universal Resource pattern, or NotResource (all but a few).</summary>
    public static bool HasEveryResource(PolicyStatement statement) =>
        statement.NotResources is not null || (statement.Resources?.Any(ServiceAuthorizationReference.IsUniversal) ?? false);

    private static bool CoversEveryResource(PolicyStatement deny) =>
        deny.NotResources is null && (deny.Resources?.Any(ServiceAuthorizationReference.IsUniversal) ?? false);

    private static bool MatchesAction(PolicyStatement statement, string action)
    {
        if (statement.Actions is { } actions)
        {
            foreach (var pattern in actions)
            {
                if (Matches(pattern, action))
                {
                    return true;
                }
            }

            return false;
        }

        if (statement.NotActions is { } notActions)
        {
            foreach (var pattern in notActions)
            {
                if (Matches(pattern, action))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    private static bool Matches(string pattern, string action)
    {
        // Cheap reject on a literal service prefix before the glob: most patterns name another service.
        var colon = pattern.IndexOf(':', StringComparison.Ordinal);
        var actionColon = action.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && pattern.AsSpan(0, colon).IndexOfAny('*', '?') < 0
            && !pattern.AsSpan(0, colon).Equals(action.AsSpan(0, actionColon), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return WildcardPattern.IsMatch(pattern, action, ignoreCase: true);
    }

    private static ResourceReach ReachAfterDenies(
        PolicyStatement allow, string service, ActionDefinition? definition, List<PolicyStatement> denies)
    {
        if (allow.NotResources is { } excluded)
        {
            if (denies.Any(d => DeniesPattern(d, "*", service, definition)))
            {
                return ResourceReach.None;
            }

            // Every resource but the excluded: unless an excluded pattern takes the action's whole type away.
            return excluded.Any(x => ServiceAuthorizationReference.ReachOf(x, service, definition) >= ResourceReach.Account)
                ? ResourceReach.Specific
                : ResourceReach.Everything;
        }

        var best = ResourceReach.None;
        foreach (var pattern in allow.Resources ?? [])
        {
            var reach = ServiceAuthorizationReference.ReachOf(pattern, service, definition);
            if (reach > best && !denies.Any(d => DeniesPattern(d, pattern, service, definition)))
            {
                best = reach;
            }
        }

        return best;
    }

    /// <summary>True when the Deny covers every ARN the allowed pattern can match (its glob matches the pattern as text).</summary>
    private static bool DeniesPattern(PolicyStatement deny, string allowedPattern, string service, ActionDefinition? definition)
    {
        if (deny.Resources is not { } denied)
        {
            return false;
        }

        foreach (var pattern in denied)
        {
            if (ServiceAuthorizationReference.IsUniversal(pattern)
                || ServiceAuthorizationReference.ReachOf(pattern, service, definition) == ResourceReach.Everything
                || WildcardPattern.IsMatch(pattern, allowedPattern))
            {
                return true;
            }
        }

        return false;
    }
}
