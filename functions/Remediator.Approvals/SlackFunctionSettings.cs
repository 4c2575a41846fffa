using System.Globalization;
using Remediator.Core.Audit;
using Remediator.Core.Engine;

namespace Remediator.Approvals;

/// <summary>
/// Settings of the two functions built from <c>Remediator.Functions.Slack</c>, from the variables serverless.template
/// sets, validated at init. <see cref="Part"/> says which one this is: <c>actions</c> (the interactivity endpoint) or
/// <c>worker</c> (the approval worker and the expiry). Each part requires only what it uses.
/// </summary>
public sealed record SlackFunctionSettings
{
    public const string PartVariable = "REMEDIATOR_SLACK_PART";
    public const string AuditTableVariable = "REMEDIATOR_AUDIT_TABLE";
    public const string AuditRetentionDaysVariable = "REMEDIATOR_AUDIT_RETENTION_DAYS";
    public const string SigningParameterVariable = "REMEDIATOR_SLACK_SIGNING_PARAMETER";
    public const string BotTokenParameterVariable = "REMEDIATOR_SLACK_BOT_TOKEN_PARAMETER";
    public const string QueueUrlVariable = "REMEDIATOR_DECISION_QUEUE_URL";
    public const string ExemptionTagVariable = "REMEDIATOR_EXEMPTION_TAG";
    public const string ResponseHostsVariable = "REMEDIATOR_SLACK_RESPONSE_HOSTS";
    public const string AccountIdVariable = "REMEDIATOR_ACCOUNT_ID";
    public const string RegionVariable = "AWS_REGION";
    public const string Actions = "actions";
    public const string Worker = "worker";

    public required string Part { get; init; }

    public required string AuditTable { get; init; }

    public required string Region { get; init; }

    public int AuditRetentionDays { get; init; } = new AuditStoreOptions().RetentionDays;

    /// <summary>actions: the SSM SecureString holding the Slack signing secret (its name, never its value).</summary>
    public string? SigningParameter { get; init; }

    /// <summary>
    /// actions, optional: the SSM SecureString holding the Slack app's bot token (its name, never its value). With it,
    /// user-group approvers are resolved (usergroups:read) and Deny asks for a reason in a dialog; without it, members of
    /// a group approver are refused and Deny records that no reason could be asked for.
    /// </summary>
    public string? BotTokenParameter { get; init; }

    /// <summary>actions: the worker's queue.</summary>
    public string? QueueUrl { get; init; }

    /// <summary>worker: the tag that exempts a resource (the guards' <c>REMEDIATOR_EXEMPTION_TAG</c>).</summary>
    public string ExemptionTag { get; init; } = GuardOptions.DefaultExemptionTag;

    /// <summary>
    /// worker: the account its role acts in (<c>!Ref AWS::AccountId</c>). A decision on a resource of another account
    /// (a member account's finding) is then recorded as failed, with nothing called, instead of being carried out by
    /// name on this account's namesake.
    /// </summary>
    public string? AccountId { get; init; }

    /// <summary>worker: the hosts a response_url may name.</summary>
    public IReadOnlyList<string> ResponseHosts { get; init; } = ["hooks.slack.com"];

    public static SlackFunctionSettings FromEnvironment(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var settings = new SlackFunctionSettings
        {
            Part = Required(read, PartVariable),
            AuditTable = Required(read, AuditTableVariable),
            Region = Required(read, RegionVariable),
            SigningParameter = Optional(read, SigningParameterVariable),
            QueueUrl = Optional(read, QueueUrlVariable),
            BotTokenParameter = Optional(read, BotTokenParameterVariable),
            AccountId = Optional(read, AccountIdVariable),
        };
        if (Optional(read, AuditRetentionDaysVariable) is { } days)
        {
            settings = settings with
            {
                AuditRetentionDays = int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw new ArgumentException($"{AuditRetentionDaysVariable} must be a whole number of days."),
            };
        }

        if (Optional(read, ExemptionTagVariable) is { } tag)
        {
            settings = settings with { ExemptionTag = tag };
        }

        if (Optional(read, ResponseHostsVariable) is { } hosts)
        {
            settings = settings with { ResponseHosts = [.. hosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] };
        }

        return settings.Validated();
    }

    public SlackFunctionSettings Validated()
    {
        if (Part is not (Actions or Worker))
        {
            throw new ArgumentException($"{PartVariable} must be '{Actions}' or '{Worker}', got '{Part}'.");
        }

        if (Part == Actions && (SigningParameter is null || QueueUrl is null))
        {
            throw new ArgumentException($"the actions function needs {SigningParameterVariable} and {QueueUrlVariable}.");
        }

        if (Part == Actions && !Uri.TryCreate(QueueUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"{QueueUrlVariable} is not an absolute URL.");
        }

        if (AccountId is not null && !Core.Remediation.ResourceArns.IsAccountId(AccountId))
        {
            throw new ArgumentException($"{AccountIdVariable} must be a 12-digit account id, got '{AccountId}'.");
        }

        if (BotTokenParameter is { } token && (Part != Actions || !token.StartsWith('/') || token.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"{BotTokenParameterVariable} is for the actions function and must be an SSM parameter name such as /remediator/slack-bot-token (never the token itself).");
        }

        if (AuditTable.Length is < 3 or > 255 || Region.Length is < 5 or > 32)
        {
            throw new ArgumentException($"{AuditTableVariable} or {RegionVariable} is not a table or region name.");
        }

        if (ResponseHosts.Count == 0 || ResponseHosts.Any(h => h.Contains('/', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"{ResponseHostsVariable} must list host names, e.g. hooks.slack.com.");
        }

        _ = ToAuditStoreOptions();
        return this;
    }

    public AuditStoreOptions ToAuditStoreOptions() => new AuditStoreOptions { RetentionDays = AuditRetentionDays }.Validated();

    private static string Required(Func<string, string?> read, string variable) =>
        Optional(read, variable) ?? throw new ArgumentException($"{variable} is not set; the function's template sets it.");

    private static string? Optional(Func<string, string?> read, string variable) =>
        read(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
