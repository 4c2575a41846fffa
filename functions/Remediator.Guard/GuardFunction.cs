using Remediator.Aws.Audit;
using Remediator.Operations;
using Remediator.Aws.Organization;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Execution;
using Remediator.Core.Rules;
using Remediator.Composition;
using Remediator.Runtime;
using Remediator.Runtime.Metrics;
using Remediator.Runtime.Resilience;

namespace Remediator.Guard;

/// <summary>
/// One guard function (one concern): CloudTrail event in, engine decision, audit records and changes out. Everything
/// slow or fallible at start-up (settings, rules, clients) happens in <see cref="Create"/>, during Lambda's init
/// phase, so that a misconfiguration fails init visibly instead of failing every event.
/// </summary>
public sealed class GuardFunction : IDisposable
{
    /// <summary>
    /// AWS calls must be answered this long before the invocation's deadline, leaving time to complete the audit
    /// record with what was done (a record left in progress would be re-run after its lease) and to post the result.
    /// </summary>
    public static readonly TimeSpan AwsCallMargin = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A begun audit record's lease runs to the invocation's deadline plus this margin (<see cref="RecordLease"/>, the
    /// rule shared with the sweep and the CLI): the retry of a crashed invocation takes the record over and finishes
    /// the fix; a concurrent delivery within the lease still does nothing.
    /// </summary>
    public static TimeSpan LeaseMargin => RecordLease.DeadlineMargin;

    private readonly AwsClients _clients;
    private readonly RuleEngine _engine;
    private readonly RemediationCoordinator _coordinator;
    private readonly InvocationDeadline _deadline;
    private DynamoDbAuditStore? _store;
    private MemberAccountScopes? _members;

    private GuardFunction(GuardSettings settings, IReadOnlyList<Rule> rules, AwsClients clients, RuleEngine engine, RemediationCoordinator coordinator, InvocationDeadline deadline)
    {
        Settings = settings;
        Rules = rules;
        _clients = clients;
        _engine = engine;
        _coordinator = coordinator;
        _deadline = deadline;
    }

    public GuardSettings Settings { get; }

    /// <summary>The rules this guard runs: those of its concern only.</summary>
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>
    /// What each guard's <c>Program.cs</c> calls: reads the settings from the environment, checks that they name
    /// this binary's <paramref name="concern"/>, and runs the Runtime API loop. Returns the process exit code.
    /// </summary>
    public static Task<int> RunAsync(string concern) => RunAsync(concern, Environment.GetEnvironmentVariable, null, CancellationToken.None);

    /// <summary><see cref="RunAsync(string)"/> with the environment, the seams and a stop token given: for tests that run the real entry point.</summary>
    internal static async Task<int> RunAsync(string concern, Func<string, string?> readVariable, GuardOverrides? overrides, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(concern);
        ArgumentNullException.ThrowIfNull(readVariable);
        LambdaRuntimeOptions? options = null;
        try
        {
            // The Concern dimension of every metric; when the environment is unusable RunMainAsync reports it.
            options = LambdaRuntimeOptions.FromEnvironment(concern, readVariable);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
        }

        GuardFunction? guard = null;
        try
        {
            return await LambdaRuntimeHost.RunMainAsync(() =>
            {
                var settings = GuardSettings.FromEnvironment(readVariable);
                if (settings.Concern != concern)
                {
                    throw new InvalidSettingException(GuardSettings.ConcernVariable,
                        $"this binary is the {concern} guard, but the variable says '{settings.Concern}': the template deployed the wrong package.");
                }

                guard = Create(settings, overrides, OrganizationSettings.FromEnvironment(readVariable));
                return ValueTask.FromResult(guard.CreateHandler());
            }, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            guard?.Dispose();
        }
    }

    /// <summary>Builds the guard: rules of the settings' concern, clients, audit store, engine and coordinator.</summary>
    /// <exception cref="InvalidOperationException">The rules are invalid, or none belongs to the concern.</exception>
    /// <param name="organization">When set, events of member accounts are acted on through their per-concern role.</param>
    public static GuardFunction Create(GuardSettings settings, GuardOverrides? overrides = null, OrganizationSettings? organization = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings = settings.Validated();
        overrides ??= new GuardOverrides();
        var clock = overrides.Clock ?? TimeProvider.System;
        var rules = RulesOf(settings.Concern, overrides.Rules);

        var deadline = new InvocationDeadline();
        var transport = new AwsTransportSettings
        {
            Credentials = overrides.Credentials,
            Environment = overrides.Environment,
            InnerHandler = overrides.InnerHandler,
            TimeProvider = clock,
            Deadline = deadline.Read,
            Retries = deadline.Retries,
        };
        var clients = new AwsClients(new AwsClientOptions { Region = settings.Region, EndpointUrl = overrides.EndpointUrl }, transport, overrides.DynamoDb);
        try
        {
            var store = new DynamoDbAuditStore(clients.DynamoDb, settings.AuditTable, settings.ToAuditStoreOptions(), clock);
            var engine = GuardComposition.CreateEngine(rules, AwsStatePorts.Create(clients), settings.ToGuardOptions(), new AuditRemediationHistory(store, clock), clock);
            // The function's own role acts in its own account; the organization's central account is the same one.
            var coordinator = new RemediationCoordinator(store, AwsStepExecutor.Bound(clients, settings.AccountId ?? organization?.CentralAccountId, clock), clock);
            var guard = new GuardFunction(settings, rules, clients, engine, coordinator, deadline) { _store = store };
            if (organization is not null)
            {
                guard._members = CreateMemberScopes(settings, organization, rules, clients.Options, transport, store, clock);
            }

            return guard;
        }
        catch
        {
            clients.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The member-account side: the external id read once from SSM (init fails visibly when it cannot be), STS
    /// sessions cached per account, and per account an engine and coordinator over that account's clients.
    /// </summary>
    private static MemberAccountScopes CreateMemberScopes(
        GuardSettings settings, OrganizationSettings organization, IReadOnlyList<Rule> rules, AwsClientOptions options, AwsTransportSettings transport,
        IAuditStore store, TimeProvider clock)
    {
        var externalId = ExternalIdParameter.ReadAsync(options, transport, organization.ExternalIdParameter).GetAwaiter().GetResult();
        var roles = new MemberAccountRoles(organization.ToRoleOptions(settings.Concern, externalId), options, transport);
        return new MemberAccountScopes(roles, session =>
        {
            var member = new AwsClients(options, new AwsTransportSettings
            {
                Credentials = session.Credentials,
                Environment = transport.Environment,
                InnerHandler = transport.InnerHandler,
                TimeProvider = transport.TimeProvider,
                Deadline = transport.Deadline,
                Retries = transport.Retries,
            });
            var engine = GuardComposition.CreateEngine(rules, AwsStatePorts.Create(member), settings.ToGuardOptions(), new AuditRemediationHistory(store), clock);
            return new MemberAccountScopes.Scope(member, engine, new RemediationCoordinator(store, AwsStepExecutor.Bound(member, session.Account, clock), clock));
        });
    }

    /// <summary>The handler for <see cref="LambdaRuntimeHost"/>.</summary>
    public InvocationHandler CreateHandler() =>
        async (context, payload, cancellationToken) =>
        {
            var result = await HandleAsync(payload, new GuardInvocation(context.Logger, context.Metrics, context.Deadline), cancellationToken)
                .ConfigureAwait(false);
            return result.ToResponse();
        };

    /// <summary>
    /// Handles one delivery: parse, evaluate, record and apply, then metrics and one summary log line.
    /// A second delivery of the same event changes nothing; its records come back as <see cref="GuardResult.Duplicate"/>.
    /// </summary>
    /// <exception cref="InvalidEventException">The payload is not one CloudTrail event: the invocation fails, so the
    /// event lands in the on-failure destination rather than vanishing as a success.</exception>
    public async Task<GuardResult> HandleAsync(ReadOnlyMemory<byte> payload, GuardInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (!EventReader.TryParseOne(payload, out var cloudTrailEvent, out var problem))
        {
            // The problem names a position, never the payload's content (it may carry secrets).
            throw new InvalidEventException($"the payload is not one CloudTrail event ({problem})");
        }

        IReadOnlyList<AuditRecord> records;
        var hasDeadline = invocation.Deadline != DateTimeOffset.MaxValue;
        _deadline.Set(hasDeadline ? invocation.Deadline - AwsCallMargin : null);
        using var reporting = _deadline.Retries.Bind(invocation.Logger, invocation.Metrics);
        try
        {
            var (engine, coordinator) = (_engine, _coordinator);
            var account = cloudTrailEvent.RecipientAccountId;
            string? refused = null;
            if (_members is not null && !_members.Options.IsCentral(account))
            {
                try
                {
                    var sessionName = MemberRoleOptions.SessionName(Settings.Concern, cloudTrailEvent.EventId);
                    var (_, scope) = await _members.ForAsync(account!, sessionName, cancellationToken).ConfigureAwait(false);
                    (engine, coordinator) = (scope.Engine, scope.Coordinator);
                }
                catch (AwsServiceException ex) when (!AwsRetryPolicy.IsRetryable(ex.StatusCode, ex.ErrorCode))
                {
                    // Refused (wrong external id, no such role, untrusted caller): final. Recorded as failed, and the
                    // invocation succeeds, so neither the transport nor Lambda retries it.
                    refused = $"could not act in account {account}: sts:AssumeRole on {_members.Options.RoleArn(account!)} was refused ({ex.ErrorCode}: {ex.ServiceMessage})";
                }
            }

            else if (_members is null && Settings.AccountId is { } own && account is not null && account != own)
            {
                // Without the organization's roles the guard has no way into another account, and its own role would
                // read and change this account's namesakes of the resources the event names.
                refused = $"the event is from account {account}, and this guard acts only in its own account {own}: "
                    + "to act in member accounts, deploy deploy/organization.template and set ExternalIdParameterName";
            }

            if (refused is not null)
            {
                records = [await RecordRefusedAsync(cloudTrailEvent, refused, cancellationToken).ConfigureAwait(false)];
            }
            else
            {
                EventEvaluation evaluation;
                try
                {
                    evaluation = await engine.EvaluateAsync(cloudTrailEvent, cancellationToken).ConfigureAwait(false);
                }
                catch (Core.Patterns.MalformedEventException e)
                {
                    throw new InvalidEventException($"the payload is not one CloudTrail event ({e.Message})");
                }

                // Without a deadline (a host that gave none) the coordinator leases as a command line does.
                var leaseUntil = hasDeadline ? RecordLease.Until(invocation.Deadline, invocation.Deadline) : (DateTimeOffset?)null;
                records = await coordinator.ApplyAsync(evaluation, Settings.ModeOverride, cancellationToken, leaseUntil).ConfigureAwait(false);
            }
        }
        finally
        {
            _deadline.Set(null);
        }

        var result = GuardResult.From(records.Count > 0 ? records[0].EventId : AuditRecord.EventKey(cloudTrailEvent), records);
        Report(cloudTrailEvent, records, result, invocation);
        return result;
    }

    public void Dispose()
    {
        _members?.Dispose();
        _clients.Dispose();
    }

    /// <summary>The event's record when its account could not be entered: failed, with the reason; written once.</summary>
    private async Task<AuditRecord> RecordRefusedAsync(CloudTrailEvent cloudTrailEvent, string reason, CancellationToken cancellationToken)
    {
        var record = AuditRecord.ForSkippedEvent(new EventEvaluation(cloudTrailEvent, reason, []), Settings.ModeOverride ?? RuleMode.Enforce, DateTimeOffset.UtcNow)!
            with { Outcome = AuditOutcome.Failed };
        return await _store!.TryBeginAsync(record, cancellationToken).ConfigureAwait(false)
            ? record
            : record with { Outcome = AuditOutcome.Skipped, Reason = $"{RemediationCoordinator.DuplicateReason}: record {record.Id} exists already", IsDuplicateDelivery = true };
    }

    private static List<Rule> RulesOf(string concern, IReadOnlyList<Rule>? given)
    {
        IReadOnlyList<Rule> all;
        if (given is null)
        {
            var set = BuiltInRules.Load(GuardComposition.CreateLoader());
            if (!set.IsValid)
            {
                throw new InvalidOperationException($"the built-in rules are invalid: {string.Join("; ", set.Errors)}");
            }

            all = set.Rules;
        }
        else
        {
            all = given;
        }

        var mine = all.Where(r => r.Concern == concern).ToList();
        return mine.Count > 0
            ? mine
            : throw new InvalidOperationException($"no rule of concern '{concern}' among the {all.Count} rules: this guard would ignore every event.");
    }

    /// <summary>
    /// Metrics and the summary line. Remediations: records that changed something (applied, partially applied);
    /// Failures: records where something failed (failed, partially applied); Skips: everything deliberately not
    /// acted on (skipped, exempt, notify-only, dry-run, duplicates). All three are written, zeros included, so that
    /// dashboards and alarms see a continuous series.
    /// </summary>
    private static void Report(CloudTrailEvent cloudTrailEvent, IReadOnlyList<AuditRecord> records, GuardResult result, GuardInvocation invocation)
    {
        int remediations = 0, skips = 0, failures = 0;
        foreach (var record in records)
        {
            switch (record.Outcome)
            {
                case AuditOutcome.Applied:
                    remediations++;
                    break;
                case AuditOutcome.PartiallyApplied:
                    remediations++;
                    failures++;
                    break;
                case AuditOutcome.Failed:
                    failures++;
                    break;
                case AuditOutcome.Skipped or AuditOutcome.Exempt or AuditOutcome.NotifyOnly or AuditOutcome.Planned:
                    skips++;
                    break;
            }
        }

        invocation.Metrics.Count(MetricNames.Remediations, remediations);
        invocation.Metrics.Count(MetricNames.Skips, skips);
        invocation.Metrics.Count(MetricNames.Failures, failures);

        var summary = string.Join(", ", result.Records.Select(r => $"{r.Rule}={r.Outcome}"));
        invocation.Logger.Log(
            failures > 0 ? Runtime.Logging.LogLevel.Warn : Runtime.Logging.LogLevel.Info,
            "event handled",
            null,
            ("eventId", result.EventId),
            ("eventSource", cloudTrailEvent.EventSource),
            ("eventName", cloudTrailEvent.EventName),
            ("records", summary.Length == 0 ? "none (no rule matched)" : summary),
            ("remediations", remediations),
            ("skips", skips),
            ("failures", failures));
    }

    /// <summary>
    /// The current invocation's deadline for the AWS transport. Lambda runs one invocation at a time per process, so a
    /// single volatile slot suffices; it is cleared between invocations so that no stale deadline cuts a later call.
    /// The transport's retries are reported to the invocation bound to <see cref="Retries"/>.
    /// </summary>
    private sealed class InvocationDeadline
    {
        private long _ticks;

        public RetryTelemetry Retries { get; } = new();

        public void Set(DateTimeOffset? deadline) => Volatile.Write(ref _ticks, deadline?.UtcTicks ?? 0);

        public DateTimeOffset? Read()
        {
            var ticks = Volatile.Read(ref _ticks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }
}
