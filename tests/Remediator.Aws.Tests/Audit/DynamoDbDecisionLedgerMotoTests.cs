using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Time.Testing;
using Remediator.Aws.Audit;
using Remediator.Aws.DynamoDb;
using Remediator.Core.Approvals;

namespace Remediator.Aws.Tests.Audit;

/// <summary>
/// The Slack endpoint's ledger (signed client) against the AWSSDK-based audit store on moto: the same items, each reads
/// what the other wrote, a decision is begun once, and what the endpoint must not do is refused.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DynamoDbDecisionLedgerMotoTests(MotoServer moto) : MotoTests(moto, Table)
{
    private const string Table = "remediator-audit";
    private const string OtherTable = "remediator-audit-ledger";
    private static readonly AuditStoreOptions Options = new() { RetentionDays = 30, InProgressLease = TimeSpan.FromMinutes(5) };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_ledger_writes_the_item_the_store_writes_attribute_for_attribute()
    {
        await Aws.DynamoDb.CreateTableAsync(AuditTableDefinition.CreateTableRequest(OtherTable));
        using var client = Signed();
        var decision = Decision();

        Assert.True(await Store(Table).TryBeginAsync(decision));
        Assert.True(await new DynamoDbDecisionLedger(client, OtherTable, Options, _clock).TryBeginAsync(decision));

        var byStore = await RawItemAsync(Table, decision.Id);
        var byLedger = await RawItemAsync(OtherTable, decision.Id);
        Assert.Equal(Flatten(byStore), Flatten(byLedger));
        Assert.Contains("inProgressUntil", byLedger.Keys);
        Assert.Contains("expiresAt", byLedger.Keys);
    }

    [Fact]
    public async Task Each_reads_what_the_other_wrote()
    {
        using var client = Signed();
        var ledger = new DynamoDbDecisionLedger(client, Table, Options, _clock);
        var pending = Decision() with { Id = "e-2/iam-admin-wildcard", EventId = "e-2", Outcome = AuditOutcome.Pending, Decision = null, DecisionOf = null };
        var decision = Decision();

        Assert.True(await Store(Table).TryBeginAsync(pending));
        Assert.True(await ledger.TryBeginAsync(decision));

        Assert.Equal(AuditJson.ToJson(Options.Stamp(pending, _clock.GetUtcNow())), AuditJson.ToJson((await ledger.GetAsync(pending.Id))!));
        Assert.Equal(AuditJson.ToJson(Options.Stamp(decision, _clock.GetUtcNow())), AuditJson.ToJson((await Store(Table).GetAsync(decision.Id))!));
        Assert.Null(await ledger.GetAsync("e-404/iam-admin-wildcard"));
    }

    [Fact]
    public async Task A_decision_is_begun_once_and_taken_over_only_after_its_lease()
    {
        using var client = Signed();
        var ledger = new DynamoDbDecisionLedger(client, Table, Options, _clock);
        var first = Decision();

        Assert.True(await ledger.TryBeginAsync(first));
        Assert.False(await ledger.TryBeginAsync(first with { Reason = "a second approver" }));
        Assert.Equal(first.Reason, (await Store(Table).GetAsync(first.Id))!.Reason);

        _clock.Advance(Options.InProgressLease + TimeSpan.FromSeconds(1));
        Assert.True(await ledger.TryBeginAsync(first with { Reason = "after the lease", RecordedAt = _clock.GetUtcNow(), UpdatedAt = _clock.GetUtcNow() }));
        Assert.Equal("after the lease", (await Store(Table).GetAsync(first.Id))!.Reason);
    }

    [Fact]
    public async Task What_the_endpoint_must_not_do_is_refused()
    {
        using var client = Signed();
        var ledger = new DynamoDbDecisionLedger(client, Table, Options, _clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.CompleteAsync(Decision() with { Outcome = AuditOutcome.Decided }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.QueryAsync(new AuditQuery()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.MarkUndoneAsync("e-1/r", "e-1/r/undo"));
    }

    private DynamoDbClient Signed() => new(TestAws.Options(Moto.Endpoint), TestAws.Settings());

    private DynamoDbAuditStore Store(string table) => new(Aws.DynamoDb, table, Options, _clock);

    private async Task<Dictionary<string, AttributeValue>> RawItemAsync(string table, string id) =>
        (await Aws.DynamoDb.GetItemAsync(new GetItemRequest { TableName = table, Key = AuditTableDefinition.KeyFor(id), ConsistentRead = true })).Item;

    private static List<string> Flatten(Dictionary<string, AttributeValue> item) =>
        [.. item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={(a.Value.S is null ? "N:" + a.Value.N : "S:" + a.Value.S)}")];

    /// <summary>A decision record in progress, as the endpoint begins it: approval, decision taken, resource, actions.</summary>
    private AuditRecord Decision()
    {
        var now = _clock.GetUtcNow();
        return new AuditRecord
        {
            Id = "e-1/iam-admin-wildcard/decision",
            EventId = "e-1",
            EventTime = now.AddMinutes(-3),
            Account = "111122223333",
            Region = "us-east-1",
            Actor = "arn:aws:iam::111122223333:user/alice",
            Rule = "iam-admin-wildcard",
            Concern = Concerns.IamBroadPermissions,
            Resource = "arn:aws:iam::111122223333:role/app",
            ResourceType = "AWS::IAM::Role",
            Severity = Severity.High,
            Check = "admin-wildcard",
            Summary = "Allow * on * (\"quoted\", ü)",
            Evidence = ["""{"Effect":"Allow","Action":"*","Resource":"*"}"""],
            Mode = RuleMode.Enforce,
            Outcome = AuditOutcome.InProgress,
            Reason = "apply of e-1/iam-admin-wildcard by U0APPROVER: from Slack",
            Actions =
            [
                new AuditAction { Action = "revert", Operation = "iam:DeleteRolePolicy", Resource = "arn:aws:iam::111122223333:role/app", Parameters = new JsonObject { ["RoleName"] = "app", ["PolicyName"] = "admin" } },
            ],
            Approval = new ApprovalRequest(["U0APPROVER"], now.AddHours(24), ExpiryOutcome.Notify, false),
            Decision = new DecisionTaken(DecisionVerb.Apply, "U0APPROVER", now, "from Slack"),
            DecisionOf = "e-1/iam-admin-wildcard",
            RecordedAt = now,
            UpdatedAt = now,
        };
    }
}
