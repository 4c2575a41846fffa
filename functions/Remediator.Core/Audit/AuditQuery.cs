namespace Remediator.Core.Audit;

/// <summary>What <c>remediator audit</c> asks for; every filter given must hold.</summary>
/// <param name="Since">Records begun at or after this time.</param>
/// <param name="Resource">Exactly this resource (ARN or name as in the finding).</param>
/// <param name="Rule">Exactly this rule id.</param>
/// <param name="Limit">At most this many records, the newest.</param>
public sealed record AuditQuery(DateTimeOffset? Since = null, string? Resource = null, string? Rule = null, int Limit = 100)
{
    public AuditQuery Validated()
    {
        if (Limit < 1)
        {
            throw new ArgumentException($"{nameof(Limit)} must be at least 1, got {Limit}.");
        }

        return this;
    }

    public bool Matches(AuditRecord record) =>
        (Since is null || record.RecordedAt >= Since.Value)
        && (Resource is null || string.Equals(record.Resource, Resource, StringComparison.Ordinal))
        && (Rule is null || string.Equals(record.Rule, Rule, StringComparison.Ordinal));
}
