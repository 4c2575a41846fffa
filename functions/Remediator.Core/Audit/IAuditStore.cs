namespace Remediator.Core.Audit;

/// <summary>
/// Where the guard's decisions are kept. The life cycle follows an idempotency record's:
/// <list type="number">
/// <item><see cref="TryBeginAsync"/> writes the record only when no record with its id exists (or the one that exists
/// is in progress with an expired lease: its owner crashed). A second delivery of the event gets false and must do
/// nothing: no AWS call, no notification, no write.</item>
/// <item>The owner carries out the actions, then <see cref="CompleteAsync"/> replaces the record with its final
/// outcome, on condition that it is still the owner's in-progress record.</item>
/// </list>
/// Records that need no work (dry-run, exempt, skipped, notify-only) are begun in their final outcome.
/// </summary>
public interface IAuditStore
{
    /// <summary>
    /// Writes the record if its id is free (or held by an expired in-progress record). False, and nothing written,
    /// when a record with that id exists. An in-progress record without <see cref="AuditRecord.InProgressUntil"/> gets
    /// the store's lease; every record without <see cref="AuditRecord.ExpiresAt"/> gets the store's retention.
    /// </summary>
    Task<bool> TryBeginAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the in-progress record with this final form. False when the stored record is no longer the caller's
    /// (completed already, or taken over after its lease expired: its <see cref="AuditRecord.RecordedAt"/> differs).
    /// </summary>
    Task<bool> CompleteAsync(AuditRecord record, CancellationToken cancellationToken = default);

    Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Records matching every given filter, newest <see cref="AuditRecord.RecordedAt"/> first, at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Links a completed undo record to the record it reversed: sets <see cref="AuditRecord.UndoneBy"/> and the outcome
    /// <see cref="AuditOutcome.Undone"/>. False when the original does not exist, is still in progress, or is undone already.
    /// </summary>
    Task<bool> MarkUndoneAsync(string originalId, string undoId, CancellationToken cancellationToken = default);
}
