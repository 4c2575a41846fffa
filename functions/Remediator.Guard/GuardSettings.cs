using System.Globalization;
using Remediator.Core;
using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Rules;

namespace Remediator.Guard;

/// <summary>
/// A guard function's settings, read from the variables serverless.template sets and validated at init: every bad
/// value fails with an <see cref="InvalidSettingException"/> naming its variable.
/// </summary>
public sealed record GuardSettings
{
    public const string ConcernVariable = "REMEDIATOR_CONCERN";
    public const string AuditTableVariable = "REMEDIATOR_AUDIT_TABLE";
    public const string AuditRetentionDaysVariable = "REMEDIATOR_AUDIT_RETENTION_DAYS";
    public const string ExemptionTagVariable = "REMEDIATOR_EXEMPTION_TAG";
    public const string OwnPrincipalsVariable = "REMEDIATOR_OWN_PRINCIPALS";
    public const string GuardRolesVariable = "REMEDIATOR_GUARD_ROLES";
    public const string OrganizationIdVariable = "REMEDIATOR_ORGANIZATION_ID";
    public const string NotifyOnlyVariable = "REMEDIATOR_NOTIFY_ONLY";
    public const string AccountIdVariable = "REMEDIATOR_ACCOUNT_ID";
    public const string RegionVariable = "AWS_REGION";

    /// <summary>One of <see cref="Concerns.All"/>: which built-in rules this function runs.</summary>
    public required string Concern { get; init; }

    /// <summary>Name of the DynamoDB audit table (<see cref="Remediator.Aws.Audit.AuditTableDefinition"/>).</summary>
    public required string AuditTable { get; init; }

    public required string Region { get; init; }

    public int AuditRetentionDays { get; init; } = new AuditStoreOptions().RetentionDays;

    public string ExemptionTag { get; init; } = GuardOptions.DefaultExemptionTag;

    /// <summary>ARN patterns of the guard's own roles: their changes are never judged, so the guard cannot loop.</summary>
    public IReadOnlyList<string> OwnPrincipals { get; init; } = [];

    /// <summary>
    /// Exact ARNs of the stack's own roles (<c>!GetAtt Role.Arn</c>), for rules with <c>exempt.guardRoles</c>: an
    /// identity, never a pattern, so that a role merely named like the guard's is still judged.
    /// </summary>
    public IReadOnlyList<string> GuardRoles { get; init; } = [];

    public string? OrganizationId { get; init; }

    /// <summary>
    /// The account the function's own role acts in (the template passes <c>!Ref AWS::AccountId</c>). With it, a change
    /// to a resource of another account is refused instead of being made by name to this account's namesake.
    /// </summary>
    public string? AccountId { get; init; }

    /// <summary>The template's kill switch: every plan is reduced to its notifications.</summary>
    public bool NotifyOnly { get; init; }

    /// <summary>
    /// Overrides every rule's mode. Not read from the environment (the deployed switch is <see cref="NotifyOnly"/>;
    /// a rule's mode lives in its file): for tests and sandboxes that compose the guard in code.
    /// </summary>
    public RuleMode? ModeOverride { get; init; }

    public static GuardSettings FromEnvironment(Func<string, string?> readVariable)
    {
        ArgumentNullException.ThrowIfNull(readVariable);
        var settings = new GuardSettings
        {
            Concern = Required(readVariable, ConcernVariable),
            AuditTable = Required(readVariable, AuditTableVariable),
            Region = Required(readVariable, RegionVariable),
        };

        if (Optional(readVariable, AuditRetentionDaysVariable) is { } days)
        {
            settings = settings with
            {
                AuditRetentionDays = int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new InvalidSettingException(AuditRetentionDaysVariable, $"must be a whole number of days, got '{days}'."),
            };
        }

        if (Optional(readVariable, ExemptionTagVariable) is { } tag)
        {
            settings = settings with { ExemptionTag = tag };
        }

        if (Optional(readVariable, OwnPrincipalsVariable) is { } principals)
        {
            // The template joins role ARNs with commas; a condition that yields no value leaves an empty slot.
            settings = settings with
            {
                OwnPrincipals = [.. principals.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            };
        }

        if (Optional(readVariable, GuardRolesVariable) is { } guardRoles)
        {
            settings = settings with
            {
                GuardRoles = [.. guardRoles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            };
        }

        if (Optional(readVariable, OrganizationIdVariable) is { } organization)
        {
            settings = settings with { OrganizationId = organization };
        }

        if (Optional(readVariable, AccountIdVariable) is { } account)
        {
            settings = settings with { AccountId = account };
        }

        if (Optional(readVariable, NotifyOnlyVariable) is { } notifyOnly)
        {
            settings = settings with
            {
                NotifyOnly = notifyOnly.ToUpperInvariant() switch
                {
                    "TRUE" => true,
                    "FALSE" => false,
                    _ => throw new InvalidSettingException(NotifyOnlyVariable, $"must be true or false, got '{notifyOnly}'."),
                },
            };
        }

        return settings.Validated();
    }

    public GuardSettings Validated()
    {
        if (!Concerns.IsKnown(Concern))
        {
            throw new InvalidSettingException(ConcernVariable, $"'{Concern}' is not a concern; expected one of {string.Join(", ", Concerns.All)}.");
        }

        if (!IsTableName(AuditTable))
        {
            throw new InvalidSettingException(AuditTableVariable, $"'{AuditTable}' is not a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ - .).");
        }

        if (!IsRegionName(Region))
        {
            throw new InvalidSettingException(RegionVariable, $"'{Region}' is not a region name such as us-east-1.");
        }

        if (AuditRetentionDays is < 1 or > 36500)
        {
            throw new InvalidSettingException(AuditRetentionDaysVariable, $"must be between 1 and 36500 days, got {AuditRetentionDays}.");
        }

        if (AccountId is not null && !Core.Remediation.ResourceArns.IsAccountId(AccountId))
        {
            throw new InvalidSettingException(AccountIdVariable, $"must be a 12-digit account id, got '{AccountId}'.");
        }

        // IAM and DynamoDB tag keys: 1 to 128 characters.
        if (string.IsNullOrWhiteSpace(ExemptionTag) || ExemptionTag.Length > 128)
        {
            throw new InvalidSettingException(ExemptionTagVariable, $"must be a tag key of 1 to 128 characters, got '{ExemptionTag}'.");
        }

        foreach (var principal in OwnPrincipals)
        {
            if (!principal.StartsWith("arn:", StringComparison.Ordinal) || principal.Any(char.IsWhiteSpace))
            {
                throw new InvalidSettingException(OwnPrincipalsVariable, $"'{principal}' is not an ARN pattern (arn:..., * allowed).");
            }
        }

        try
        {
            _ = new Core.Engine.GuardRoles { Exact = GuardRoles }.Validated();
        }
        catch (ArgumentException exception)
        {
            throw new InvalidSettingException(GuardRolesVariable, exception.Message);
        }

        try
        {
            _ = ToGuardOptions();
        }
        catch (ArgumentException exception) when (OrganizationId is not null && exception.Message.Contains(nameof(GuardOptions.OrganizationId), StringComparison.Ordinal))
        {
            throw new InvalidSettingException(OrganizationIdVariable, $"'{OrganizationId}' is not an AWS Organizations id (o- and 10 to 32 lower-case letters or digits).");
        }

        return this;
    }

    public GuardOptions ToGuardOptions() => new GuardOptions
    {
        OwnPrincipals = OwnPrincipals,
        GuardRoles = new Core.Engine.GuardRoles { Exact = GuardRoles },
        ExemptionTag = ExemptionTag,
        OrganizationId = OrganizationId,
        NotifyOnly = NotifyOnly,
        ModeOverride = ModeOverride,
    }.Validated();

    public AuditStoreOptions ToAuditStoreOptions() => new AuditStoreOptions { RetentionDays = AuditRetentionDays }.Validated();

    private static string Required(Func<string, string?> readVariable, string variable) =>
        Optional(readVariable, variable) ?? throw new InvalidSettingException(variable, "is not set; the function's template sets it.");

    // CloudFormation passes an empty string for an optional parameter left blank: the same as unset.
    private static string? Optional(Func<string, string?> readVariable, string variable) =>
        readVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool IsTableName(string name) =>
        name.Length is >= 3 and <= 255 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    // The same shape AwsClientOptions accepts, checked here so that the error names the variable.
    private static bool IsRegionName(string region) =>
        region.Length <= 32 && region.Contains('-', StringComparison.Ordinal)
        && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
