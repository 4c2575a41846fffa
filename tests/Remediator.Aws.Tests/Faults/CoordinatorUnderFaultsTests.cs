using Remediator.Core.Operations;
using System.Collections.Concurrent;
using Remediator.Aws.EventBridge;
using Remediator.Operations;
using Remediator.Aws.Iam;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.Faults;

/// <summary>
/// The coordinator over several offending resources while the endpoint throttles, fails and stalls (a seeded share of
/// a bounded number of requests): every fix ends applied or is recorded failed / partially applied, nothing is executed
/// twice (a second delivery included), and every change moto shows is one the audit trail records as made.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class CoordinatorUnderFaultsTests(MotoServer moto) : MotoTests(moto)
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "remediator-faults-" + Guid.NewGuid().ToString("N"));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(7, 0.35, 3)]
    [InlineData(42, 0.6, 2)]
    [InlineData(1234, 0.7, 1)]
    public async Task Every_fix_is_applied_or_recorded_failed_none_twice_and_no_change_without_a_record(int seed, double share, int attempts)
    {
        var cases = await CreateOffendingResourcesAsync();
        using var proxy = new FaultProxy(Moto.Endpoint, seed, faultyRequests: 200, share: share, slow: TimeSpan.FromMilliseconds(300));
        // Few attempts and a high share make some calls run out of retries: those must end as recorded failures.
        var options = TestAws.Options(proxy.Endpoint, maxAttempts: attempts) with { AttemptTimeout = TimeSpan.FromSeconds(5) };
        using var viaProxy = new AwsClients(options, TestAws.Settings(), MotoDynamoDb(Moto.Endpoint));
        var executor = new CountingExecutor(new AwsStepExecutor(viaProxy));
        var store = new JsonLinesAuditStore(Path.Combine(_folder, "audit.jsonl"));
        var coordinator = new RemediationCoordinator(store, executor, TimeProvider.System);

        var evaluations = cases.Select((c, i) => Evaluation($"ev-{seed}-{i}", c.Finding, c.Steps)).ToList();
        foreach (var evaluation in evaluations)
        {
            await coordinator.ApplyAsync(evaluation, null, default);
        }

        var redelivered = new List<AuditRecord>();
        foreach (var evaluation in evaluations)
        {
            redelivered.AddRange(await coordinator.ApplyAsync(evaluation, null, default));
        }

        Assert.True(proxy.Throttled + proxy.Failed + proxy.Slowed > 0, "the proxy injected no fault");
        Assert.All(redelivered, r => Assert.True(RemediationCoordinator.IsDuplicate(r)));
        Assert.All(executor.Counts, c => Assert.True(c.Value == 1, $"{c.Key} executed {c.Value} times"));
        var records = await store.QueryAsync(new AuditQuery(Limit: 100));
        Assert.Equal(cases.Count, records.Count);
        foreach (var record in records)
        {
            Assert.Contains(record.Outcome, new[] { AuditOutcome.Applied, AuditOutcome.Failed, AuditOutcome.PartiallyApplied });
            var @case = cases.Single(c => c.Finding.Resource == record.Resource);
            for (var i = 0; i < record.Actions.Count; i++)
            {
                var made = record.Actions[i].Outcome is ActionOutcome.Done or ActionOutcome.Verified;
                var changed = await @case.Changed[i]();
                Assert.True(made == changed, $"{record.Id} step {record.Actions[i].Operation}: recorded {record.Actions[i].Outcome.ToName()} ({record.Actions[i].Error}) but moto says changed={changed}");
            }
        }
    }

    private sealed record Case(Finding Finding, IReadOnlyList<PlannedAction> Steps, IReadOnlyList<Func<Task<bool>>> Changed);

    /// <summary>Inline admin policies, attached AdministratorAccess, a 900 s Lambda and a public bus: each with a revert and a tag.</summary>
    private async Task<List<Case>> CreateOffendingResourcesAsync()
    {
        var iam = Aws.Iam;
        var cases = new List<Case>();
        for (var i = 0; i < 3; i++)
        {
            var name = $"inline-{i}";
            var role = await iam.CreateRoleAsync(name, TrustLambda);
            await iam.PutInlinePolicyAsync(IamPrincipal.Role(name), "admin", AdminInline);
            cases.Add(new Case(
                Finding(role.Arn, "AWS::IAM::Role"),
                [
                    Planned(ActionNames.Revert, "iam:DeleteRolePolicy", role.Arn, new() { ["RoleName"] = name, ["PolicyName"] = "admin" }),
                    Planned(ActionNames.Tag, "iam:TagRole", role.Arn, new() { ["RoleName"] = name, ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "remediated", ["Value"] = "yes" }) }),
                ],
                [
                    async () => (await iam.ListRolePoliciesAsync(name)).Count == 0,
                    async () => (await iam.ListRoleTagsAsync(name)).ContainsKey("remediated"),
                ]));
        }

        for (var i = 0; i < 2; i++)
        {
            var name = $"attached-{i}";
            var role = await iam.CreateRoleAsync(name, TrustLambda);
            await iam.AttachPolicyAsync(IamPrincipal.Role(name), AdministratorAccess);
            cases.Add(new Case(
                Finding(role.Arn, "AWS::IAM::Role"),
                [Planned(ActionNames.Revert, "iam:DetachRolePolicy", role.Arn, new() { ["RoleName"] = name, ["PolicyArn"] = AdministratorAccess })],
                [async () => (await iam.ListAttachedPoliciesAsync(IamPrincipal.Role(name))).Count == 0]));
        }

        var fnRole = await iam.CreateRoleAsync("fn-role", TrustLambda);
        var function = await Aws.Lambda.CreateFunctionAsync("slow", fnRole.Arn, "python3.12", "index.handler", Zip("index.py", "x = 1\n"), 900);
        cases.Add(new Case(
            Finding(function.FunctionArn, "AWS::Lambda::Function"),
            [Planned(ActionNames.Revert, "lambda:UpdateFunctionConfiguration", function.FunctionArn, new() { ["FunctionName"] = function.FunctionArn, ["Timeout"] = 30 })],
            [async () => (await Aws.Lambda.GetFunctionConfigurationAsync("slow")).Timeout == 30]));

        var busArn = await Aws.EventBridge.CreateEventBusAsync("orders");
        await Aws.EventBridge.PutPermissionAsync("orders", new EventBusPermission("public", "*"));
        cases.Add(new Case(
            Finding(busArn, "AWS::Events::EventBus"),
            [Planned(ActionNames.Revert, "events:RemovePermission", busArn, new() { ["EventBusName"] = "orders", ["StatementId"] = "public" })],
            [async () => (await Aws.EventBridge.DescribeEventBusAsync("orders")).Policy?.Contains("\"public\"", StringComparison.Ordinal) != true]));
        return cases;
    }

    private static PlannedAction Planned(string action, string operation, string resource, JsonObject parameters) =>
        (OperationCatalogue.Find(operation, parameters) ?? throw new InvalidOperationException($"{operation} is not in the catalogue"))
            .PlanFrom(action, resource, operation, parameters);

    private static Finding Finding(string resource, string type) =>
        new("fault-rule", Concerns.IamBroadPermissions, resource, type, Severity.High, "check", "offending", []);

    private static EventEvaluation Evaluation(string eventId, Finding finding, IReadOnlyList<PlannedAction> steps)
    {
        using var document = JsonDocument.Parse($$$"""
            {"eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","eventID":"{{{eventId}}}","eventTime":"2026-11-01T10:00:00Z",
             "awsRegion":"us-east-1","recipientAccountId":"123456789012","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"}}
            """);
        var e = CloudTrailEvent.TryCreate(document.RootElement, default, out var problem) ?? throw new InvalidOperationException(problem);
        var rule = new Rule("fault-rule", "test", Concerns.IamBroadPermissions, Severity.High, RuleMode.Enforce, default,
            new DetectorUse(new DetectorDescriptor("none", Concerns.IamBroadPermissions, "none", [], _ => new object(), new NoDetector()), new object()),
            Exemptions.None, [], new SourceLocation("test.yaml", 1, 1));
        return new EventEvaluation(e, null, [new RuleEvaluation(rule, RuleMode.Enforce, null, [new FindingDecision(finding, RuleMode.Enforce, FindingOutcome.Planned, null, steps)])]);
    }

    private sealed class NoDetector : IDetector
    {
        public ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<Finding>>([]);
    }

    /// <summary>Counts executions per step (operation and resource) so the test can show none ran twice.</summary>
    private sealed class CountingExecutor(IStepExecutor inner) : IStepExecutor
    {
        public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public Task<AuditAction> ExecuteAsync(AuditAction step, CancellationToken cancellationToken)
        {
            Counts.AddOrUpdate($"{step.Operation} {step.Resource}", 1, (_, n) => n + 1);
            return inner.ExecuteAsync(step, cancellationToken);
        }
    }
}
