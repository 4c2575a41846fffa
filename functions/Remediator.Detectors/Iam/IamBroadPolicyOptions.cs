using System.Collections.Frozen;
using Remediator.Core.Engine;
using Remediator.Core.Registry;

namespace Remediator.Detectors.Iam;

/// <summary>Options of the <c>iam-broad-policy</c> detector, validated when a rule is loaded.</summary>
public sealed record IamBroadPolicyOptions
{
    public const string ChecksOption = "checks";
    public const string AllowedServiceWildcardsOption = "allowedServiceWildcards";
    public const string TrustedAccountsOption = "trustedAccounts";
    public const string OrganizationIdOption = "organizationId";
    public const string IgnoredPolicyArnsOption = "ignoredPolicyArns";

    /// <summary>AWS attaches or puts its quarantine policies on leaked keys itself: never undo those.</summary>
    public static IReadOnlyList<string> DefaultIgnoredPolicyArns { get; } = ["arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine*"];

    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new(ChecksOption, OptionKind.StringList, "Checks to run; a rule may pick a subset to give it its own severity.")
        {
            AllowedValues = IamChecks.All,
            Default = IamChecks.All,
        },
        new(AllowedServiceWildcardsOption, OptionKind.StringList, "Services whose 'service:*' grant is accepted, e.g. logs.")
        {
            Default = Array.Empty<string>(),
        },
        new(TrustedAccountsOption, OptionKind.StringList, "12-digit account ids that trust policies may name (besides the role's own account).")
        {
            Default = Array.Empty<string>(),
        },
        new(OrganizationIdOption, OptionKind.String, "Your AWS Organizations id (o-...): a trust pinned to it with aws:PrincipalOrgID is accepted."),
        new(IgnoredPolicyArnsOption, OptionKind.StringList,
            "Managed policy ARN patterns ('*' allowed) never judged. Setting it replaces the default, so keep AWSCompromisedKeyQuarantine* in it.")
        {
            Default = DefaultIgnoredPolicyArns,
        },
    ];

    public static IamBroadPolicyOptions Default { get; } = Bind(OptionValues.Empty);

    public required IReadOnlySet<string> Checks { get; init; }

    /// <summary>Lower-case service prefixes.</summary>
    public required IReadOnlySet<string> AllowedServiceWildcards { get; init; }

    public required IReadOnlySet<string> TrustedAccounts { get; init; }

    public string? OrganizationId { get; init; }

    public required IReadOnlyList<string> IgnoredPolicyArns { get; init; }

    public bool IsEnabled(string check) => Checks.Contains(check);

    public bool IsIgnoredPolicy(string policyArn) => IgnoredPolicyArns.Any(pattern => WildcardPattern.IsMatch(pattern, policyArn, ignoreCase: true));

    /// <summary>Binds and validates; throws <see cref="ArgumentException"/> naming the option and the bad value.</summary>
    public static IamBroadPolicyOptions Bind(OptionValues values)
    {
        var checks = values.Has(ChecksOption) ? values.GetStringList(ChecksOption) : IamChecks.All;
        if (checks.Count == 0)
        {
            throw new ArgumentException($"Option '{ChecksOption}' must name at least one check: {string.Join(", ", IamChecks.All)}.", nameof(values));
        }

        foreach (var check in checks)
        {
            if (!IamChecks.All.Contains(check, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"Option '{ChecksOption}': unknown check '{check}'; known checks are {string.Join(", ", IamChecks.All)}.", nameof(values));
            }
        }

        var services = values.GetStringList(AllowedServiceWildcardsOption);
        foreach (var service in services)
        {
            if (service.Length == 0 || !service.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                throw new ArgumentException(
                    $"Option '{AllowedServiceWildcardsOption}': '{service}' is not a service prefix (letters, digits and '-', e.g. 'logs', without ':*').",
                    nameof(values));
            }
        }

        var accounts = values.GetStringList(TrustedAccountsOption);
        foreach (var account in accounts)
        {
            if (!IsAccountId(account))
            {
                throw new ArgumentException($"Option '{TrustedAccountsOption}': '{account}' is not a 12-digit AWS account id.", nameof(values));
            }
        }

        var organizationId = values.GetString(OrganizationIdOption);
        if (organizationId is not null && !IsOrganizationId(organizationId))
        {
            throw new ArgumentException(
                $"Option '{OrganizationIdOption}': '{organizationId}' is not an AWS Organizations id ('o-' and 10 to 32 lower-case letters or digits).",
                nameof(values));
        }

        var ignored = values.Has(IgnoredPolicyArnsOption) ? values.GetStringList(IgnoredPolicyArnsOption) : DefaultIgnoredPolicyArns;
        foreach (var pattern in ignored)
        {
            if (!pattern.StartsWith("arn:", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Option '{IgnoredPolicyArnsOption}': '{pattern}' is not a policy ARN pattern (it must start with 'arn:').", nameof(values));
            }
        }

        return new IamBroadPolicyOptions
        {
            Checks = checks.ToFrozenSet(StringComparer.Ordinal),
            AllowedServiceWildcards = services.Select(s => s.ToLowerInvariant()).ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            TrustedAccounts = accounts.ToFrozenSet(StringComparer.Ordinal),
            OrganizationId = organizationId,
            IgnoredPolicyArns = ignored.ToArray(),
        };
    }

    public static bool IsAccountId(string? text) => text is { Length: 12 } && text.All(char.IsAsciiDigit);

    private static bool IsOrganizationId(string text) =>
        text.Length is >= 12 and <= 34 && text.StartsWith("o-", StringComparison.Ordinal)
        && text[2..].All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));
}
