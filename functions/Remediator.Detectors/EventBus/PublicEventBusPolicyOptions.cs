using System.Text.RegularExpressions;

namespace Remediator.Detectors.EventBus;

/// <summary>Options of <see cref="PublicEventBusPolicyDetector"/>.</summary>
/// <param name="OrganizationId">The owner's organization: an <c>aws:PrincipalOrgID</c> condition equal to it makes a statement private.</param>
/// <param name="TrustedAccounts">Accounts that may be granted access; the bus owner's own account is always trusted.</param>
public sealed partial record PublicEventBusPolicyOptions(string? OrganizationId, IReadOnlyList<string> TrustedAccounts)
{
    public static OptionSpec OrganizationIdSpec { get; } = new(
        "organizationId", OptionKind.String,
        "The owner's AWS Organizations id (o-...). A statement pinned to it with aws:PrincipalOrgID is not public; any other organization id still is.");

    public static OptionSpec TrustedAccountsSpec { get; } = new(
        "trustedAccounts", OptionKind.StringList,
        "12-digit account ids a statement may be pinned to (aws:PrincipalAccount, aws:SourceAccount, or aws:SourceArn/aws:PrincipalArn in them).")
    {
        Default = Array.Empty<string>(),
    };

    public static IReadOnlyList<OptionSpec> Specs { get; } = [OrganizationIdSpec, TrustedAccountsSpec];

    public static PublicEventBusPolicyOptions Bind(OptionValues values)
    {
        var organizationId = OptionReading.String(values, OrganizationIdSpec);
        if (organizationId is not null && !OrganizationIdPattern().IsMatch(organizationId))
        {
            throw new ArgumentException(
                $"Option 'organizationId' must look like 'o-' followed by 10 to 32 lower-case letters or digits; got '{organizationId}'.");
        }

        var accounts = OptionReading.StringList(values, TrustedAccountsSpec);
        foreach (var account in accounts)
        {
            if (!ResourceArns.IsAccountId(account))
            {
                throw new ArgumentException($"Option 'trustedAccounts' must hold 12-digit account ids; got '{account}'.");
            }
        }

        return new PublicEventBusPolicyOptions(organizationId, accounts);
    }

    [GeneratedRegex("^o-[a-z0-9]{10,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex OrganizationIdPattern();
}
