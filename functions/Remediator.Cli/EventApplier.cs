using Remediator.Operations;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Execution;
using Remediator.Core.Rules;
using Remediator.Composition;

namespace Remediator.Cli;

/// <summary>
/// One event through the guard's path from a command line: the engine (current state read from AWS), then the
/// coordinator (audit record begun before any change, steps, completion). Shared by <c>apply</c> and <c>redrive</c>,
/// so a redriven event is handled exactly as an applied one.
/// </summary>
public sealed class EventApplier
{
    /// <summary>
    /// A command line has no invocation deadline, so each begun record gets <see cref="RecordLease.WithoutDeadline"/>:
    /// a run killed mid-fix is taken over and finished by the next apply (or redrive) of the same event after it.
    /// </summary>
    public static TimeSpan Lease => RecordLease.WithoutDeadline;

    private readonly RuleEngine _engine;
    private readonly RemediationCoordinator _coordinator;
    private readonly RuleMode? _modeOverride;

    public EventApplier(IReadOnlyList<Rule> rules, AwsClients clients, IAuditStore store, GuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _engine = GuardComposition.CreateEngine(rules, AwsStatePorts.Create(clients), options, new AuditRemediationHistory(store));
        _coordinator = new RemediationCoordinator(store, AwsStepExecutor.Bound(clients, account: null), TimeProvider.System);
        _modeOverride = options.ModeOverride;
    }

    /// <summary>The event's audit records (duplicates of an earlier delivery included, marked as such).</summary>
    public async Task<IReadOnlyList<AuditRecord>> ApplyAsync(CloudTrailEvent cloudTrailEvent, CancellationToken cancellationToken)
    {
        var evaluation = await _engine.EvaluateAsync(cloudTrailEvent, cancellationToken).ConfigureAwait(false);
        return await _coordinator.ApplyAsync(evaluation, _modeOverride, cancellationToken, RecordLease.Until(null, TimeProvider.System.GetUtcNow())).ConfigureAwait(false);
    }
}
