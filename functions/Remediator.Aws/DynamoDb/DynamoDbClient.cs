using System.Text.Json;
using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.DynamoDb;

/// <summary>The DynamoDB operations <see cref="DynamoDbClient"/> calls, each with the IAM action it needs.</summary>
public static class DynamoDbOperations
{
    public const string TargetPrefix = "DynamoDB_20120810";

    public static readonly AwsOperation GetItem = AwsOperation.Rpc("dynamodb", "GetItem");
    public static readonly AwsOperation PutItem = AwsOperation.Rpc("dynamodb", "PutItem");

    public static readonly IReadOnlyList<AwsOperation> All = [GetItem, PutItem];
}

/// <summary>One scalar attribute value: a string (<c>S</c>) or a number (<c>N</c>, its decimal text).</summary>
public readonly record struct DynamoScalar(string Text, bool IsNumber)
{
    public static DynamoScalar String(string text) => new(text, IsNumber: false);

    public static DynamoScalar Number(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), IsNumber: true);
}

/// <summary>A condition expression with its placeholders (<c>#name</c> and <c>:value</c>).</summary>
public sealed record DynamoCondition(string Expression, IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, DynamoScalar> Values);

/// <summary>
/// Single-item reads and conditional writes (JSON 1.0) on the signed transport, for items of scalar attributes only
/// (the audit table's). The Slack endpoint reads and begins decisions with it, so its cold start builds no AWSSDK
/// DynamoDB client and its click runs on the same transport as its other two calls (docs/benchmarks.md, "Cold start").
/// </summary>
public sealed class DynamoDbClient : AwsServiceClient
{
    private const string ConditionFailed = "ConditionalCheckFailedException";
    private readonly JsonProtocol _json;

    public DynamoDbClient(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.DynamoDb, options, settings)
    {
        _json = new JsonProtocol(Transport, DynamoDbOperations.TargetPrefix, JsonProtocol.Version10);
    }

    /// <summary>
    /// The item with that key, or null when there is none. Attributes of other types than S and N are left out: the
    /// tables this client serves hold none.
    /// </summary>
    public async Task<Dictionary<string, DynamoScalar>?> GetItemAsync(string table, IReadOnlyDictionary<string, DynamoScalar> key, bool consistentRead, CancellationToken cancellationToken = default)
    {
        var reply = await _json.CallAsync(DynamoDbOperations.GetItem, Describe(table, key), writer =>
        {
            writer.WriteString("TableName", table);
            WriteItem(writer, "Key", key);
            writer.WriteBoolean("ConsistentRead", consistentRead);
        }, cancellationToken).ConfigureAwait(false);
        return Json.Member(reply, "Item") is { ValueKind: JsonValueKind.Object } item ? ReadItem(item) : null;
    }

    /// <summary>Writes the item if <paramref name="condition"/> holds; false, and nothing written, when it does not.</summary>
    public async Task<bool> PutItemAsync(string table, IReadOnlyDictionary<string, DynamoScalar> item, DynamoCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        try
        {
            await _json.CallAsync(DynamoDbOperations.PutItem, "table/" + table, writer =>
            {
                writer.WriteString("TableName", table);
                WriteItem(writer, "Item", item);
                writer.WriteString("ConditionExpression", condition.Expression);
                // DynamoDB refuses an empty map of names or values: a condition without placeholders sends neither.
                if (condition.Names.Count > 0)
                {
                    writer.WriteStartObject("ExpressionAttributeNames");
                    foreach (var (name, attribute) in condition.Names)
                    {
                        writer.WriteString(name, attribute);
                    }

                    writer.WriteEndObject();
                }

                if (condition.Values.Count > 0)
                {
                    WriteItem(writer, "ExpressionAttributeValues", condition.Values);
                }
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AwsServiceException failed) when (failed.ErrorCode == ConditionFailed)
        {
            return false;
        }
    }

    private static void WriteItem(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, DynamoScalar> item)
    {
        writer.WriteStartObject(name);
        foreach (var (attribute, value) in item)
        {
            writer.WriteStartObject(attribute);
            writer.WriteString(value.IsNumber ? "N" : "S", value.Text);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static Dictionary<string, DynamoScalar> ReadItem(JsonElement item)
    {
        var read = new Dictionary<string, DynamoScalar>(StringComparer.Ordinal);
        foreach (var attribute in item.EnumerateObject())
        {
            if (Json.String(attribute.Value, "S") is { } text)
            {
                read[attribute.Name] = DynamoScalar.String(text);
            }
            else if (Json.String(attribute.Value, "N") is { } number)
            {
                read[attribute.Name] = new DynamoScalar(number, IsNumber: true);
            }
        }

        return read;
    }

    // For error messages: the table and the key (a put names only the table: the rest of an item stays out of logs).
    private static string Describe(string table, IReadOnlyDictionary<string, DynamoScalar> key) =>
        $"table/{table} key {string.Join(' ', key.Values.Select(v => v.Text))}";
}
