using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Rules;

namespace Remediator.Core.Execution;

/// <summary>
/// The cool-down and the circuit breaker read the audit trail: a change counts when an enforced record of the
/// resource was begun (in progress, applied, partially applied, or applied and later undone). Dry-run, exempt,
/// notify-only, skipped and failed records changed nothing; undo records are an operator's request, not the guard
/// fighting a pipeline, so they do not count either.
/// <para>
/// An in-progress record whose lease ran out does not count: its owner died before finishing, and the retry of that
/// very event must be free to take the record over and finish the fix instead of "cooling down" because of itself.
/// </para>
/// <para>
/// Changes planned in this process but not yet written (the engine records a change while deciding, the coordinator
/// writes the record afterwards) are kept in memory and counted too, so that two findings of one event see each other.
/// </para>
/// </summary>
public sealed class AuditRemediationHistory : IRemediationHistory
{
    // More than any sane MaxChangesPerResource: the breaker only needs to know that the count reached its limit.
    private const int QueryLimit = 100;
    private readonly IAuditStore _store;
    private readonly InMemoryRemediationHistory _pending = new();
    private readonly TimeProvider _clock;

    /// <param name="clock">Wall-clock time, to tell a live lease from an abandoned one; null: the system clock.</param>
    public AuditRemediationHistory(IAuditStore store, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _clock = clock ?? TimeProvider.System;
    }

    public async ValueTask<IReadOnlyList<DateTimeOffset>> ChangesSinceAsync(string resource, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var records = await _store.QueryAsync(new AuditQuery(Since: since, Resource: resource, Limit: QueryLimit), cancellationToken).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var times = records
            .Where(r => IsChange(r) && !r.IsAbandonedAt(now))
            .Select(r => r.EventTime ?? r.RecordedAt)
            .Where(t => t >= since)
            .ToList();
        var pending = await _pending.ChangesSinceAsync(resource, since, cancellationToken).ConfigureAwait(false);
        // A pending change written meanwhile would count twice: the trail's times win for equal instants.
        times.AddRange(pending.Where(t => !times.Contains(t)));
        return times;
    }

    public ValueTask RecordChangeAsync(string resource, DateTimeOffset at, CancellationToken cancellationToken) =>
        _pending.RecordChangeAsync(resource, at, cancellationToken);

    private static bool IsChange(AuditRecord record) =>
        record.Mode == RuleMode.Enforce
        && record.UndoOf is null
        && record.Outcome is AuditOutcome.InProgress or AuditOutcome.Applied or AuditOutcome.PartiallyApplied or AuditOutcome.Undone;
}
