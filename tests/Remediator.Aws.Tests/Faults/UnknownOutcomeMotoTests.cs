using Microsoft.Extensions.Time.Testing;
using Remediator.Aws.Audit;
using Remediator.Aws.Iam;
using Remediator.Operations;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.Faults;

/// <summary>
/// The storm's rarest path, made certain: the delete reaches IAM but its reply is lost, every retry is throttled, and so
/// is every read that would tell whether the policy is gone. The record must claim neither failed nor done: it stays in
/// progress, the delivery fails, and the redelivery after the lease finds the policy gone and records the fix once.
/// (Seen once in a storm run, 2026-12-06: "ledger failed … but moto says deleted=True".)
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class UnknownOutcomeMotoTests(MotoServer moto) : MotoTests(moto, Table)
{
    private const string Table = "unknown-outcome-audit";

    [Fact]
    public async Task A_delete_whose_reply_is_lost_and_whose_state_cannot_be_read_leaves_its_record_to_the_redelivery()
    {
        var role = await Aws.Iam.CreateRoleAsync("app", TrustLambda);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", AdminInline);
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var faulty = true;
        // Through the proxy: 1 the before-read passes, 2 the delete is forwarded (it takes effect) and its reply held past
        // the attempt's timeout, 3+ everything is throttled (the delete's retries and every read back) while faulty.
        using var proxy = new FaultProxy(Moto.Endpoint, (number, _) => !Volatile.Read(ref faulty) ? Fault.None : number switch
        {
            1 => Fault.None,
            2 => Fault.LoseReply,
            _ => Fault.Throttle,
        }, delay: TimeSpan.FromSeconds(1));
        var options = TestAws.Options(proxy.Endpoint, maxAttempts: 3) with { AttemptTimeout = TimeSpan.FromMilliseconds(400) };
        using var viaProxy = new AwsClients(options, TestAws.Settings(), MotoDynamoDb(Moto.Endpoint));
        var store = new DynamoDbAuditStore(Aws.DynamoDb, Table, clock: clock);
        var coordinator = new RemediationCoordinator(store, new AwsStepExecutor(viaProxy), clock);
        var delivery = StormTests.Evaluation("e-unknown-1", new StormTests.OffendingRole("app", role.Arn));
        var id = AuditRecord.IdFor("e-unknown-1", StormTests.Rule);

        var unknown = await Assert.ThrowsAsync<StepOutcomeUnknownException>(() =>
            coordinator.ApplyAsync(delivery, null, CancellationToken.None, RecordLease.Until(clock.GetUtcNow().AddSeconds(30), clock.GetUtcNow())));

        Assert.Contains("an earlier attempt may have deleted it", unknown.Message, StringComparison.Ordinal);
        Assert.Empty(await Aws.Iam.ListRolePoliciesAsync("app")); // the lost reply's delete took effect
        Assert.True((await store.GetAsync(id))!.IsInProgress); // and the ledger claims nothing yet

        // Lambda delivers the event again after the lease; AWS answers again.
        Volatile.Write(ref faulty, false);
        clock.Advance(TimeSpan.FromSeconds(30) + RecordLease.DeadlineMargin + TimeSpan.FromSeconds(1));
        var records = await coordinator.ApplyAsync(delivery, null, CancellationToken.None, RecordLease.Until(clock.GetUtcNow().AddSeconds(30), clock.GetUtcNow()));

        var finished = Assert.Single(records);
        Assert.Equal(AuditOutcome.Applied, finished.Outcome);
        var step = Assert.Single(finished.Actions);
        Assert.Equal(ActionOutcome.Verified, step.Outcome);
        Assert.Contains("already gone", step.After, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Applied, (await store.GetAsync(id))!.Outcome);
    }

    [Fact]
    public async Task When_the_read_back_answers_and_the_policy_is_still_there_the_delete_is_recorded_failed()
    {
        // The other side of the same path: the delete never reached IAM (throttled throughout), the read back works and
        // shows the policy: failed is the truth, and it is said.
        var role = await Aws.Iam.CreateRoleAsync("app", TrustLambda);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", AdminInline);
        // 1 the before-read passes; 2-4 the delete's three attempts are throttled (never forwarded); 5+ the read back passes.
        using var proxy = new FaultProxy(Moto.Endpoint, (number, _) => number is >= 2 and <= 4 ? Fault.Throttle : Fault.None, delay: TimeSpan.FromSeconds(1));
        using var viaProxy = new AwsClients(TestAws.Options(proxy.Endpoint, maxAttempts: 3), TestAws.Settings(), MotoDynamoDb(Moto.Endpoint));

        var result = await new AwsStepExecutor(viaProxy).ExecuteAsync(
            Step("iam:DeleteRolePolicy", role.Arn, new() { ["RoleName"] = "app", ["PolicyName"] = "admin" }), default);

        Assert.Equal(ActionOutcome.Failed, result.Outcome);
        Assert.Contains("ThrottlingException", result.Error, StringComparison.Ordinal);
        Assert.Equal(["admin"], await Aws.Iam.ListRolePoliciesAsync("app"));
    }
}
