using System.Globalization;
using Remediator.Aws.DynamoDb;
using Remediator.Core.Audit;
using static Remediator.Aws.Audit.AuditTableDefinition;

namespace Remediator.Aws.Audit;

/// <summary>
/// An audit record as an item of the audit table, and the condition of a begin, in one place: the AWSSDK-based
/// <see cref="DynamoDbAuditStore"/> and the signed <see cref="DynamoDbDecisionLedger"/> both write what this builds,
/// so the items they write are the same attribute for attribute and either reads what the other wrote.
/// </summary>
public static class AuditItem
{
    /// <summary>The placeholder of the in-progress outcome in conditions.</summary>
    public const string InProgressValue = ":inProgress";

    /// <summary>The item key of a record id <c>&lt;eventId&gt;/&lt;rest&gt;</c> (event ids hold no '/').</summary>
    public static Dictionary<string, DynamoScalar> Key(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == id.Length - 1)
        {
            throw new ArgumentException($"audit record id '{id}' is not '<eventId>/<rule>'.", nameof(id));
        }

        return new Dictionary<string, DynamoScalar>(StringComparer.Ordinal)
        {
            [PartitionKey] = DynamoScalar.String(EventPrefix + id[..slash]),
            [AuditTableDefinition.SortKey] = DynamoScalar.String(RulePrefix + id[(slash + 1)..]),
        };
    }

    /// <summary>The record's JSON plus the attributes that keys, indexes, conditions and TTL need.</summary>
    public static Dictionary<string, DynamoScalar> From(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = Key(record.Id);
        item[IdAttribute] = DynamoScalar.String(record.Id);
        item[RecordAttribute] = DynamoScalar.String(AuditJson.ToJson(record));
        item[OutcomeAttribute] = DynamoScalar.String(record.Outcome.ToName());
        item[RuleAttribute] = DynamoScalar.String(record.Rule);
        item[RecordedAtAttribute] = DynamoScalar.String(AuditJson.FormatTime(record.RecordedAt));
        item[DayAttribute] = DynamoScalar.String(DayOf(record.RecordedAt.UtcDateTime));
        if (record.Resource.Length > 0)
        {
            // Index keys may not be empty strings; a record without a resource simply stays out of byResource.
            item[ResourceAttribute] = DynamoScalar.String(record.Resource);
        }

        if (record.ExpiresAt is { } expires)
        {
            item[TimeToLiveAttribute] = DynamoScalar.Number(expires.ToUnixTimeSeconds());
        }

        if (record.IsInProgress && record.InProgressUntil is { } until)
        {
            item[InProgressUntilAttribute] = DynamoScalar.Number(until.ToUnixTimeMilliseconds());
        }

        if (record.UndoneBy is not null)
        {
            item[UndoneByAttribute] = DynamoScalar.String(record.UndoneBy);
        }

        return item;
    }

    /// <summary>
    /// A begin's condition: the key is free, or holds an in-progress record whose lease ran out before
    /// <paramref name="now"/> (its owner crashed).
    /// </summary>
    public static DynamoCondition BeginCondition(DateTimeOffset now) => new(
        $"attribute_not_exists({PartitionKey}) OR (#outcome = {InProgressValue} AND #until <= :now)",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["#outcome"] = OutcomeAttribute,
            ["#until"] = InProgressUntilAttribute,
        },
        new Dictionary<string, DynamoScalar>(StringComparer.Ordinal)
        {
            [InProgressValue] = DynamoScalar.String(AuditOutcome.InProgress.ToName()),
            [":now"] = DynamoScalar.Number(now.ToUnixTimeMilliseconds()),
        });

    /// <summary>The record an item holds (its <c>record</c> attribute).</summary>
    /// <param name="json">The <c>record</c> attribute's text, null when the item has none.</param>
    /// <param name="id">The item's <c>id</c> attribute, for the error.</param>
    public static AuditRecord ToRecord(string? json, string? id) =>
        json is not null
            ? AuditJson.Parse(json)
            : throw new FormatException($"audit item {id ?? "?"} has no '{RecordAttribute}' attribute");

    public static string DayOf(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
