using Remediator.Core.Audit;

namespace Remediator.Core.Approvals;

/// <summary>
/// Pending decisions that passed their <see cref="ApprovalRequest.DecideBy"/> get their rule's <c>onExpiry</c>
/// outcome: apply, deny, or (notify) a lapse that changes nothing. Each goes through <see cref="DecisionService"/> as a
/// decision by <see cref="DecisionTaken.Expiry"/>, so a person who clicks in the same second and the expiry cannot both
/// decide, and the decision record carries the original's notifications: the channel is told.
/// Run on a schedule (see the README for why not DynamoDB TTL).
/// </summary>
public sealed class ExpiryService(IAuditStore store, DecisionService decisions, TimeProvider clock)
{
    /// <summary>How far back to look: a question is open for at most 30 days (the rule loader's limit), plus a day.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(31);

    public async Task<IReadOnlyList<AuditRecord>> ExpireAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var records = await store.QueryAsync(new AuditQuery(Since: now - LookBack, Limit: 10_000), cancellationToken).ConfigureAwait(false);
        var done = new List<AuditRecord>();
        foreach (var record in records.Where(r => r.Outcome == AuditOutcome.Pending && r.Approval is { } a && a.DecideBy <= now))
        {
            var verb = record.Approval!.OnExpiry switch
            {
                ExpiryOutcome.Apply => DecisionVerb.Apply,
                ExpiryOutcome.Deny => DecisionVerb.Deny,
                _ => DecisionVerb.Lapse,
            };
            var begin = await decisions.BeginAsync(
                new DecisionRequest(record.Id, verb, DecisionTaken.Expiry, $"nobody decided by {AuditJson.FormatTime(record.Approval.DecideBy)}"),
                cancellationToken).ConfigureAwait(false);
            if (begin.Begun && await decisions.CarryOutAsync(begin.Decision!.Id, cancellationToken).ConfigureAwait(false) is { } carried)
            {
                done.Add(carried);
            }
        }

        return done;
    }
}
