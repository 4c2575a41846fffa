using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediator.Aws.DynamoDb;

namespace Remediator.Aws.Audit;

/// <summary>
/// The audit table, in one place: tests create it from here and serverless.template mirrors it.
/// <code>
/// item        pk = EVENT#&lt;eventId&gt;   sk = RULE#&lt;rule&gt;[/&lt;n&gt;|/undo]   (the record's id, split at its first '/')
///             id, record (the record's JSON), outcome, rule, recordedAt (sortable UTC text), day (yyyy-MM-dd),
///             resource (absent when the record has none), expiresAt (TTL, epoch seconds),
///             inProgressUntil (epoch ms, only while in progress), undoneBy (only once undone)
/// byResource  resource / recordedAt   "what happened to this role?"           (sparse: records without resource stay out)
/// byRule      rule / recordedAt       "what did this rule do this quarter?"
/// byDay       day / recordedAt        "everything since 09:00": walk the days from today back to --since
/// </code>
/// Why GSIs and not a scan for <c>--since</c> and <c>--rule</c>: a scan reads (and bills) the whole retained year for
/// every <c>audit --since 1h</c>, and returns it unordered. A day partition keeps "recent first" a handful of small
/// queries; the audit write rate (a few changes a minute at worst) is far below one partition's limit, so a day key
/// is no hot spot. Projection ALL: every query needs the whole record, and a second read per result would cost more
/// than the duplicated kilobytes. Billing on demand: the load is bursty and small. Encryption, point-in-time
/// recovery and the stream (which feeds the notifier) are the template's business.
/// </summary>
public static class AuditTableDefinition
{
    public const string PartitionKey = "pk";
    public const string SortKey = "sk";
    public const string IdAttribute = "id";
    public const string RecordAttribute = "record";
    public const string OutcomeAttribute = "outcome";
    public const string RuleAttribute = "rule";
    public const string ResourceAttribute = "resource";
    public const string RecordedAtAttribute = "recordedAt";
    public const string DayAttribute = "day";
    public const string InProgressUntilAttribute = "inProgressUntil";
    public const string UndoneByAttribute = "undoneBy";

    /// <summary>The TTL attribute: epoch seconds, as DynamoDB's time to live requires.</summary>
    public const string TimeToLiveAttribute = "expiresAt";

    public const string ResourceIndex = "byResource";
    public const string RuleIndex = "byRule";
    public const string DayIndex = "byDay";

    internal const string EventPrefix = "EVENT#";
    internal const string RulePrefix = "RULE#";

    public static CreateTableRequest CreateTableRequest(string tableName) =>
        new()
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH), new KeySchemaElement(SortKey, KeyType.RANGE)],
            AttributeDefinitions =
            [
                new AttributeDefinition(PartitionKey, ScalarAttributeType.S),
                new AttributeDefinition(SortKey, ScalarAttributeType.S),
                new AttributeDefinition(ResourceAttribute, ScalarAttributeType.S),
                new AttributeDefinition(RuleAttribute, ScalarAttributeType.S),
                new AttributeDefinition(DayAttribute, ScalarAttributeType.S),
                new AttributeDefinition(RecordedAtAttribute, ScalarAttributeType.S),
            ],
            GlobalSecondaryIndexes =
            [
                Index(ResourceIndex, ResourceAttribute),
                Index(RuleIndex, RuleAttribute),
                Index(DayIndex, DayAttribute),
            ],
        };

    public static UpdateTimeToLiveRequest TimeToLiveRequest(string tableName) =>
        new()
        {
            TableName = tableName,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = TimeToLiveAttribute, Enabled = true },
        };

    /// <summary>The item key of a record id <c>&lt;eventId&gt;/&lt;rest&gt;</c> (see <see cref="AuditItem.Key"/>), as the AWSSDK takes it.</summary>
    public static Dictionary<string, AttributeValue> KeyFor(string id) => ToAttributeValues(AuditItem.Key(id));

    /// <summary>Scalar attributes as the AWSSDK's values.</summary>
    internal static Dictionary<string, AttributeValue> ToAttributeValues(IReadOnlyDictionary<string, DynamoScalar> item)
    {
        var values = new Dictionary<string, AttributeValue>(item.Count, StringComparer.Ordinal);
        foreach (var (name, value) in item)
        {
            values[name] = value.IsNumber ? new AttributeValue { N = value.Text } : new AttributeValue { S = value.Text };
        }

        return values;
    }

    private static GlobalSecondaryIndex Index(string name, string partitionAttribute) =>
        new()
        {
            IndexName = name,
            KeySchema = [new KeySchemaElement(partitionAttribute, KeyType.HASH), new KeySchemaElement(RecordedAtAttribute, KeyType.RANGE)],
            Projection = new Projection { ProjectionType = ProjectionType.ALL },
        };
}
