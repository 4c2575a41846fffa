using static Remediator.Core.Tests.Audit.AuditSamples;

namespace Remediator.Core.Tests.Execution;

/// <summary>Changes planned but not yet written count once, and the in-memory part stays bounded in a warm process.</summary>
public sealed class AuditRemediationHistoryTests() : TempStoreTests(Now)
{
    private static readonly DateTimeOffset Now = T("2026-11-01T10:00:05Z");

    [Fact]
    public async Task A_pending_change_counts_until_the_trail_holds_it_then_is_pending_no_more()
    {
        var history = new AuditRemediationHistory(Temp.Store, Clock);
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(), RuleWith(Decision()));
        var record = Assert.Single(AuditRecord.AllFrom(evaluation, Core.Rules.RuleMode.Enforce, Now));
        var at = record.EventTime ?? record.RecordedAt;

        await history.RecordChangeAsync(record.Resource, at, default);
        Assert.Equal([at], await history.ChangesSinceAsync(record.Resource, at.AddHours(-1), default));
        Assert.Equal(1, history.PendingResources);

        Assert.True(await Temp.Store.TryBeginAsync(record, default));

        Assert.Equal([at], await history.ChangesSinceAsync(record.Resource, at.AddHours(-1), default));
        Assert.Equal(0, history.PendingResources);
    }

    [Fact]
    public async Task Pending_changes_of_many_resources_stay_bounded_and_the_latest_are_kept()
    {
        var history = new AuditRemediationHistory(Temp.Store, Clock);
        var count = AuditRemediationHistory.MaxPendingResources + 10;
        for (var i = 0; i < count; i++)
        {
            await history.RecordChangeAsync($"arn:aws:iam::111122223333:role/r{i}", Now.AddSeconds(i), default);
        }

        Assert.Equal(AuditRemediationHistory.MaxPendingResources, history.PendingResources);
        Assert.Single(await history.ChangesSinceAsync($"arn:aws:iam::111122223333:role/r{count - 1}", Now, default));
        Assert.Empty(await history.ChangesSinceAsync("arn:aws:iam::111122223333:role/r0", Now, default));
    }
}
