using System.Text.Json;
using System.Text.Json.Nodes;

namespace Remediator.Detectors.EventBus;

/// <summary>Why a statement is public, and whether a (non-pinning) condition narrows it.</summary>
/// <param name="Reach">Who the statement really lets in, for the finding's sentence: "any AWS account", or fewer when a
/// condition narrows it without pinning it to the trusted set (e.g. another organization).</param>
internal sealed record BusStatementVerdict(bool IsPublic, bool HasCondition, string Reason, string Reach = BusStatementVerdict.AnyAccount)
{
    public const string AnyAccount = "any AWS account";

    public static BusStatementVerdict NotPublic { get; } = new(false, false, "not public");
}

/// <summary>
/// Decides whether one bus policy statement lets any AWS account in. Public: an Allow whose principal is <c>*</c>,
/// <c>{"AWS":"*"}</c> (or a list holding it), <c>arn:aws:iam::*:root</c>, or any NotPrincipal (everyone but a few),
/// unless a condition pins callers to the owner's organization or to trusted accounts.
/// </summary>
internal sealed class BusStatementJudge
{
    private static readonly string[] OrganizationKeys = ["aws:PrincipalOrgID"];
    private static readonly string[] AccountKeys = ["aws:PrincipalAccount", "aws:SourceAccount"];
    private static readonly string[] ArnKeys = ["aws:SourceArn", "aws:PrincipalArn"];

    // Operators that require the key to be present and equal to one of the values. IfExists variants pass when the
    // key is absent and ForAllValues passes on an empty set, so neither pins anything.
    private static readonly string[] EqualityOperators = ["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"];

    private readonly string? _organizationId;
    private readonly HashSet<string> _trustedAccounts;

    public BusStatementJudge(PublicEventBusPolicyOptions options, string? ownerAccount)
    {
        _organizationId = options.OrganizationId;
        _trustedAccounts = new HashSet<string>(options.TrustedAccounts, StringComparer.Ordinal);
        if (ResourceArns.IsAccountId(ownerAccount))
        {
            _trustedAccounts.Add(ownerAccount!);
        }
    }

    public BusStatementVerdict Judge(JsonObject statement)
    {
        var effect = Text(BusPolicy.FindIgnoreCase(statement, "Effect"));
        if (!string.Equals(effect, "Allow", StringComparison.OrdinalIgnoreCase))
        {
            return BusStatementVerdict.NotPublic;
        }

        string reason;
        if (BusPolicy.FindIgnoreCase(statement, "NotPrincipal") is not null)
        {
            reason = "Allow with NotPrincipal grants every account but the ones named";
        }
        else if (PublicPrincipal(BusPolicy.FindIgnoreCase(statement, "Principal")) is { } principal)
        {
            reason = $"Allow to principal {principal}";
        }
        else
        {
            return BusStatementVerdict.NotPublic;
        }

        var condition = BusPolicy.FindIgnoreCase(statement, "Condition") as JsonObject;
        if (condition is not null && Pins(condition))
        {
            return BusStatementVerdict.NotPublic;
        }

        var hasCondition = condition is { Count: > 0 };
        var organizations = condition is null ? [] : OrganizationsNamed(condition);
        var reach = organizations.Count > 0
            ? $"any account in organization {string.Join(" or ", organizations)}" + (_organizationId is null ? " (no organizationId is configured as trusted)" : $" (the trusted organization is {_organizationId})")
            : BusStatementVerdict.AnyAccount;
        return new BusStatementVerdict(true, hasCondition,
            hasCondition ? reason + ", with a condition that does not pin callers to the organization or trusted accounts" : reason + " without a condition",
            reach);
    }

    /// <summary>The public principal's text, or null when the principal names specific accounts or services.</summary>
    private static string? PublicPrincipal(JsonNode? principal)
    {
        switch (principal)
        {
            case JsonValue value when IsAnyone(Text(value)):
                return $"'{Text(value)}'";
            case JsonObject map when BusPolicy.FindIgnoreCase(map, "AWS") is { } aws:
                return Values(aws).FirstOrDefault(IsAnyone) is { } found ? $"{{\"AWS\": \"{found}\"}}" : null;
            default:
                return null;
        }
    }

    private static bool IsAnyone(string? principal) =>
        principal == "*"
        || (principal is not null && principal.StartsWith("arn:", StringComparison.Ordinal)
            && principal.EndsWith(":iam::*:root", StringComparison.Ordinal));

    /// <summary>Organization ids an equality condition on aws:PrincipalOrgID limits callers to.</summary>
    private static List<string> OrganizationsNamed(JsonObject condition)
    {
        var found = new List<string>();
        foreach (var (op, keys) in condition)
        {
            var baseOperator = op.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase) ? op["ForAnyValue:".Length..] : op;
            if (EqualityOperators.Contains(baseOperator, StringComparer.OrdinalIgnoreCase) && keys is JsonObject keyMap)
            {
                found.AddRange(keyMap.Where(k => OrganizationKeys.Contains(k.Key, StringComparer.OrdinalIgnoreCase)).SelectMany(k => Values(k.Value)));
            }
        }

        return found;
    }

    /// <summary>Conditions are ANDed: one pinning operator/key pair is enough.</summary>
    private bool Pins(JsonObject condition)
    {
        foreach (var (op, keys) in condition)
        {
            var baseOperator = op.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase) ? op["ForAnyValue:".Length..] : op;
            if (!EqualityOperators.Contains(baseOperator, StringComparer.OrdinalIgnoreCase) || keys is not JsonObject keyMap)
            {
                continue;
            }

            foreach (var (key, node) in keyMap)
            {
                var values = Values(node);
                if (values.Count > 0 && PinsKey(key, values))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool PinsKey(string key, IReadOnlyList<string> values)
    {
        if (OrganizationKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            // Any other organization id in the list still lets that organization in: public (Prowler accepts it).
            return _organizationId is not null && values.All(v => string.Equals(v, _organizationId, StringComparison.Ordinal));
        }

        if (AccountKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return values.All(_trustedAccounts.Contains);
        }

        if (ArnKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return values.All(v => ResourceArns.IsArn(v) && ResourceArns.AccountOf(v) is { } account && _trustedAccounts.Contains(account));
        }

        return false;
    }

    private static List<string> Values(JsonNode? node) =>
        node switch
        {
            JsonArray list => list.Select(Text).OfType<string>().ToList(),
            JsonValue value when Text(value) is { } text => [text],
            _ => [],
        };

    private static string? Text(JsonNode? node) =>
        node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
                _ => null,
            }
            : null;
}
