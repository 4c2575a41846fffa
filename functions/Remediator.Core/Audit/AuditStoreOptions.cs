namespace Remediator.Core.Audit;

/// <summary>Settings shared by every audit store. Validated at construction of the store.</summary>
public sealed record AuditStoreOptions
{
    /// <summary>How long records are kept (DynamoDB TTL): a year by default, long enough for an annual review.</summary>
    public int RetentionDays { get; init; } = 365;

    /// <summary>
    /// How long an in-progress record blocks other deliveries of its event when its begin did not say (callers that
    /// know their deadline set <see cref="AuditRecord.InProgressUntil"/> by <see cref="Execution.RecordLease.Until"/>):
    /// the same rule's lease for a process without a deadline.
    /// </summary>
    public TimeSpan InProgressLease { get; init; } = Execution.RecordLease.WithoutDeadline;

    public AuditStoreOptions Validated()
    {
        if (RetentionDays is < 1 or > 36500)
        {
            throw new ArgumentException($"{nameof(RetentionDays)} must be between 1 and 36500, got {RetentionDays}.");
        }

        if (InProgressLease <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(InProgressLease)} must be positive, got {InProgressLease}.");
        }

        return this;
    }

    /// <summary>The form in which a store writes a begun record: lease and expiry filled in.</summary>
    public AuditRecord Stamp(AuditRecord record, DateTimeOffset now) =>
        record with
        {
            InProgressUntil = record.IsInProgress ? record.InProgressUntil ?? now + InProgressLease : null,
            ExpiresAt = record.ExpiresAt ?? record.RecordedAt.AddDays(RetentionDays),
        };
}
