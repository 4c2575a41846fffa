namespace Remediator.Core.Audit;

/// <summary>Settings shared by every audit store. Validated at construction of the store.</summary>
public sealed record AuditStoreOptions
{
    /// <summary>How long records are kept (DynamoDB TTL): a year by default, long enough for an annual review.</summary>
    public int RetentionDays { get; init; } = 365;

    /// <summary>
    /// How long an in-progress record blocks other deliveries of its event when its begin did not say. Longer than
    /// a Lambda invocation can run (15 min), so that a slow owner is never overtaken while alive.
    /// </summary>
    public TimeSpan InProgressLease { get; init; } = TimeSpan.FromMinutes(16);

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
