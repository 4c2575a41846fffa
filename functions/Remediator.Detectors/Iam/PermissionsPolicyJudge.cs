using Remediator.Core;

namespace Remediator.Detectors.Iam;

/// <summary>
/// Judges identity-based (permissions) policies: what a user, group or role may do, on effective permissions
/// (<see cref="EffectivePermissions"/>): explicit Deny wins, resource patterns are read per action's resource type,
/// conditions are judged key by key. One finding per cause: a document that grants everything is reported by
/// <c>admin-wildcard</c> alone (its escalation and service wildcards say nothing more), and escalation is one verdict per
/// judged change, naming every path and the documents that make it.
/// </summary>
internal static class PermissionsPolicyJudge
{
    public static void Judge(PolicyDocument document, IamBroadPolicyOptions options, List<PolicyVerdict> verdicts) =>
        Judge(new PolicySource("this document", document), [], options, verdicts);

    /// <param name="primary">The document the event changed: statement-level checks judge it alone.</param>
    /// <param name="others">The principal's other policies, read from current state: escalation is judged on the union.</param>
    public static void Judge(PolicySource primary, IReadOnlyList<PolicySource> others, IamBroadPolicyOptions options, List<PolicyVerdict> verdicts)
    {
        var document = primary.Document;
        if (document.Problems.Count > 0 && options.IsEnabled(IamChecks.UnparseableDocument))
        {
            verdicts.Add(PolicyVerdict.Unparseable(document));
        }

        var own = new EffectivePermissions([primary]);
        var grantsEverything = false;
        foreach (var statement in document.Statements)
        {
            if (!statement.IsAllow || own.IsFullyDenied(statement))
            {
                continue;
            }

            var admin = JudgeAdmin(statement, out var adminVerdict);
            // Conditional or not: every escalation path of this document runs through this statement, so it is one cause.
            grantsEverything |= admin && EffectivePermissions.HasEveryResource(statement);
            if (admin && options.IsEnabled(IamChecks.AdminWildcard))
            {
                verdicts.Add(adminVerdict!);
            }

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
        }

        // Everything on everything is one cause: the admin-wildcard finding (its own rule) says it; an escalation
        // finding on top would be a second alarm for the same document.
        if (!grantsEverything && options.IsEnabled(IamChecks.PrivilegeEscalation))
        {
            var permissions = others.Count == 0 ? own : new EffectivePermissions([primary, .. others]);
            if (EscalationJudge.Judge(permissions, primary) is { } escalation)
            {
                verdicts.Add(escalation);
            }
        }
    }

    public static PolicyVerdict NotPrincipalVerdict(PolicyStatement statement) =>
        new(IamChecks.NotPrincipal, statement.Index, statement.HasCondition,
            "allows every principal except a list (Allow with NotPrincipal)",
            PolicyVerdict.StatementEvidence(statement, "NotPrincipal",
                "Allow with NotPrincipal grants access to every principal, including anonymous ones, except those listed"));

    private static bool JudgeAdmin(PolicyStatement statement, out PolicyVerdict? verdict)
    {
        verdict = null;
        var pattern = EveryActionPattern(statement);
        if (pattern is null)
        {
            return false;
        }

        var everyResource = EffectivePermissions.HasEveryResource(statement);
        var condition = statement.Conditions;
        var narrowed = condition.Strength >= ConditionStrength.Unknown;
        var why = everyResource
            ? $"Action '{pattern}' on every resource ({ResourceText(statement)}) is full administrator access"
            : "Action '*' allows every action of every service on the resources named";
        var evidence = PolicyVerdict.StatementEvidence(statement, $"Action '{pattern}'", why);
        evidence.AddRange(condition.Describe());
        verdict = new PolicyVerdict(IamChecks.AdminWildcard, statement.Index,
            Lowered: narrowed || !everyResource,
            everyResource ? "allows every action on every resource" : "allows every action on the resources it names",
            evidence)
        {
            Confident = !narrowed,
        };
        return true;
    }

    private static string? EveryActionPattern(PolicyStatement statement)
    {
        var actionList = statement.Actions;
        for (var iAction = 0; actionList is not null && iAction < actionList.Count; iAction++)
        {
            var action = actionList[iAction];
            if (EffectivePermissions.IsEveryAction(action))
            {
                return action;
            }
        }

        return null;
    }

    private static string ResourceText(PolicyStatement statement) =>
        statement.NotResources is { } excluded ? "NotResource " + string.Join(", ", excluded) : "Resource " + string.Join(", ", statement.Resources ?? []);

    private static void JudgeServiceWildcard(PolicyStatement statement, IamBroadPolicyOptions options, List<PolicyVerdict> verdicts)
    {
        if (statement.Actions is null)
        {
            return;
        }

        List<string>? matched = null;
        var allReadOnly = true;
        foreach (var action in statement.Actions)
        {
            var colon = action.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !Core.Engine.WildcardPattern.IsAllStars(action.AsSpan(colon + 1)))
            {
                continue;
            }

            var service = action[..colon];
            if (!Core.Engine.WildcardPattern.IsAllStars(service) && !options.AllowedServiceWildcards.Contains(service))
            {
                (matched ??= []).Add(action);
                allReadOnly &= ServiceAuthorizationReference.IsReadOnlyService(service);
            }
        }

        if (matched is not null)
        {
            var evidence = PolicyVerdict.StatementEvidence(statement, "Action " + string.Join(", ", matched),
                allReadOnly
                    ? "every action of these services only reads (IAM service authorization reference): broad, but it changes nothing"
                    : "'service:*' grants every action of the service, present and future, including its administrative ones");
            verdicts.Add(new PolicyVerdict(IamChecks.ServiceWildcard, statement.Index, statement.HasCondition,
                $"allows every action of a service ({string.Join(", ", matched)})", evidence)
            {
                SeverityCap = allReadOnly ? Severity.Low : null,
                Confident = !allReadOnly,
            });
        }
    }
}
