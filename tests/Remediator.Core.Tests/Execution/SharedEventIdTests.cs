using Remediator.Core.Sweep;
using static Remediator.Core.Tests.Audit.AuditSamples;

namespace Remediator.Core.Tests.Execution;

/// <summary>
/// Two different CloudTrail records that share an event id (hand-made and test data do this) are two records in the
/// trail, each fixed once; a true redelivery of either is still a duplicate. On the JSON Lines store; the DynamoDB store
/// has the same tests on moto (Aws.Tests).
/// </summary>
public sealed class SharedEventIdTests() : TempStoreTests(T("2026-11-01T10:00:05Z"))
{
    [Fact]
    public async Task Two_different_records_sharing_an_event_id_are_both_recorded_and_fixed_and_their_redeliveries_are_duplicates()
    {
        var executor = new FakeExecutor();
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var alice = Evaluation(EngineFakes.PutRolePolicy(eventId: "shared-1"), RuleWith(Decision()));
        var bob = Evaluation(EngineFakes.PutRolePolicy(eventId: "shared-1", actor: "arn:aws:iam::111122223333:user/bob", time: "2026-11-01T10:00:03Z"), RuleWith(Decision()));

        var first = Assert.Single(await coordinator.ApplyAsync(alice, null, default));
        var second = Assert.Single(await coordinator.ApplyAsync(bob, null, default));
        var aliceAgain = Assert.Single(await coordinator.ApplyAsync(alice, null, default));
        var bobAgain = Assert.Single(await coordinator.ApplyAsync(bob, null, default));

        Assert.Equal((AuditOutcome.Applied, "shared-1/iam-no-admin"), (first.Outcome, first.Id));
        Assert.Equal(AuditOutcome.Applied, second.Outcome);
        Assert.Equal($"shared-1~{second.Delivery}/iam-no-admin", second.Id);
        Assert.True(RemediationCoordinator.IsDuplicate(aliceAgain));
        Assert.True(RemediationCoordinator.IsDuplicate(bobAgain));
        Assert.Equal(second.Id, bobAgain.Id);
        Assert.Equal(2, executor.Executed.Count);
        var stored = await Temp.Store.QueryAsync(new AuditQuery());
        Assert.Equal([first.Id, second.Id], stored.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(stored, r => Assert.Equal(AuditOutcome.Applied, r.Outcome));
        Assert.Equal(
            ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob"],
            stored.Select(r => r.Actor!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_redelivery_pretty_printed_differently_is_the_same_record()
    {
        var executor = new FakeExecutor();
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var compact = EngineFakes.PutRolePolicy(eventId: "e-7");
        var pretty = EngineFakes.Event(compact.Detail.GetRawText().Replace(",", ",\n  ", StringComparison.Ordinal));

        await coordinator.ApplyAsync(Evaluation(compact, RuleWith(Decision())), null, default);
        var again = Assert.Single(await coordinator.ApplyAsync(Evaluation(pretty, RuleWith(Decision())), null, default));

        Assert.True(RemediationCoordinator.IsDuplicate(again));
        Assert.Single(executor.Executed);
        Assert.Single(await Temp.Store.QueryAsync(new AuditQuery()));
    }

    [Fact]
    public async Task A_record_stored_without_a_delivery_digest_keeps_its_id_for_every_record_sharing_it()
    {
        // Written before the digest existed: unknown counts as the same record, so nothing is executed twice.
        var executor = new FakeExecutor();
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(eventId: "old-1"), RuleWith(Decision()));
        var old = Assert.Single(AuditRecord.AllFrom(evaluation, RuleMode.Enforce, Clock.GetUtcNow())) with { Delivery = null, Outcome = AuditOutcome.Planned };
        Assert.True(await Temp.Store.TryBeginAsync(old));

        var other = Evaluation(EngineFakes.PutRolePolicy(eventId: "old-1", actor: "arn:aws:iam::111122223333:user/bob"), RuleWith(Decision()));
        var report = Assert.Single(await coordinator.ApplyAsync(other, null, default));

        Assert.True(RemediationCoordinator.IsDuplicate(report));
        Assert.Empty(executor.Executed);
    }

    [Fact]
    public void Sweep_events_and_events_without_an_id_carry_no_delivery_digest_the_id_is_the_digest_already()
    {
        var noId = EngineFakes.Event("""{"eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","requestParameters":{"roleName":"x"}}""");
        var sweep = SweepEvents.For(new DescribedFunction("f", "arn:aws:lambda:us-east-1:111122223333:function:f", 900), "111122223333", "us-east-1", Clock.GetUtcNow()).Event;
        var sweepLater = SweepEvents.For(new DescribedFunction("f", "arn:aws:lambda:us-east-1:111122223333:function:f", 900), "111122223333", "us-east-1", Clock.GetUtcNow().AddDays(1)).Event;

        Assert.Null(AuditRecord.DeliveryOf(noId));
        Assert.Null(AuditRecord.DeliveryOf(sweep));
        Assert.Equal(sweep.EventId, sweepLater.EventId);
        Assert.NotNull(AuditRecord.DeliveryOf(EngineFakes.PutRolePolicy()));
        Assert.Equal(AuditRecord.DeliveryOf(EngineFakes.PutRolePolicy()), AuditRecord.DeliveryOf(EngineFakes.PutRolePolicy()));
    }

    [Fact]
    public void The_delivery_digest_survives_the_json_round_trip()
    {
        var record = Assert.Single(AuditRecord.AllFrom(Evaluation(EngineFakes.PutRolePolicy(), RuleWith(Decision())), RuleMode.Enforce, Clock.GetUtcNow()));

        Assert.NotNull(record.Delivery);
        Assert.Equal(record.Delivery, AuditJson.Parse(AuditJson.ToJson(record)).Delivery);
    }
}
