using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Time.Testing;
using Remediator.Aws.Audit;
using Remediator.Operations;
using Remediator.Aws.Iam;
using Remediator.Core.Operations;
using Xunit.Abstractions;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.Faults;

/// <summary>
/// Issue 10's storm: 1,000 deliveries of one offending event and 200 distinct offending events, 8 workers at once,
/// through a proxy that answers 20 % of ALL calls — IAM and the DynamoDB audit table alike — with 429, 500 or a lost
/// reply (the call takes effect, the client times out). Every fix ends applied once or recorded failed; nothing stays in
/// progress once the leases have run out and the events are delivered again (Lambda's retries); moto and the ledger agree.
/// A begin whose reply was lost reads as a duplicate (or a failed delivery) until its lease ends: the test shows those
/// records are taken over and finished after the lease. Time is a FakeTimeProvider: the lease passes without sleeping.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class StormTests(MotoServer moto, ITestOutputHelper output) : MotoTests(moto, Table)
{
    private const string Table = "storm-audit";
    internal const string Rule = "storm-rule";
    private const int Workers = 8;
    private const int HotDeliveries = 1000;
    private const int DistinctEvents = 200;
    private static readonly TimeSpan Invocation = TimeSpan.FromSeconds(30);
    [Fact]
    public async Task A_storm_of_deliveries_under_faults_fixes_each_resource_once_or_records_it_failed_and_leaves_nothing_in_progress()
    {
        var roles = await CreateOffendingRolesAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var proxy = new FaultProxy(Moto.Endpoint, FaultProxy.Storm(seed: 10, share: 0.2), delay: TimeSpan.FromSeconds(1));
        // Attempts shorter than the held reply: a lost reply is a timeout; IAM and DynamoDB both retry with back-off.
        var options = TestAws.Options(proxy.Endpoint, maxAttempts: 4) with { AttemptTimeout = TimeSpan.FromMilliseconds(400) };
        using var dynamo = new AmazonDynamoDBClient(TestAws.Credentials, new AmazonDynamoDBConfig
        {
            ServiceURL = proxy.Endpoint.ToString(),
            AuthenticationRegion = TestAws.Region,
            MaxErrorRetry = 3,
            Timeout = TimeSpan.FromMilliseconds(400),
        });
        using var viaProxy = new AwsClients(options, TestAws.Settings(), dynamo);
        var store = new DynamoDbAuditStore(dynamo, Table, clock: clock);
        var executor = new CountingExecutor(new AwsStepExecutor(viaProxy));
        var coordinator = new RemediationCoordinator(store, executor, clock);
        var events = roles.Select((role, i) => Evaluation(i == 0 ? "storm-hot" : $"storm-{i:D3}", role)).ToList();
        var deliveries = new List<EventEvaluation>();
        deliveries.AddRange(Enumerable.Repeat(events[0], HotDeliveries));
        deliveries.AddRange(events.Skip(1));
        var shuffled = new Random(10);
        var queue = new ConcurrentQueue<EventEvaluation>(deliveries.OrderBy(_ => shuffled.Next()));
        var tally = new Tally();
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var delivery))
            {
                await DeliverAsync(coordinator, delivery, clock, tally);
            }
        })));
        var stormTime = watch.Elapsed;
        var afterStorm = await ScanAsync();
        var leftInProgress = afterStorm.Where(r => r.IsInProgress).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var stormExecutions = executor.Total;

        // Lambda retries failed deliveries after ~1 and ~3 minutes; every distinct event is delivered again after the
        // leases ran out, until each has a finished record (bounded: the faults go on meanwhile).
        var rounds = 0;
        IReadOnlyList<AuditRecord> ledger = afterStorm;
        while (rounds < 8 && (ledger.Any(r => r.IsInProgress) || ledger.Count < events.Count))
        {
            rounds++;
            clock.Advance(Invocation + RecordLease.DeadlineMargin + TimeSpan.FromSeconds(1));
            var again = new ConcurrentQueue<EventEvaluation>(events);
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                while (again.TryDequeue(out var delivery))
                {
                    await DeliverAsync(coordinator, delivery, clock, tally);
                }
            })));
            ledger = await ScanAsync();
        }

        watch.Stop();
        var takenOver = ledger.Count(r => leftInProgress.Contains(r.Id) && !r.IsInProgress);
        var applied = ledger.Count(r => r.Outcome == AuditOutcome.Applied);
        var failed = ledger.Count(r => r.Outcome is AuditOutcome.Failed or AuditOutcome.PartiallyApplied);
        output.WriteLine(
            $"storm: {deliveries.Count} deliveries ({HotDeliveries} of one event + {DistinctEvents} distinct) by {Workers} workers, " +
            $"then {rounds} redelivery round(s) of {events.Count} after the lease; {proxy.Requests} AWS calls, faults injected {proxy.Faults} " +
            $"(429 {proxy.Throttled}, 500 {proxy.Failed}, lost replies {proxy.LostReplies}); fixes applied {applied}, recorded failed {failed}, " +
            $"duplicates reported {tally.Duplicates}, deliveries that failed (Lambda retries them) {tally.Errors}, " +
            $"left in progress after the storm {leftInProgress.Count}, taken over after the lease {takenOver}, " +
            $"step executions {executor.Total} ({stormExecutions} in the storm); wall time {watch.Elapsed.TotalSeconds:0.0} s (storm {stormTime.TotalSeconds:0.0} s)");

        Assert.True(proxy.Faults > 0.1 * proxy.Requests, $"only {proxy.Faults} faults in {proxy.Requests} calls");
        Assert.True(proxy.LostReplies > 0, "no reply was lost");
        Assert.True(tally.Duplicates >= HotDeliveries - 1 - tally.Errors, $"{tally.Duplicates} duplicates");
        // One record per event, none in progress, each finished as applied or failed.
        Assert.Equal(events.Count, ledger.Count);
        Assert.Equal(events.Select(e => AuditRecord.IdFor(e.Event.EventId!, Rule)).Order(StringComparer.Ordinal), ledger.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(ledger, r => Assert.Contains(r.Outcome, new[] { AuditOutcome.Applied, AuditOutcome.Failed, AuditOutcome.PartiallyApplied }));
        // A begin whose reply was lost left its record in progress; each such record was taken over after its lease.
        Assert.True(leftInProgress.Count > 0, "no record was left in progress by the storm: the lease path was not exercised");
        Assert.Equal(leftInProgress.Count, takenOver);
        // The change itself happens once: a step runs again only to finish a record whose completion was lost, and
        // finds the policy already gone (idempotent), never deleting twice.
        foreach (var (record, role) in ledger.Join(roles, r => r.Resource, role => role.Arn, (r, role) => (r, role)))
        {
            var gone = (await Aws.Iam.ListRolePoliciesAsync(role.Name)).Count == 0;
            var made = record.Actions.Single().Outcome is ActionOutcome.Done or ActionOutcome.Verified;
            Assert.True(gone == made, $"{record.Id}: ledger {record.Outcome.ToName()} ({record.Actions.Single().Error}) but moto says deleted={gone}");
        }

        Assert.Equal(applied, (await Task.WhenAll(roles.Select(async r => (await Aws.Iam.ListRolePoliciesAsync(r.Name)).Count == 0))).Count(gone => gone));
    }

    private static async Task DeliverAsync(RemediationCoordinator coordinator, EventEvaluation delivery, FakeTimeProvider clock, Tally tally)
    {
        try
        {
            var now = clock.GetUtcNow();
            var records = await coordinator.ApplyAsync(delivery, null, CancellationToken.None, RecordLease.Until(now + Invocation, now));
            foreach (var record in records.Where(RemediationCoordinator.IsDuplicate))
            {
                tally.Duplicate();
            }
        }
        catch (Exception e) when (e is AmazonDynamoDBException or Amazon.Runtime.AmazonServiceException or HttpRequestException or TaskCanceledException or TimeoutException or IOException
            or StepOutcomeUnknownException)
        {
            // The function fails; Lambda delivers the event again later (the redelivery rounds). An unknown step
            // outcome fails it on purpose: its record stays in progress until a redelivery finds out what holds.
            tally.Error();
        }
    }

    private async Task<IReadOnlyList<AuditRecord>> ScanAsync()
    {
        var records = new List<AuditRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await Aws.DynamoDb.ScanAsync(new ScanRequest { TableName = Table, ExclusiveStartKey = start, ConsistentRead = true });
            records.AddRange(page.Items.Select(item => AuditJson.Parse(item[AuditTableDefinition.RecordAttribute].S)));
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return records;
    }

    internal sealed record OffendingRole(string Name, string Arn);

    /// <summary>201 roles with an inline Allow *:* each: the cheapest fix there is (one DeleteRolePolicy).</summary>
    private async Task<List<OffendingRole>> CreateOffendingRolesAsync()
    {
        var roles = new ConcurrentBag<(int, OffendingRole)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, DistinctEvents + 1), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
        {
            var name = i == 0 ? "storm-hot" : $"storm-{i:D3}";
            var role = await Aws.Iam.CreateRoleAsync(name, TrustLambda, token);
            await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role(name), "admin", AdminInline, token);
            roles.Add((i, new OffendingRole(name, role.Arn)));
        });
        return [.. roles.OrderBy(r => r.Item1).Select(r => r.Item2)];
    }

    /// <summary>The evaluation of one offending role's PutRolePolicy: one enforce finding whose step deletes the policy.</summary>
    internal static EventEvaluation Evaluation(string eventId, OffendingRole role)
    {
        using var document = JsonDocument.Parse($$$"""
            {"eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","eventID":"{{{eventId}}}","eventTime":"2026-12-04T09:59:00Z",
             "awsRegion":"us-east-1","recipientAccountId":"123456789012","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"},
             "requestParameters":{"roleName":"{{{role.Name}}}","policyName":"admin"}}
            """);
        var e = CloudTrailEvent.TryCreate(document.RootElement, default, out var problem) ?? throw new InvalidOperationException(problem);
        var parameters = new JsonObject { ["RoleName"] = role.Name, ["PolicyName"] = "admin" };
        var step = (OperationCatalogue.Find("iam:DeleteRolePolicy", parameters) ?? throw new InvalidOperationException("iam:DeleteRolePolicy is not in the catalogue"))
            .PlanFrom(ActionNames.Revert, role.Arn, "iam:DeleteRolePolicy", parameters);
        var finding = new Finding(Rule, Concerns.IamBroadPermissions, role.Arn, "AWS::IAM::Role", Severity.High, "admin-wildcard", "Allow * on *", []);
        var rule = new Rule(Rule, "storm", Concerns.IamBroadPermissions, Severity.High, RuleMode.Enforce, default,
            new DetectorUse(new DetectorDescriptor("none", Concerns.IamBroadPermissions, "none", [], _ => new object(), new NoDetector()), new object()),
            Exemptions.None, [], new SourceLocation("storm.yaml", 1, 1));
        return new EventEvaluation(e, null, [new RuleEvaluation(rule, RuleMode.Enforce, null, [new FindingDecision(finding, RuleMode.Enforce, FindingOutcome.Planned, null, [step])])]);
    }

    private sealed class NoDetector : IDetector
    {
        public ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<Finding>>([]);
    }

    private sealed class Tally
    {
        private int _duplicates;
        private int _errors;

        public int Duplicates => Volatile.Read(ref _duplicates);

        public int Errors => Volatile.Read(ref _errors);

        public void Duplicate() => Interlocked.Increment(ref _duplicates);

        public void Error() => Interlocked.Increment(ref _errors);
    }

    private sealed class CountingExecutor(IStepExecutor inner) : IStepExecutor
    {
        private int _total;

        public int Total => Volatile.Read(ref _total);

        public Task<AuditAction> ExecuteAsync(AuditAction step, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _total);
            return inner.ExecuteAsync(step, cancellationToken);
        }
    }
}
