using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Remediator.Aws.Audit;

namespace Remediator.Aws.Tests.Audit;

/// <summary>The DynamoDB audit store against moto's DynamoDB: real conditional writes, indexes and TTL settings.</summary>
[Collection(MotoCollection.Name)]
public sealed class DynamoDbAuditStoreTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private const string Table = "remediator-audit";
    private const string RoleArn = "arn:aws:iam::111122223333:role/app";
    private readonly FakeTimeProvider _clock = new(T("2026-11-03T12:00:00Z"));
    private AmazonDynamoDBClient? _client;

    private AmazonDynamoDBClient Client => _client ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _client = new AmazonDynamoDBClient(
            new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey),
            new AmazonDynamoDBConfig { ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        await Client.CreateTableAsync(AuditTableDefinition.CreateTableRequest(Table));
        await Client.UpdateTimeToLiveAsync(AuditTableDefinition.TimeToLiveRequest(Table));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _client?.Dispose();

    private DynamoDbAuditStore NewStore(AuditStoreOptions? options = null) => new(Client, Table, options, _clock);

    [Fact]
    public async Task The_table_from_the_definition_has_its_keys_indexes_and_ttl()
    {
        var table = (await Client.DescribeTableAsync(Table)).Table;
        var ttl = (await Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = Table })).TimeToLiveDescription;

        Assert.Equal(["pk", "sk"], table.KeySchema.Select(k => k.AttributeName));
        Assert.Equal(["byDay", "byResource", "byRule"], table.GlobalSecondaryIndexes.Select(i => i.IndexName).Order(StringComparer.Ordinal));
        Assert.All(table.GlobalSecondaryIndexes, i => Assert.Equal("recordedAt", i.KeySchema[1].AttributeName));
        Assert.Equal(("expiresAt", TimeToLiveStatus.ENABLED), (ttl.AttributeName, ttl.TimeToLiveStatus));
    }

    [Fact]
    public async Task A_record_is_begun_completed_and_read_back()
    {
        var store = NewStore();
        var begun = Record("e-1", "iam-no-admin", outcome: AuditOutcome.InProgress);

        Assert.True(await store.TryBeginAsync(begun));
        Assert.Equal(AuditOutcome.InProgress, (await store.GetAsync(begun.Id))?.Outcome);

        var final = begun.Completed([begun.Actions[0] with { Outcome = ActionOutcome.Done, Before = """{"PolicyName":"p"}""" }], _clock.GetUtcNow());
        Assert.True(await store.CompleteAsync(final));

        var stored = await store.GetAsync("e-1/iam-no-admin");
        Assert.NotNull(stored);
        Assert.Equal(AuditOutcome.Applied, stored.Outcome);
        Assert.Equal("""{"PolicyName":"p"}""", stored.Actions[0].Before);
        Assert.Equal("app", (string?)stored.Actions[0].Parameters["RoleName"]);
        Assert.Null(stored.InProgressUntil);
        Assert.Null(await store.GetAsync("e-2/iam-no-admin"));
    }

    [Fact]
    public async Task A_second_delivery_writes_nothing_and_is_told_so()
    {
        var store = NewStore();
        var first = Record("e-1", "iam-no-admin", outcome: AuditOutcome.InProgress);

        Assert.True(await store.TryBeginAsync(first));
        Assert.False(await store.TryBeginAsync(first with { Summary = "second delivery", RecordedAt = _clock.GetUtcNow().AddSeconds(1) }));

        var scan = await Client.ScanAsync(new ScanRequest { TableName = Table });
        var item = Assert.Single(scan.Items);
        Assert.Equal(AuditJson.FormatTime(first.RecordedAt), item["recordedAt"].S);
        Assert.Equal(first.Summary, (await store.GetAsync(first.Id))?.Summary);
    }

    [Fact]
    public async Task The_item_carries_its_keys_ttl_and_lease()
    {
        var store = NewStore(new AuditStoreOptions { RetentionDays = 90, InProgressLease = TimeSpan.FromMinutes(10) });
        var begun = Record("e-1", "iam-no-admin", outcome: AuditOutcome.InProgress);
        await store.TryBeginAsync(begun);

        var item = await RawItemAsync(begun.Id);
        Assert.Equal(("EVENT#e-1", "RULE#iam-no-admin"), (item["pk"].S, item["sk"].S));
        Assert.Equal(begun.RecordedAt.AddDays(90).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), item["expiresAt"].N);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), item["inProgressUntil"].N);
        Assert.Equal(("2026-11-03", RoleArn, "in-progress"), (item["day"].S, item["resource"].S, item["outcome"].S));

        await store.CompleteAsync(begun.Completed([], _clock.GetUtcNow()));

        var completed = await RawItemAsync(begun.Id);
        Assert.False(completed.ContainsKey("inProgressUntil"));
        Assert.Equal(item["expiresAt"].N, completed["expiresAt"].N);
        Assert.Equal("applied", completed["outcome"].S);
    }

    [Fact]
    public async Task Only_the_owner_completes_and_only_once()
    {
        var store = NewStore();
        var begun = Record("e-1", "iam-no-admin", outcome: AuditOutcome.InProgress);
        await store.TryBeginAsync(begun);

        Assert.False(await store.CompleteAsync((begun with { RecordedAt = _clock.GetUtcNow().AddSeconds(1) }).Completed([], _clock.GetUtcNow())));
        Assert.True(await store.CompleteAsync(begun.Completed([], _clock.GetUtcNow())));
        Assert.False(await store.CompleteAsync(begun.Completed([], _clock.GetUtcNow(), reason: "again")));
        Assert.False(await store.CompleteAsync(Record("e-404", "iam-no-admin").Completed([], _clock.GetUtcNow())));
    }

    [Fact]
    public async Task An_abandoned_in_progress_record_is_taken_over_after_its_lease_and_the_old_owner_loses()
    {
        var store = NewStore(new AuditStoreOptions { InProgressLease = TimeSpan.FromMinutes(5) });
        var crashed = Record("e-1", "iam-no-admin", outcome: AuditOutcome.InProgress);
        await store.TryBeginAsync(crashed);

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(await store.TryBeginAsync(crashed with { RecordedAt = _clock.GetUtcNow() }));

        _clock.Advance(TimeSpan.FromMinutes(2));
        var retry = crashed with { RecordedAt = _clock.GetUtcNow() };
        Assert.True(await store.TryBeginAsync(retry));
        Assert.False(await store.CompleteAsync(crashed.Completed([], _clock.GetUtcNow())));
        Assert.True(await store.CompleteAsync(retry.Completed([], _clock.GetUtcNow())));

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.False(await store.TryBeginAsync(crashed with { RecordedAt = _clock.GetUtcNow() }));
    }

    [Fact]
    public async Task Queries_by_resource_rule_and_time_come_newest_first()
    {
        var store = NewStore();
        await store.TryBeginAsync(Record("e-1", "rule-a", "arn:r1", "2026-11-01T10:00:00Z"));
        await store.TryBeginAsync(Record("e-2", "rule-b", "arn:r1", "2026-11-02T11:00:00Z"));
        await store.TryBeginAsync(Record("e-3", "rule-a", "arn:r2", "2026-11-03T09:00:00Z"));
        await store.TryBeginAsync(Record("e-4", "rule-a", "arn:r1", "2026-11-03T11:00:00Z"));
        await store.TryBeginAsync(Record("e-5", AuditRecord.NoRule, resource: string.Empty, recordedAt: "2026-11-02T12:00:00Z"));

        Assert.Equal(["e-4", "e-2", "e-1"], await EventIds(store, new AuditQuery(Resource: "arn:r1")));
        Assert.Equal(["e-4", "e-2"], await EventIds(store, new AuditQuery(Resource: "arn:r1", Since: T("2026-11-02T00:00:00Z"))));
        Assert.Equal(["e-4", "e-1"], await EventIds(store, new AuditQuery(Resource: "arn:r1", Rule: "rule-a")));
        Assert.Equal(["e-4", "e-3", "e-1"], await EventIds(store, new AuditQuery(Rule: "rule-a")));
        Assert.Equal(["e-4", "e-3", "e-5"], await EventIds(store, new AuditQuery(Since: T("2026-11-02T11:30:00Z"))));
        Assert.Equal(["e-4", "e-3", "e-5", "e-2", "e-1"], await EventIds(store, new AuditQuery()));
        Assert.Equal(["e-4", "e-3"], await EventIds(store, new AuditQuery(Limit: 2)));
    }

    [Fact]
    public async Task An_undo_marks_the_original_once()
    {
        var store = NewStore();
        var original = Record("e-1", "iam-no-admin");
        await store.TryBeginAsync(original);
        var undo = AuditRecord.ForUndo(original, [], RuleMode.Enforce, _clock.GetUtcNow());

        Assert.True(await store.TryBeginAsync(undo));
        Assert.False(await store.MarkUndoneAsync(undo.Id, "nothing: still in progress"));
        Assert.True(await store.CompleteAsync(undo.Completed([], _clock.GetUtcNow())));
        Assert.True(await store.MarkUndoneAsync(original.Id, undo.Id));
        Assert.False(await store.MarkUndoneAsync(original.Id, "again"));
        Assert.False(await store.MarkUndoneAsync("e-404/rule", undo.Id));

        var marked = await store.GetAsync(original.Id);
        Assert.Equal((AuditOutcome.Undone, undo.Id), (marked?.Outcome, marked?.UndoneBy));
        Assert.Equal(("EVENT#e-1", "RULE#iam-no-admin/undo"), ((await RawItemAsync(undo.Id))["pk"].S, (await RawItemAsync(undo.Id))["sk"].S));
    }

    private async Task<Dictionary<string, AttributeValue>> RawItemAsync(string id) =>
        (await Client.GetItemAsync(new GetItemRequest { TableName = Table, Key = AuditTableDefinition.KeyFor(id), ConsistentRead = true })).Item;

    private static async Task<List<string>> EventIds(DynamoDbAuditStore store, AuditQuery query) =>
        [.. (await store.QueryAsync(query)).Select(r => r.EventId)];

    private static DateTimeOffset T(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private AuditRecord Record(
        string eventId,
        string rule,
        string resource = RoleArn,
        string? recordedAt = null,
        AuditOutcome outcome = AuditOutcome.Planned)
    {
        var at = recordedAt is null ? _clock.GetUtcNow() : T(recordedAt);
        return new AuditRecord
        {
            Id = AuditRecord.IdFor(eventId, rule),
            EventId = eventId,
            EventTime = at.AddSeconds(-5),
            Account = "111122223333",
            Region = "us-east-1",
            Actor = "arn:aws:iam::111122223333:user/alice",
            Rule = rule,
            Concern = Concerns.IamBroadPermissions,
            Resource = resource,
            ResourceType = "AWS::IAM::Role",
            Severity = Severity.High,
            Check = "admin-wildcard",
            Summary = "Allow * on *",
            Evidence = ["""{"Effect":"Allow","Action":"*","Resource":"*"}"""],
            Mode = outcome == AuditOutcome.Planned ? RuleMode.DryRun : RuleMode.Enforce,
            Outcome = outcome,
            Actions =
            [
                new AuditAction
                {
                    Action = "revert",
                    Operation = "iam:DeleteRolePolicy",
                    Resource = resource,
                    Parameters = new JsonObject { ["RoleName"] = "app", ["PolicyName"] = "p" },
                },
            ],
            RecordedAt = at,
            UpdatedAt = at,
        };
    }
}
