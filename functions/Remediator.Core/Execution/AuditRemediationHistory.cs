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

    /// <summary>
    /// How many resources may have pending changes at once. A warm Lambda lives for hours; changes the trail already
    /// holds are dropped when read, and beyond this the resource changed longest ago is forgotten (its record was
    /// written long since: only a write that failed outright leaves a pending change the trail never shows).
    /// </summary>
    internal const int MaxPendingResources = 1024;

    private readonly IAuditStore _store;
    private readonly Dictionary<string, List<DateTimeOffset>> _pending = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    /// <param name="clock">Wall-clock time, to tell a live lease from an abandoned one; null: the system clock.</param>
    public AuditRemediationHistory(IAuditStore store, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Resources with changes recorded here that the trail did not show yet (for tests of the bound).</summary>
    internal int PendingResources
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
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
        lock (_pending)
        {
            if (_pending.TryGetValue(resource, out var pending))
            {
                // A pending change written meanwhile would count twice: the trail's times win, and it is pending no more.
                pending.RemoveAll(times.Contains);
                times.AddRange(pending.Where(t => t >= since));
                if (pending.Count == 0)
                {
                    _pending.Remove(resource);
                }
            }
        }

        return times;
    }

    public ValueTask RecordChangeAsync(string resource, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_pending)
        {
            if (!_pending.TryGetValue(resource, out var pending))
            {
                if (_pending.Count >= MaxPendingResources)
                {
                    _pending.Remove(_pending.MinBy(p => p.Value.Max()).Key);
                }

                _pending[resource] = pending = [];
            }

            pending.Add(at);
        }

        return ValueTask.CompletedTask;
    }

    private static bool IsChange(AuditRecord record) =>
        record.Mode == RuleMode.Enforce
        && record.UndoOf is null
        && record.Outcome is AuditOutcome.InProgress or AuditOutcome.Applied or AuditOutcome.PartiallyApplied or AuditOutcome.Undone;
}
