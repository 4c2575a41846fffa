namespace Remediator.Detectors.Iam;

/// <summary>
/// Judges an identity-based (permissions) policy: what a user, group or role may do. One verdict per
/// (check, statement). <c>admin-wildcard</c> subsumes <c>service-wildcard</c> and <c>privilege-escalation</c> for the
/// same statement when it is enabled: "everything" already says all of it, and one alarm per statement is enough.
/// </summary>
internal static class PermissionsPolicyJudge
{
    public static void Judge(PolicyDocument document, IamBroadPolicyOptions options, List<PolicyVerdict> verdicts)
    {
        if (document.Problems.Count > 0 && options.IsEnabled(IamChecks.UnparseableDocument))
        {
            verdicts.Add(PolicyVerdict.Unparseable(document));
        }

        var statements = document.Statements;
        var judgeEscalation = options.IsEnabled(IamChecks.PrivilegeEscalation);
        var grants = judgeEscalation ? new ulong[statements.Count] : [];
        ulong documentGrant = 0;
        if (judgeEscalation)
        {
            for (var i = 0; i < statements.Count; i++)
            {
                grants[i] = EscalationGrant(statements[i]);
                documentGrant |= grants[i];
            }
        }

        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            if (!statement.IsAllow)
            {
                continue;
            }

            var admin = options.IsEnabled(IamChecks.AdminWildcard) && JudgeAdmin(statement, verdicts);
            if (!admin && options.IsEnabled(IamChecks.ServiceWildcard))
            {
                JudgeServiceWildcard(statement, options, verdicts);
            }

            if (options.IsEnabled(IamChecks.NotAction) && statement.NotActions is { } notActions)
            {
                verdicts.Add(new PolicyVerdict(IamChecks.NotAction, statement.Index, statement.HasCondition,
                    "allows every action except a list (Allow with NotAction)",
                    PolicyVerdict.StatementEvidence(statement, "NotAction " + string.Join(", ", notActions),
                        "Allow with NotAction grants every action of every service, present and future, except the ones listed")));
            }

            if (options.IsEnabled(IamChecks.NotResource) && statement.NotResources is { } notResources)
            {
                verdicts.Add(new PolicyVerdict(IamChecks.NotResource, statement.Index, statement.HasCondition,
                    "allows its actions on every resource except a list (Allow with NotResource)",
                    PolicyVerdict.StatementEvidence(statement, "NotResource " + string.Join(", ", notResources),
                        "Allow with NotResource grants the actions on every resource, present and future, except the ones listed")));
            }

            if (options.IsEnabled(IamChecks.NotPrincipal) && statement.NotPrincipal is not null)
            {
                verdicts.Add(NotPrincipalVerdict(statement));
            }

            if (!admin && judgeEscalation && grants[i] != 0)
            {
                JudgeEscalation(statement, grants[i], documentGrant, verdicts);
            }
        }
    }

    public static PolicyVerdict NotPrincipalVerdict(PolicyStatement statement) =>
        new(IamChecks.NotPrincipal, statement.Index, statement.HasCondition,
            "allows every principal except a list (Allow with NotPrincipal)",
            PolicyVerdict.StatementEvidence(statement, "NotPrincipal",
                "Allow with NotPrincipal grants access to every principal, including anonymous ones, except those listed"));

    private static bool JudgeAdmin(PolicyStatement statement, List<PolicyVerdict> verdicts)
    {
        var pattern = statement.Actions?.FirstOrDefault(IsEveryAction);
        if (pattern is null)
        {
            return false;
        }

        var everyResource = HasEveryResource(statement);
        var why = everyResource
            ? "Action '*' on Resource '*' is full administrator access"
            : "Action '*' allows every action of every service on the resources named";
        verdicts.Add(new PolicyVerdict(IamChecks.AdminWildcard, statement.Index,
            Lowered: statement.HasCondition || !everyResource,
            everyResource ? "allows every action on every resource" : "allows every action on the resources it names",
            PolicyVerdict.StatementEvidence(statement, $"Action '{pattern}'", why)));
        return true;
    }

    private static void JudgeServiceWildcard(PolicyStatement statement, IamBroadPolicyOptions options, List<PolicyVerdict> verdicts)
    {
        if (statement.Actions is null)
        {
            return;
        }

        List<string>? matched = null;
        foreach (var action in statement.Actions)
        {
            var colon = action.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IamGlob.IsAllStars(action.AsSpan(colon + 1)))
            {
                continue;
            }

            var service = action[..colon];
            if (!IamGlob.IsAllStars(service) && !options.AllowedServiceWildcards.Contains(service))
            {
                (matched ??= []).Add(action);
            }
        }

        if (matched is not null)
        {
            verdicts.Add(new PolicyVerdict(IamChecks.ServiceWildcard, statement.Index, statement.HasCondition,
                $"allows every action of a service ({string.Join(", ", matched)})",
                PolicyVerdict.StatementEvidence(statement, "Action " + string.Join(", ", matched),
                    "'service:*' grants every action of the service, present and future, including its administrative ones")));
        }
    }

    private static void JudgeEscalation(PolicyStatement statement, ulong grant, ulong documentGrant, List<PolicyVerdict> verdicts)
    {
        var singles = PrivilegeEscalationCatalog.Singles(grant);
        var combinations = PrivilegeEscalationCatalog.CombinationsTouching(grant, documentGrant).ToList();
        if (singles == 0 && combinations.Count == 0)
        {
            return;
        }

        var granted = PrivilegeEscalationCatalog.Names(singles != 0 ? singles : grant).ToList();
        var matchedBy = statement.Actions is { } actions
            ? "Action " + string.Join(", ", actions.Where(a => PrivilegeEscalationCatalog.Matching(a) != 0))
            : "NotAction " + string.Join(", ", statement.NotActions ?? []) + " (leaves them allowed)";
        var evidence = PolicyVerdict.StatementEvidence(statement, matchedBy,
            $"on Resource '*' it grants {string.Join(", ", granted)}, which let the holder give itself more privilege");
        // A statement that grants every catalogued action (Action "*", a broad NotAction) needs no list of combinations
        // to prove the point: name how many there are, so that its evidence is not buried under twenty lines.
        if (grant == PrivilegeEscalationCatalog.Everything && combinations.Count > 0)
        {
            evidence.Add($"combinations: the document also grants {combinations.Count} documented escalation combination(s)");
        }
        else
        {
            foreach (var combination in combinations)
            {
                evidence.Add($"combination: {string.Join(" + ", combination.Actions)} (the document grants all of them): {combination.Description}");
            }
        }

        verdicts.Add(new PolicyVerdict(IamChecks.PrivilegeEscalation, statement.Index, statement.HasCondition,
            $"allows privilege escalation ({string.Join(", ", granted)}) on every resource", evidence));
    }

    /// <summary>The catalog actions an Allow statement grants on every resource (0 when it names specific resources).</summary>
    private static ulong EscalationGrant(PolicyStatement statement)
    {
        if (!statement.IsAllow || !HasEveryResource(statement))
        {
            return 0;
        }

        ulong grant = 0;
        if (statement.Actions is { } actions)
        {
            foreach (var action in actions)
            {
                grant |= PrivilegeEscalationCatalog.Matching(action);
            }
        }

        if (statement.NotActions is { } notActions)
        {
            // NotAction allows everything it does not name: what the catalog holds minus what the patterns exclude.
            ulong excluded = 0;
            foreach (var action in notActions)
            {
                excluded |= PrivilegeEscalationCatalog.Matching(action);
            }

            grant |= PrivilegeEscalationCatalog.Everything & ~excluded;
        }

        return grant;
    }

    /// <summary><c>*</c>, <c>*:*</c>: a pattern that matches every action.</summary>
    private static bool IsEveryAction(string action)
    {
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? IamGlob.IsAllStars(action)
            : IamGlob.IsAllStars(action.AsSpan(0, colon)) && IamGlob.IsAllStars(action.AsSpan(colon + 1));
    }

    /// <summary>Resource <c>*</c>, or NotResource (which excludes a few and grants the rest).</summary>
    private static bool HasEveryResource(PolicyStatement statement) =>
        statement.NotResources is not null || (statement.Resources?.Any(r => IamGlob.IsAllStars(r)) ?? false);
}
