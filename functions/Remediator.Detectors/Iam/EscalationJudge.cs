using Remediator.Core;

namespace Remediator.Detectors.Iam;

/// <summary>A catalogue path the permissions allow, with the grant chosen for each of its actions.</summary>
internal sealed record FoundPath(EscalationPath Path, IReadOnlyList<StatementGrant> Grants, ConditionStrength Strength);

/// <summary>
/// Evaluates every catalogue path against effective permissions: a path is found when each of its actions is granted
/// with the reach it needs (and PassRole is passable to the path's service), whether the grants sit in one statement,
/// several statements or several documents. Only minimal paths are reported: a path whose actions include all of a
/// found path's adds nothing.
/// </summary>
internal static class EscalationJudge
{
    private const int MaxPathsInEvidence = 8;

    /// <summary>The paths the permissions allow; with <paramref name="minimalOnly"/>, only those no smaller found path is part of.</summary>
    public static IReadOnlyList<FoundPath> Find(EffectivePermissions permissions, bool minimalOnly = true)
    {
        List<FoundPath>? found = null;
        // One scratch row for the grants of the path being tried: most paths fail, and allocate nothing.
        var scratch = new StatementGrant[EscalationCatalog.MaxSteps];
        foreach (var path in EscalationCatalog.Paths)
        {
            var strength = ConditionStrength.None;
            var complete = true;
            for (var i = 0; i < path.Steps.Count; i++)
            {
                var step = path.Steps[i];
                var best = Best(permissions.GrantsOf(step.Service, step.Action), step);
                if (best is null)
                {
                    complete = false;
                    break;
                }

                scratch[i] = best.Value.Grant;
                strength = best.Value.Strength > strength ? best.Value.Strength : strength;
            }

            if (complete)
            {
                (found ??= []).Add(new FoundPath(path, scratch[..path.Steps.Count], strength));
            }
        }

        if (found is null)
        {
            return [];
        }

        if (!minimalOnly)
        {
            return found;
        }

        var minimal = new List<FoundPath>(found.Count);
        foreach (var candidate in found)
        {
            var hasSmaller = false;
            foreach (var other in found)
            {
                if (!ReferenceEquals(other, candidate) && IsProperSubset(other.Path, candidate.Path))
                {
                    hasSmaller = true;
                    break;
                }
            }

            if (!hasSmaller)
            {
                minimal.Add(candidate);
            }
        }

        return minimal;
    }

    /// <summary>
    /// The verdict for the permissions, or null when nothing is found. <paramref name="primary"/> is the document the
    /// event changed: a path counts only if it uses that document (the others were judged when they changed).
    /// </summary>
    public static PolicyVerdict? Judge(EffectivePermissions permissions, PolicySource primary)
    {
        var found = Find(permissions).Where(f => f.Grants.Any(g => ReferenceEquals(g.Source, primary))).ToList();
        if (found.Count == 0)
        {
            return PassRoleNotice(permissions, primary);
        }

        // Most certain and broadest first: the first path is what the summary leads with.
        found.Sort((a, b) => a.Strength != b.Strength ? a.Strength.CompareTo(b.Strength) : b.Path.IsIamWrite.CompareTo(a.Path.IsIamWrite));
        var strongest = found[0];
        var evidence = new List<string>();
        foreach (var f in found.Take(MaxPathsInEvidence))
        {
            evidence.Add($"path {f.Path.Id}: {f.Path.ActionsText}: {f.Path.DangerousProperty} (needs: {f.Path.Prerequisite}; {string.Join(", ", f.Path.Sources)}; {f.Path.Reference})");
            for (var i = 0; i < f.Grants.Count; i++)
            {
                var g = f.Grants[i];
                evidence.Add($"  {f.Path.Steps[i].FullName} on {g.ReachText}: {g.Where}: {g.Statement.CompactJson}");
                evidence.AddRange(g.Condition.Describe().Select(d => "  " + d));
            }
        }

        if (found.Count > MaxPathsInEvidence)
        {
            evidence.Add($"and {found.Count - MaxPathsInEvidence} more path(s): {string.Join(", ", found.Skip(MaxPathsInEvidence).Select(f => f.Path.Id))}");
        }

        var documents = found.SelectMany(f => f.Grants).Select(g => g.Source.Label).Distinct(StringComparer.Ordinal).ToList();
        if (documents.Count > 1)
        {
            evidence.Add("these documents together make the path(s): " + string.Join("; ", documents));
        }

        var certain = strongest.Strength <= ConditionStrength.NotNarrowing;
        var statementIndex = strongest.Grants.FirstOrDefault(g => ReferenceEquals(g.Source, primary))?.Statement.Index ?? -1;
        return new PolicyVerdict(IamChecks.PrivilegeEscalation, statementIndex, Lowered: !certain,
            $"allows privilege escalation by {found.Count} published path(s), e.g. {strongest.Path.Id} ({strongest.Path.ActionsText})", evidence)
        {
            // IAM write on everything keeps the rule's severity; borrowing a role through compute is one step below.
            SeverityCap = found.Any(f => f.Path.IsIamWrite && f.Strength <= ConditionStrength.NotNarrowing) ? null : Severity.Medium,
            Confident = certain,
        };
    }

    /// <summary>
    /// PassRole on every role with no compute action to use it: a low notice, never a revert. When the statement limits
    /// the services (iam:PassedToService) to ones that run no caller code, that is said; unknown services are named.
    /// </summary>
    private static PolicyVerdict? PassRoleNotice(EffectivePermissions permissions, PolicySource primary)
    {
        var grant = permissions.GrantsOf("iam", "PassRole")
            .FirstOrDefault(g => ReferenceEquals(g.Source, primary) && g.Reach >= ResourceReach.Account);
        if (grant is null)
        {
            return null;
        }

        var services = grant.Condition.PassedToServices;
        string why;
        if (services is null)
        {
            why = "iam:PassRole on every role, but these permissions hold no action that runs code with a passed role; any other policy of the principal that does makes it an escalation";
        }
        else
        {
            var runsCode = services.Where(s => ConditionMeaning.RunsCallerCode(s) == true).ToList();
            var unknown = services.Where(s => ConditionMeaning.RunsCallerCode(s) is null).ToList();
            why = runsCode.Count > 0
                ? $"iam:PassRole to {string.Join(", ", runsCode)}, which run caller code, but no action here starts that code"
                : unknown.Count > 0
                    ? $"iam:PassRole only to {string.Join(", ", services)}; not known whether {string.Join(", ", unknown)} run caller code"
                    : $"iam:PassRole only to {string.Join(", ", services)}, which run no caller code with the role";
        }

        var evidence = new List<string> { $"{grant.Where}: {grant.Statement.CompactJson}", "why: " + why };
        evidence.AddRange(grant.Condition.Describe());
        return new PolicyVerdict(IamChecks.PrivilegeEscalation, grant.Statement.Index, Lowered: true,
            "allows passing any role, with no way here to run code with it (a notice, not an escalation)", evidence)
        {
            SeverityCap = Severity.Low,
            Confident = false,
        };
    }

    private static (StatementGrant Grant, ConditionStrength Strength)? Best(IReadOnlyList<StatementGrant> grants, EscalationStep step)
    {
        (StatementGrant Grant, ConditionStrength Strength)? best = null;
        for (var iGrant = 0; iGrant < grants.Count; iGrant++)
        {
            var grant = grants[iGrant];
            if (grant.Reach < step.RequiredReach)
            {
                continue;
            }

            ConditionStrength strength;
            if (step.PassedTo is not null)
            {
                if (!ConditionMeaning.AllowsService(grant.Condition.PassedToServices, step.PassedTo))
                {
                    continue;
                }

                strength = grant.Condition.StrengthIgnoringPassedToService;
            }
            else
            {
                strength = grant.Condition.Strength;
            }

            if (best is null || strength < best.Value.Strength || (strength == best.Value.Strength && grant.Reach > best.Value.Grant.Reach))
            {
                best = (grant, strength);
            }
        }

        return best;
    }

    private static bool IsProperSubset(EscalationPath smaller, EscalationPath larger) =>
        smaller.Steps.Count < larger.Steps.Count
        && smaller.Steps.All(s => larger.Steps.Any(l => string.Equals(l.FullName, s.FullName, StringComparison.OrdinalIgnoreCase)));
}
