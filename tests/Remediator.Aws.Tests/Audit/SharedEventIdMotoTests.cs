using Amazon.DynamoDBv2;
using Microsoft.Extensions.Time.Testing;
using Remediator.Aws.Audit;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.Audit;

/// <summary>
/// On moto's DynamoDB: two different CloudTrail records sharing an event id are two audit records, each executed once;
/// a true redelivery of either is a duplicate (the conditional write refuses it, nothing runs).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SharedEventIdMotoTests(MotoServer moto) : MotoTests(moto, Table)
{
    private const string Table = "shared-id-audit";

    [Fact]
    public async Task Two_records_sharing_an_event_id_are_both_kept_and_fixed_once_and_redeliveries_are_duplicates()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var store = new DynamoDbAuditStore(Aws.DynamoDb, Table, clock: clock);
        var executor = new DoneExecutor();
        var coordinator = new RemediationCoordinator(store, executor, clock);
        var alice = Evaluation("shared-1", "alice", "app");
        var bob = Evaluation("shared-1", "bob", "other");

        var first = Assert.Single(await coordinator.ApplyAsync(alice, null, default));
        var second = Assert.Single(await coordinator.ApplyAsync(bob, null, default));
        var aliceAgain = Assert.Single(await coordinator.ApplyAsync(alice, null, default));
        var bobAgain = Assert.Single(await coordinator.ApplyAsync(bob, null, default));

        Assert.Equal(("shared-1/shared-rule", AuditOutcome.Applied), (first.Id, first.Outcome));
        Assert.Equal(($"shared-1~{second.Delivery}/shared-rule", AuditOutcome.Applied), (second.Id, second.Outcome));
        Assert.True(RemediationCoordinator.IsDuplicate(aliceAgain));
        Assert.True(RemediationCoordinator.IsDuplicate(bobAgain));
        Assert.Equal(2, executor.Count);
        Assert.Equal(AuditOutcome.Applied, (await store.GetAsync(first.Id))?.Outcome);
        Assert.Equal("arn:aws:iam::123456789012:user/bob", (await store.GetAsync(second.Id))?.Actor);
    }

    private static EventEvaluation Evaluation(string eventId, string user, string role)
    {
        using var document = JsonDocument.Parse($$$"""
            {"eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","eventID":"{{{eventId}}}","eventTime":"2026-12-04T09:59:00Z",
             "awsRegion":"us-east-1","recipientAccountId":"123456789012","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/{{{user}}}"},
             "requestParameters":{"roleName":"{{{role}}}","policyName":"admin"}}
            """);
        var e = CloudTrailEvent.TryCreate(document.RootElement, default, out var problem) ?? throw new InvalidOperationException(problem);
        var arn = $"arn:aws:iam::123456789012:role/{role}";
        var finding = new Finding("shared-rule", Concerns.IamBroadPermissions, arn, "AWS::IAM::Role", Severity.High, "admin-wildcard", "Allow * on *", []);
        var rule = new Rule("shared-rule", "test", Concerns.IamBroadPermissions, Severity.High, RuleMode.Enforce, default,
            new DetectorUse(new DetectorDescriptor("none", Concerns.IamBroadPermissions, "none", [], _ => new object(), new NoDetector()), new object()),
            Exemptions.None, [], new SourceLocation("test.yaml", 1, 1));
        var parameters = new System.Text.Json.Nodes.JsonObject { ["RoleName"] = role, ["PolicyName"] = "admin" };
        var step = Remediator.Operations.OperationCatalogue.Find("iam:DeleteRolePolicy", parameters)!.PlanFrom(ActionNames.Revert, arn, "iam:DeleteRolePolicy", parameters);
        return new EventEvaluation(e, null, [new RuleEvaluation(rule, RuleMode.Enforce, null, [new FindingDecision(finding, RuleMode.Enforce, FindingOutcome.Planned, null, [step])])]);
    }

    private sealed class NoDetector : IDetector
    {
        public ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<Finding>>([]);
    }

    private sealed class DoneExecutor : IStepExecutor
    {
        private int _count;

        public int Count => _count;

        public Task<AuditAction> ExecuteAsync(AuditAction step, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(step with { Outcome = ActionOutcome.Verified });
        }
    }
}
