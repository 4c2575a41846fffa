using System.Text;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Remediator.Aws.Audit;
using Remediator.Operations;
using Remediator.Aws.Inventory;
using Remediator.Aws.Organization;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Core;
using Remediator.Core.Execution;
using Remediator.Core.Rules;
using Remediator.Core.Sweep;
using Remediator.Composition;
using Remediator.Runtime;
using Remediator.Runtime.Resilience;

namespace Remediator.Guard;

/// <summary>
/// The scheduled sweep, one function for every concern and account. The schedule's invocation fans out: one SQS message
/// per (account, concern). Each message's invocation sweeps that unit with the same settings, rules and audit trail as
/// the concern's guard, in the member account through that account's per-concern role; when its deadline nears it
/// stops and sends the unit back to the queue with the listing index to resume at, so a large estate continues rather
/// than restarts. A unit that fails leaves its message to SQS's retries and the queue's dead-letter queue.
/// </summary>
public sealed class SweepFunction : IDisposable
{
    public const string QueueUrlVariable = "REMEDIATOR_SWEEP_QUEUE_URL";
    public const string AccountsVariable = "REMEDIATOR_SWEEP_ACCOUNTS";

    /// <summary>EMF metric: new sweep findings for changes whose event never reached a guard.</summary>
    public const string MissedEventsMetric = "MissedEvents";

    /// <summary>Stop judging this long before the deadline: time to complete records in flight and enqueue the rest.</summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(20);

    private readonly Func<string, string?> _read;
    private readonly GuardOverrides _overrides;
    private readonly OrganizationSettings? _organization;
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly IReadOnlyList<string> _accounts;
    private readonly AwsClientOptions _clientOptions;
    private readonly AwsTransportSettings _transport;
    private readonly AwsClients _central;
    private readonly DynamoDbAuditStore _store;
    private readonly string? _externalId;

    // The transports' retries (throttling is expected at sweep scale) are logged and counted in EMF for the invocation bound to it.
    private readonly RetryTelemetry _retries = new();

    private SweepFunction(Func<string, string?> read, GuardOverrides overrides, IAmazonSQS sqs)
    {
        _read = read;
        _overrides = overrides;
        _sqs = sqs;
        _organization = OrganizationSettings.FromEnvironment(read);
        _queueUrl = read(QueueUrlVariable) is { Length: > 0 } url ? url : throw new InvalidSettingException(QueueUrlVariable, "is not set; the template sets it.");
        var members = (read(AccountsVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (members.Length > 0 && _organization is null)
        {
            throw new InvalidSettingException(AccountsVariable, $"names member accounts, but {OrganizationSettings.CentralAccountVariable} and {OrganizationSettings.ExternalIdParameterVariable} are not set.");
        }

        var settings = SettingsFor(Concerns.All[0]);
        _clientOptions = new AwsClientOptions { Region = settings.Region, EndpointUrl = overrides.EndpointUrl };
        _transport = new AwsTransportSettings
        {
            Credentials = overrides.Credentials,
            Environment = overrides.Environment,
            InnerHandler = overrides.InnerHandler,
            TimeProvider = overrides.Clock ?? TimeProvider.System,
            Retries = _retries,
        };
        _central = new AwsClients(_clientOptions, _transport, overrides.DynamoDb);
        _store = new DynamoDbAuditStore(_central.DynamoDb, settings.AuditTable, settings.ToAuditStoreOptions(), _transport.TimeProvider);
        _externalId = _organization is null ? null : ExternalIdParameter.ReadAsync(_clientOptions, _transport, _organization.ExternalIdParameter).GetAwaiter().GetResult();
        _accounts = [_organization?.CentralAccountId ?? "", .. members.Where(m => m != _organization?.CentralAccountId)];
    }

    public static Task<int> RunAsync() => RunAsync(Environment.GetEnvironmentVariable, null, CancellationToken.None);

    internal static async Task<int> RunAsync(Func<string, string?> read, GuardOverrides? overrides, CancellationToken cancellationToken)
    {
        SweepFunction? sweep = null;
        try
        {
            return await LambdaRuntimeHost.RunMainAsync(() =>
            {
                sweep = Create(read, overrides);
                return ValueTask.FromResult(sweep.CreateHandler());
            }, LambdaRuntimeOptions.FromEnvironment("sweep", read), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sweep?.Dispose();
        }
    }

    /// <param name="sqs">The queue client (tests); null builds one from the environment's credentials.</param>
    public static SweepFunction Create(Func<string, string?> read, GuardOverrides? overrides = null, IAmazonSQS? sqs = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        overrides ??= new GuardOverrides();
        sqs ??= new AmazonSQSClient(new AmazonSQSConfig { ServiceURL = overrides.EndpointUrl?.ToString(), AuthenticationRegion = read(GuardSettings.RegionVariable) });
        return new SweepFunction(read, overrides, sqs);
    }

    public InvocationHandler CreateHandler() =>
        async (context, payload, cancellationToken) =>
        {
            var reply = await HandleAsync(payload, new GuardInvocation(context.Logger, context.Metrics, context.Deadline), cancellationToken).ConfigureAwait(false);
            return (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(reply);
        };

    /// <summary>The schedule's event fans out; an SQS batch sweeps its units. Returns a one-line JSON summary.</summary>
    public async Task<string> HandleAsync(ReadOnlyMemory<byte> payload, GuardInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        using var reporting = _retries.Bind(invocation.Logger, invocation.Metrics);
        using var document = JsonDocument.Parse(payload.Length == 0 ? "{}"u8.ToArray() : payload.ToArray());
        if (!document.RootElement.TryGetProperty("Records", out var records))
        {
            var units = 0;
            for (var account = 0; account < _accounts.Count; account++)
            {
                foreach (var concern in Concerns.All)
                {
                    await EnqueueAsync(new SweepUnit(account, concern, 0), cancellationToken).ConfigureAwait(false);
                    units++;
                }
            }

            invocation.Logger.Log(Runtime.Logging.LogLevel.Info, "sweep scheduled", null, ("units", units), ("accounts", _accounts.Count));
            return $$"""{"scheduled":{{units}}}""";
        }

        var swept = new List<string>();
        foreach (var record in records.EnumerateArray())
        {
            var unit = SweepUnit.Parse(record.GetProperty("body").GetString() ?? "{}");
            swept.Add(await SweepAsync(unit, invocation, cancellationToken).ConfigureAwait(false));
        }

        return "[" + string.Join(",", swept) + "]";
    }

    private async Task<string> SweepAsync(SweepUnit unit, GuardInvocation invocation, CancellationToken cancellationToken)
    {
        var settings = SettingsFor(unit.Concern);
        var rules = RulesOf(unit.Concern);
        var accountId = _accounts[unit.Account];
        MemberAccountRoles? roles = null;
        AwsClients clients = _central;
        AwsTransportSettings transport = _transport;
        try
        {
            if (_organization is not null && !string.IsNullOrEmpty(accountId) && accountId != _organization.CentralAccountId)
            {
                roles = new MemberAccountRoles(_organization.ToRoleOptions(unit.Concern, _externalId!), _clientOptions, _transport);
                var session = await roles.SessionAsync(accountId, MemberRoleOptions.SessionName("sweep-" + unit.Concern, null), cancellationToken).ConfigureAwait(false);
                transport = new AwsTransportSettings
                {
                    Credentials = session.Credentials, Environment = _transport.Environment, InnerHandler = _transport.InnerHandler,
                    TimeProvider = _transport.TimeProvider, Retries = _transport.Retries,
                };
                clients = new AwsClients(_clientOptions, transport);
            }

            using var inventory = new AwsResourceInventory(clients, transport);
            var store = new SweepAuditStore(_store);
            var ports = AwsStatePorts.Create(clients);
            var history = new AuditRemediationHistory(store);
            // Bound to the account the unit is for (a member's, or this function's own), so a resource the listing
            // reported from elsewhere is never changed by name here.
            var actsIn = !string.IsNullOrEmpty(accountId) ? accountId : settings.AccountId;
            var coordinator = new RemediationCoordinator(store, AwsStepExecutor.Bound(clients, actsIn, _transport.TimeProvider), _transport.TimeProvider);
            var runner = new SweepRunner(inventory, () => GuardComposition.CreateEngine(rules, ports, settings.ToGuardOptions(), history, _transport.TimeProvider),
                coordinator, store, new SweepOptions
                {
                    Concerns = [unit.Concern], ModeOverride = settings.ModeOverride, StartAt = unit.StartAt,
                    Deadline = invocation.Deadline == DateTimeOffset.MaxValue ? null : invocation.Deadline,
                });
            var stop = invocation.Deadline == DateTimeOffset.MaxValue ? TimeSpan.MaxValue : invocation.Deadline - _transport.TimeProvider.GetUtcNow() - StopMargin;
            using var stopAt = stop == TimeSpan.MaxValue ? new CancellationTokenSource() : new CancellationTokenSource(stop > TimeSpan.Zero ? stop : TimeSpan.Zero);
            var summary = await runner.RunAsync(result =>
            {
                if (result.Error is not null)
                {
                    invocation.Logger.Log(Runtime.Logging.LogLevel.Warn, "resource not judged", null, ("resource", result.Resource), ("error", result.Error));
                }

                foreach (var finding in result.Findings.Where(f => !f.IsNew))
                {
                    invocation.Logger.Log(Runtime.Logging.LogLevel.Info, "still open", null, ("id", finding.Record.Id), ("since", Core.Audit.AuditJson.FormatTime(finding.OpenSince!.Value)));
                }

                return ValueTask.CompletedTask;
            }, cancellationToken, stopAt.Token).ConfigureAwait(false);

            if (summary.ResumeAt is { } resume)
            {
                await EnqueueAsync(unit with { StartAt = resume.StartAt }, cancellationToken).ConfigureAwait(false);
            }

            invocation.Metrics.Count(MissedEventsMetric, summary.MissedEvents);
            invocation.Metrics.Count(Runtime.Metrics.MetricNames.Remediations, summary.Applied);
            invocation.Metrics.Count(Runtime.Metrics.MetricNames.Failures, summary.FailedChanges + summary.FailedResources);
            var line = SweepJson.Summary(summary, await inventory.AccountAsync(cancellationToken).ConfigureAwait(false), inventory.Region);
            invocation.Logger.Log(summary.MissedEvents > 0 ? Runtime.Logging.LogLevel.Warn : Runtime.Logging.LogLevel.Info, "sweep unit done", null,
                ("concern", unit.Concern), ("summary", line), ("resumeAt", summary.ResumeAt?.StartAt ?? -1));
            return line;
        }
        finally
        {
            if (!ReferenceEquals(clients, _central))
            {
                clients.Dispose();
            }

            roles?.Dispose();
        }
    }

    private async Task EnqueueAsync(SweepUnit unit, CancellationToken cancellationToken) =>
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = _queueUrl, MessageBody = unit.ToJson() }, cancellationToken).ConfigureAwait(false);

    /// <summary>The sweep judges with each concern's guard settings: the same variables, the concern filled in.</summary>
    private GuardSettings SettingsFor(string concern) =>
        GuardSettings.FromEnvironment(name => name == GuardSettings.ConcernVariable ? concern : _read(name)).Validated();

    private IReadOnlyList<Rule> RulesOf(string concern)
    {
        IReadOnlyList<Rule> all = _overrides.Rules ?? LoadBuiltIn();
        return [.. all.Where(r => r.Concern == concern)];
    }

    private static IReadOnlyList<Rule> LoadBuiltIn()
    {
        var set = BuiltInRules.Load(GuardComposition.CreateLoader());
        return set.IsValid ? set.Rules : throw new InvalidOperationException($"the built-in rules are invalid: {string.Join("; ", set.Errors)}");
    }

    public void Dispose()
    {
        _central.Dispose();
        _sqs.Dispose();
    }

    /// <summary>One unit of work on the queue: an account (index into the configured list), a concern, and where to resume.</summary>
    internal sealed record SweepUnit(int Account, string Concern, long StartAt)
    {
        public string ToJson() => $$"""{"account":{{Account}},"concern":"{{Concern}}","startAt":{{StartAt}}}""";

        public static SweepUnit Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var concern = root.GetProperty("concern").GetString() ?? "";
            return Concerns.IsKnown(concern)
                ? new SweepUnit(root.GetProperty("account").GetInt32(), concern, root.GetProperty("startAt").GetInt64())
                : throw new FormatException($"'{concern}' is not a concern");
        }
    }
}
