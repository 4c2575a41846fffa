using System.Collections.Concurrent;
using Remediator.Core.Audit;

namespace Remediator.Core.Sweep;

/// <summary>
/// The audit store as the sweep writes to it: before a sweep finding's record is begun, asks the trail whether the
/// event path ever recorded anything on the same resource and rule; when it did not, the record is marked
/// <see cref="AuditRecord.MissedEvent"/> — the change happened, and its event never reached a guard. Everything else
/// passes through unchanged, so the conditional write, leases and completion are the store's own.
/// </summary>
public sealed class SweepAuditStore : IAuditStore
{
    private const int HistoryLimit = 50;

    private readonly IAuditStore _inner;
    private readonly ConcurrentDictionary<string, bool> _missed = new(StringComparer.Ordinal);

    public SweepAuditStore(IAuditStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    public IAuditStore Inner => _inner;

    /// <summary>Whether the record just begun under <paramref name="id"/> was marked a missed event; forgets it.</summary>
    public bool? TakeMissed(string id) => _missed.TryRemove(id, out var missed) ? missed : null;

    public async Task<bool> TryBeginAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!SweepEvents.IsSweepEventId(record.EventId) || record.Check is null)
        {
            return await _inner.TryBeginAsync(record, cancellationToken).ConfigureAwait(false);
        }

        var history = await _inner.QueryAsync(new AuditQuery(Resource: record.Resource, Rule: record.Rule, Limit: HistoryLimit), cancellationToken)
            .ConfigureAwait(false);
        var missed = !history.Any(r => !SweepEvents.IsSweepEventId(r.EventId));
        var begun = await _inner.TryBeginAsync(record with { MissedEvent = missed }, cancellationToken).ConfigureAwait(false);
        if (begun)
        {
            _missed[record.Id] = missed;
        }

        return begun;
    }

    public Task<bool> CompleteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        // The coordinator completes its own copy of the record, which never carried the mark: put it back.
        var marked = record.MissedEvent is null && _missed.TryGetValue(record.Id, out var missed) ? record with { MissedEvent = missed } : record;
        return _inner.CompleteAsync(marked, cancellationToken);
    }

    public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        _inner.QueryAsync(query, cancellationToken);

    public Task<bool> MarkUndoneAsync(string originalId, string undoId, CancellationToken cancellationToken = default) =>
        _inner.MarkUndoneAsync(originalId, undoId, cancellationToken);
}
