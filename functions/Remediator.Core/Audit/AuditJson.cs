using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Remediator.Core.Audit;

/// <summary>
/// The JSON form of audit records: one object per record, camelCase names, times as ISO 8601 UTC with seven
/// fractional digits (so that they sort as text: the DynamoDB sort keys rely on it), before/after states embedded as
/// JSON. The records are serialized as they are by System.Text.Json source generation (<see cref="AuditJsonContext"/>,
/// NativeAOT-safe), with the stored names and times of AuditJsonConverters.cs; a bad record is refused naming the
/// field. Used by the local store, the DynamoDB items and <c>remediator audit --format json</c>.
/// </summary>
public static class AuditJson
{
    private static readonly JsonSerializerOptions Compact = new(AuditJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    /// <summary>Sortable UTC text of a time: <c>2026-11-01T10:00:00.0000000Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>One record as compact (one line) or indented JSON.</summary>
    public static string ToJson(AuditRecord record, bool indented = false) =>
        JsonSerializer.Serialize(record, RecordInfo(indented ? Indented : Compact));

    /// <summary>Records as one JSON array (the CLI's <c>--format json</c>).</summary>
    public static string ToJsonArray(IEnumerable<AuditRecord> records, bool indented = true) =>
        JsonSerializer.Serialize(records.ToList(), ListInfo(indented ? Indented : Compact));

    /// <summary>Reads one record; throws <see cref="FormatException"/> naming the field when it is not one.</summary>
    public static AuditRecord Parse(string json)
    {
        AuditRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(json, RecordInfo(Compact));
        }
        catch (AuditFieldException ex)
        {
            throw new FormatException($"field '{FieldOf(ex.Path)}' {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a JSON audit record: {ex.Message}", ex);
        }

        return Checked(record ?? throw new FormatException("an audit record must be a JSON object"));
    }

    public static bool TryParse(string json, out AuditRecord? record, out string? problem)
    {
        try
        {
            record = Parse(json);
            problem = null;
            return true;
        }
        catch (FormatException ex)
        {
            record = null;
            problem = ex.Message;
            return false;
        }
    }

    /// <summary>Any ISO 8601 time, read as UTC when it names no offset.</summary>
    internal static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static JsonTypeInfo<AuditRecord> RecordInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<AuditRecord>)options.GetTypeInfo(typeof(AuditRecord));

    private static JsonTypeInfo<List<AuditRecord>> ListInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<List<AuditRecord>>)options.GetTypeInfo(typeof(List<AuditRecord>));

    /// <summary>The serializer checks that the keys are there; an empty key is refused here, as a missing one.</summary>
    private static AuditRecord Checked(AuditRecord record)
    {
        Required(record.Id, "id");
        Required(record.EventId, "eventId");
        Required(record.Rule, "rule");
        foreach (var action in record.Actions)
        {
            Required(action.Action, "action");
            Required(action.Operation, "operation");
        }

        return record;
    }

    private static void Required(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new FormatException($"missing field '{name}'");
        }
    }

    /// <summary><c>$.approval.decideBy</c> as <c>approval.decideBy</c>.</summary>
    private static string FieldOf(string? path) => path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path ?? "?";
}
