using System.Text.Json;
using Remediator.Core.Engine;

namespace Remediator.Detectors.Iam;

/// <summary>
/// Judges a role's trust policy (who may assume it). Service and federated principals are how AWS services and
/// identity providers use roles and are not findings here. A principal that is anyone, or an account that is neither
/// the role's own nor trusted, is a finding unless a condition pins callers down; any other condition only lowers
/// the severity one step.
/// </summary>
internal static class TrustPolicyJudge
{
    // Positive, exact operators only: "...IfExists" passes when the key is missing, "Not..." inverts, and
    // "ForAllValues:" passes on an empty set, so none of them restricts who may assume the role.
    private static readonly string[] RestrictiveOperators = ["StringEquals", "StringEqualsIgnoreCase", "StringLike"];

    public static void Judge(PolicyDocument document, IamBroadPolicyOptions options, string? ownAccount, List<PolicyVerdict> verdicts)
    {
        if (document.Problems.Count > 0 && options.IsEnabled(IamChecks.UnparseableDocument))
        {
            verdicts.Add(PolicyVerdict.Unparseable(document));
        }

        foreach (var statement in document.Statements)
        {
            if (!statement.IsAllow)
            {
                continue;
            }

            if (options.IsEnabled(IamChecks.NotPrincipal) && statement.NotPrincipal is not null)
            {
                verdicts.Add(PermissionsPolicyJudge.NotPrincipalVerdict(statement));
            }

            if (statement.Principal is not { } principal)
            {
                continue;
            }

            if (options.IsEnabled(IamChecks.PublicTrust))
            {
                JudgePublic(statement, principal, options, ownAccount, verdicts);
            }

            if (options.IsEnabled(IamChecks.UntrustedAccountTrust))
            {
                JudgeUntrustedAccounts(statement, principal, options, ownAccount, verdicts);
            }
        }
    }

    private static void JudgePublic(
        PolicyStatement statement, PolicyPrincipal principal, IamBroadPolicyOptions options, string? ownAccount, List<PolicyVerdict> verdicts)
    {
        var publicValue = principal.Everyone ? "Principal \"*\"" : principal.Aws.FirstOrDefault(IsAnyone) is { } v ? $"AWS \"{v}\"" : null;
        if (publicValue is null || IsPinned(statement, options, ownAccount, externalIdCounts: false))
        {
            return;
        }

        // sts:ExternalId is no protection when anyone may try: only another key that narrows (or one not understood,
        // said so in the evidence) lowers the severity.
        var condition = ConditionMeaning.Judge(statement);
        var narrowedBeyondExternalId = condition.Unknown.Count > 0
            || condition.Narrowing.Any(n => !n.EndsWith(" sts:ExternalId", StringComparison.OrdinalIgnoreCase));
        var evidence = PolicyVerdict.StatementEvidence(statement, publicValue,
            statement.HasCondition
                ? "anyone may assume the role; its condition does not pin callers to this organization or to trusted accounts (sts:ExternalId is no protection when anyone can try)"
                : "anyone may assume the role: no condition pins callers to this organization or to trusted accounts");
        evidence.AddRange(condition.Describe());
        verdicts.Add(new PolicyVerdict(IamChecks.PublicTrust, statement.Index, narrowedBeyondExternalId,
            "can be assumed by any AWS principal in any account", evidence)
        {
            Confident = !narrowedBeyondExternalId,
        });
    }

    private static void JudgeUntrustedAccounts(
        PolicyStatement statement, PolicyPrincipal principal, IamBroadPolicyOptions options, string? ownAccount, List<PolicyVerdict> verdicts)
    {
        List<string>? untrusted = null;
        foreach (var value in principal.Aws)
        {
            var account = AccountOf(value);
            if (account is not null && account != ownAccount && !options.TrustedAccounts.Contains(account)
                && !(untrusted?.Contains(account) ?? false))
            {
                (untrusted ??= []).Add(account);
            }
        }

        if (untrusted is null || IsPinned(statement, options, ownAccount, externalIdCounts: true))
        {
            return;
        }

        verdicts.Add(new PolicyVerdict(IamChecks.UntrustedAccountTrust, statement.Index, statement.HasCondition,
            $"can be assumed from account(s) not on the trusted list ({string.Join(", ", untrusted)})",
            PolicyVerdict.StatementEvidence(statement, "AWS " + string.Join(", ", untrusted),
                "another account may assume the role without sts:ExternalId, aws:PrincipalOrgID of this organization, or aws:PrincipalAccount of a trusted account")));
    }

    /// <summary><c>*</c>, or an ARN whose account field is a wildcard (<c>arn:aws:iam::*:root</c>).</summary>
    private static bool IsAnyone(string value)
    {
        if (WildcardPattern.IsAllStars(value))
        {
            return true;
        }

        var parts = value.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && WildcardPattern.HasWildcard(parts[4]);
    }

    /// <summary>The 12-digit account of an AWS principal (an account id or an IAM/STS ARN); null when it has none.</summary>
    private static string? AccountOf(string value)
    {
        if (IamBroadPolicyOptions.IsAccountId(value))
        {
            return value;
        }

        var parts = value.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && IamBroadPolicyOptions.IsAccountId(parts[4]) ? parts[4] : null;
    }

    /// <summary>
    /// True when a condition restricts callers to this organization (<c>aws:PrincipalOrgID</c> = the configured id),
    /// to trusted accounts (<c>aws:PrincipalAccount</c>/<c>aws:SourceAccount</c>), or, for a named account, to callers
    /// who know a shared secret (<c>sts:ExternalId</c>).
    /// </summary>
    private static bool IsPinned(PolicyStatement statement, IamBroadPolicyOptions options, string? ownAccount, bool externalIdCounts)
    {
        if (!statement.HasCondition)
        {
            return false;
        }

        foreach (var block in statement.Condition.EnumerateObject())
        {
            if (!RestrictiveOperators.Contains(block.Name, StringComparer.Ordinal) || block.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var isLike = block.Name == "StringLike";
            foreach (var condition in block.Value.EnumerateObject())
            {
                var values = PolicyStatement.ReadStrings(condition.Value);
                if (values is null || values.Count == 0)
                {
                    continue;
                }

                var key = condition.Name;
                bool pinned;
                if (key.Equals("aws:PrincipalOrgID", StringComparison.OrdinalIgnoreCase))
                {
                    pinned = options.OrganizationId is { } org && values.All(v => v == org);
                }
                else if (key.Equals("aws:PrincipalAccount", StringComparison.OrdinalIgnoreCase)
                    || key.Equals("aws:SourceAccount", StringComparison.OrdinalIgnoreCase))
                {
                    pinned = values.All(v => v == ownAccount || options.TrustedAccounts.Contains(v));
                }
                else if (key.Equals("sts:ExternalId", StringComparison.OrdinalIgnoreCase))
                {
                    pinned = externalIdCounts && values.All(v => v.Length > 0 && !(isLike && WildcardPattern.HasWildcard(v)));
                }
                else
                {
                    pinned = false;
                }

                if (pinned)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
