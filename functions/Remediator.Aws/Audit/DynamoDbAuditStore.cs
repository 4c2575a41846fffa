using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediator.Core.Audit;
using static Remediator.Aws.Audit.AuditTableDefinition;

namespace Remediator.Aws.Audit;

/// <summary>
/// The audit trail in DynamoDB (table: <see cref="AuditTableDefinition"/>). Exactly-once rests on conditional writes:
/// a begin is a PutItem that succeeds only when the key is free or holds an in-progress record whose lease ran out;
/// a completion is a PutItem that succeeds only while the stored record is the caller's in-progress one. A lost race
/// is <see cref="ConditionalCheckFailedException"/>, answered with false: the caller does nothing more.
/// </summary>
public sealed class DynamoDbAuditStore : IAuditStore
{
    private const string InProgress = AuditItem.InProgressValue;
    private readonly IAmazonDynamoDB _client;
    private readonly string _tableName;
    private readonly AuditStoreOptions _options;
    private readonly TimeProvider _clock;

    /// <param name="client">Configured by the caller (region, endpoint, credentials); not disposed here.</param>
    public DynamoDbAuditStore(IAmazonDynamoDB client, string tableName, AuditStoreOptions? options = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        _client = client;
        _tableName = tableName;
        _options = (options ?? new AuditStoreOptions()).Validated();
        _clock = clock ?? TimeProvider.System;
    }

    public async Task<bool> TryBeginAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        record.Validated();
        var now = _clock.GetUtcNow();
        var condition = AuditItem.BeginCondition(now);
        var request = new PutItemRequest
        {
            TableName = _tableName,
            Item = ToItem(_options.Stamp(record, now)),
            ConditionExpression = condition.Expression,
            ExpressionAttributeNames = new Dictionary<string, string>(condition.Names, StringComparer.Ordinal),
            ExpressionAttributeValues = ToAttributeValues(condition.Values),
        };
        return await PutConditionallyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CompleteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        record.Validated();
        if (record.IsInProgress)
        {
            throw new ArgumentException($"audit record '{record.Id}' is still in progress: complete it with its final outcome.", nameof(record));
        }

        var request = new PutItemRequest
        {
            TableName = _tableName,
            Item = ToItem(_options.Stamp(record, _clock.GetUtcNow())),
            ConditionExpression = $"#outcome = {InProgress} AND #recordedAt = :recordedAt",
            ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["#outcome"] = OutcomeAttribute,
                ["#recordedAt"] = RecordedAtAttribute,
            },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [InProgress] = new() { S = AuditOutcome.InProgress.ToName() },
                [":recordedAt"] = new() { S = AuditJson.FormatTime(record.RecordedAt) },
            },
        };
        return await PutConditionallyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> MarkUndoneAsync(string originalId, string undoId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(undoId);
        var current = await GetItemAsync(originalId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return false;
        }

        var original = FromItem(current);
        if (original.UndoneBy is not null || original.IsInProgress)
        {
            return false;
        }

        // Read, change, write back on condition that nobody wrote in between (the record's JSON is unchanged).
        var request = new PutItemRequest
        {
            TableName = _tableName,
            Item = ToItem(original with { UndoneBy = undoId, Outcome = AuditOutcome.Undone, UpdatedAt = _clock.GetUtcNow() }),
            ConditionExpression = "#record = :seen AND attribute_not_exists(#undoneBy)",
            ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["#record"] = RecordAttribute,
                ["#undoneBy"] = UndoneByAttribute,
            },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [":seen"] = current[RecordAttribute],
            },
        };
        return await PutConditionallyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var item = await GetItemAsync(id, cancellationToken).ConfigureAwait(false);
        return item is null ? null : FromItem(item);
    }

    /// <summary>
    /// Resource given: the byResource index (rule as a filter). Else rule given: byRule. Else byDay, one day at a
    /// time from today back to <see cref="AuditQuery.Since"/> (or the retention), until the limit is reached.
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        query.Validated();
        var found = new List<AuditRecord>();
        if (query.Resource is not null)
        {
            await QueryIndexAsync(ResourceIndex, ResourceAttribute, query.Resource, query, filterByRule: query.Rule is not null, found, cancellationToken).ConfigureAwait(false);
        }
        else if (query.Rule is not null)
        {
            await QueryIndexAsync(RuleIndex, RuleAttribute, query.Rule, query, filterByRule: false, found, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // From tomorrow: tolerates a writer whose clock runs a little ahead of ours.
            var day = _clock.GetUtcNow().UtcDateTime.Date.AddDays(1);
            var last = (query.Since?.UtcDateTime ?? _clock.GetUtcNow().UtcDateTime.AddDays(-_options.RetentionDays)).Date;
            for (; day >= last && found.Count < query.Limit; day = day.AddDays(-1))
            {
                await QueryIndexAsync(DayIndex, DayAttribute, AuditItem.DayOf(day), query, filterByRule: false, found, cancellationToken).ConfigureAwait(false);
            }
        }

        return found;
    }

    private async Task QueryIndexAsync(
        string index, string keyAttribute, string keyValue, AuditQuery query, bool filterByRule, List<AuditRecord> found, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["#key"] = keyAttribute };
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":key"] = new() { S = keyValue } };
        var condition = "#key = :key";
        if (query.Since is { } since)
        {
            names["#recordedAt"] = RecordedAtAttribute;
            values[":since"] = new AttributeValue { S = AuditJson.FormatTime(since) };
            condition += " AND #recordedAt >= :since";
        }

        string? filter = null;
        if (filterByRule)
        {
            names["#rule"] = RuleAttribute;
            values[":rule"] = new AttributeValue { S = query.Rule };
            filter = "#rule = :rule";
        }

        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var response = await _client.QueryAsync(
                new QueryRequest
                {
                    TableName = _tableName,
                    IndexName = index,
                    KeyConditionExpression = condition,
                    FilterExpression = filter,
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                    ScanIndexForward = false,
                    Limit = query.Limit - found.Count,
                    ExclusiveStartKey = startKey,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Items ?? [])
            {
                if (found.Count < query.Limit)
                {
                    found.Add(FromItem(item));
                }
            }

            startKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (startKey is not null && found.Count < query.Limit);
    }

    private async Task<Dictionary<string, AttributeValue>?> GetItemAsync(string id, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(
            new GetItemRequest { TableName = _tableName, Key = KeyFor(id), ConsistentRead = true },
            cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private async Task<bool> PutConditionallyAsync(PutItemRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _client.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>The record as an item (<see cref="AuditItem.From"/>).</summary>
    internal static Dictionary<string, AttributeValue> ToItem(AuditRecord record) => ToAttributeValues(AuditItem.From(record));

    internal static AuditRecord FromItem(Dictionary<string, AttributeValue> item) =>
        AuditItem.ToRecord(item.TryGetValue(RecordAttribute, out var json) ? json.S : null, item.TryGetValue(IdAttribute, out var id) ? id.S : null);
}
