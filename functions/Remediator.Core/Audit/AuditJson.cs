using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Core.Events;

namespace Remediator.Core.Audit;

/// <summary>
/// The JSON form of audit records: one object per record, camelCase names, times as ISO 8601 UTC with seven
/// fractional digits (so that they sort as text: the DynamoDB sort keys rely on it), before/after states embedded as
/// JSON. Written by hand with <see cref="Utf8JsonWriter"/> (NativeAOT: no reflection serializer). Used by the local
/// store, the DynamoDB items and <c>remediator audit --format json</c>.
/// </summary>
public static class AuditJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = Compact with { Indented = true };

    /// <summary>Sortable UTC text of a time: <c>2026-11-01T10:00:00.0000000Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>One record as compact (one line) or indented JSON.</summary>
    public static string ToJson(AuditRecord record, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Records as one JSON array (the CLI's <c>--format json</c>).</summary>
    public static string ToJsonArray(IEnumerable<AuditRecord> records, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                Write(writer, record);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter writer, AuditRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteString("eventId", record.EventId);
        WriteTime(writer, "eventTime", record.EventTime);
        WriteOptional(writer, "account", record.Account);
        WriteOptional(writer, "region", record.Region);
        WriteOptional(writer, "actor", record.Actor);
        writer.WriteString("rule", record.Rule);
        writer.WriteString("concern", record.Concern);
        writer.WriteString("resource", record.Resource);
        writer.WriteString("resourceType", record.ResourceType);
        WriteOptional(writer, "severity", record.Severity?.ToName());
        WriteOptional(writer, "check", record.Check);
        WriteOptional(writer, "summary", record.Summary);
        writer.WriteStartArray("evidence");
        foreach (var item in record.Evidence)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
        writer.WriteString("mode", record.Mode.ToName());
        writer.WriteString("outcome", record.Outcome.ToName());
        WriteOptional(writer, "reason", record.Reason);
        writer.WriteStartArray("actions");
        foreach (var action in record.Actions)
        {
            WriteAction(writer, action);
        }

        writer.WriteEndArray();
        writer.WriteString("recordedAt", FormatTime(record.RecordedAt));
        writer.WriteString("updatedAt", FormatTime(record.UpdatedAt));
        WriteTime(writer, "inProgressUntil", record.InProgressUntil);
        WriteOptional(writer, "undoOf", record.UndoOf);
        WriteOptional(writer, "undoneBy", record.UndoneBy);
        ApprovalJson.Write(writer, record);
        WriteTime(writer, "expiresAt", record.ExpiresAt);
        if (record.MissedEvent is { } missed)
        {
            writer.WriteBoolean("missedEvent", missed);
        }

        WriteOptional(writer, "delivery", record.Delivery);

        writer.WriteEndObject();
    }

    /// <summary>Reads one record; throws <see cref="FormatException"/> naming the field when it is not one.</summary>
    public static AuditRecord Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a JSON audit record: {ex.Message}", ex);
        }
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

    public static AuditRecord Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("an audit record must be a JSON object");
        }

        if (!AuditNames.TryParseMode(Required(element, "mode"), out var mode))
        {
            throw new FormatException($"unknown mode '{JsonText.String(element, "mode")}'");
        }

        if (!AuditNames.TryParseOutcome(Required(element, "outcome"), out var outcome))
        {
            throw new FormatException($"unknown outcome '{JsonText.String(element, "outcome")}'");
        }

        Severity? severity = SeverityNames.TryParse(JsonText.String(element, "severity"), out var s) ? s : null;
        return new AuditRecord
        {
            Id = Required(element, "id"),
            EventId = Required(element, "eventId"),
            EventTime = OptionalTime(element, "eventTime"),
            Account = JsonText.String(element, "account"),
            Region = JsonText.String(element, "region"),
            Actor = JsonText.String(element, "actor"),
            Rule = Required(element, "rule"),
            Concern = JsonText.String(element, "concern") ?? string.Empty,
            Resource = JsonText.String(element, "resource") ?? string.Empty,
            ResourceType = JsonText.String(element, "resourceType") ?? string.Empty,
            Severity = severity,
            Check = JsonText.String(element, "check"),
            Summary = JsonText.String(element, "summary"),
            Evidence = Strings(element, "evidence"),
            Mode = mode,
            Outcome = outcome,
            Reason = JsonText.String(element, "reason"),
            Actions = Actions(element),
            RecordedAt = OptionalTime(element, "recordedAt") ?? throw new FormatException("missing field 'recordedAt'"),
            UpdatedAt = OptionalTime(element, "updatedAt") ?? throw new FormatException("missing field 'updatedAt'"),
            InProgressUntil = OptionalTime(element, "inProgressUntil"),
            UndoOf = JsonText.String(element, "undoOf"),
            UndoneBy = JsonText.String(element, "undoneBy"),
            Approval = ApprovalJson.ReadApproval(element),
            Decision = ApprovalJson.ReadDecision(element),
            DecisionOf = JsonText.String(element, "decisionOf"),
            ExpiresAt = OptionalTime(element, "expiresAt"),
            MissedEvent = JsonText.Member(element, "missedEvent").ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            },
            Delivery = JsonText.String(element, "delivery"),
        };
    }

    private static void WriteAction(Utf8JsonWriter writer, AuditAction action)
    {
        writer.WriteStartObject();
        writer.WriteString("action", action.Action);
        writer.WriteString("operation", action.Operation);
        writer.WriteString("resource", action.Resource);
        WriteOptional(writer, "description", action.Description);
        writer.WritePropertyName("parameters");
        action.Parameters.WriteTo(writer);
        WriteState(writer, "before", action.Before);
        WriteState(writer, "after", action.After);
        writer.WriteString("outcome", action.Outcome.ToName());
        WriteOptional(writer, "error", action.Error);
        WriteTime(writer, "startedAt", action.StartedAt);
        WriteTime(writer, "endedAt", action.EndedAt);
        writer.WriteEndObject();
    }

    private static List<AuditAction> Actions(JsonElement element)
    {
        var actions = new List<AuditAction>();
        if (JsonText.Member(element, "actions") is not { ValueKind: JsonValueKind.Array } array)
        {
            return actions;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (!AuditNames.TryParseActionOutcome(Required(item, "outcome"), out var outcome))
            {
                throw new FormatException($"unknown action outcome '{JsonText.String(item, "outcome")}'");
            }

            var parameters = JsonText.Member(item, "parameters");
            actions.Add(new AuditAction
            {
                Action = Required(item, "action"),
                Operation = Required(item, "operation"),
                Resource = Present(item, "resource"),
                Description = JsonText.String(item, "description"),
                Parameters = parameters.ValueKind == JsonValueKind.Object ? JsonObject.Create(parameters.Clone()) ?? [] : [],
                Before = State(item, "before"),
                After = State(item, "after"),
                Outcome = outcome,
                Error = JsonText.String(item, "error"),
                StartedAt = OptionalTime(item, "startedAt"),
                EndedAt = OptionalTime(item, "endedAt"),
            });
        }

        return actions;
    }

    /// <summary>
    /// A before/after state is JSON text: embedded as JSON so people can read it (and jq can query it), read back
    /// as its exact text. Writing validates it: a state that is not JSON is a bug of the executor.
    /// </summary>
    private static void WriteState(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(json);
        }
    }

    private static string? State(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : null;

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time) =>
        WriteOptional(writer, name, time is null ? null : FormatTime(time.Value));

    private static string Required(JsonElement element, string name) =>
        JsonText.String(element, name) is { Length: > 0 } value ? value : throw new FormatException($"missing field '{name}'");

    /// <summary>A member that must be there, though it may be empty (what the writer writes, the reader reads).</summary>
    private static string Present(JsonElement element, string name) =>
        JsonText.String(element, name) ?? throw new FormatException($"missing field '{name}'");

    private static DateTimeOffset? OptionalTime(JsonElement element, string name)
    {
        var text = JsonText.String(element, name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FormatException($"field '{name}' is not a time: '{text}'");
    }

    private static List<string> Strings(JsonElement element, string name)
    {
        var list = new List<string>();
        if (JsonText.Member(element, name) is { ValueKind: JsonValueKind.Array } array)
        {
            list.AddRange(array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        }

        return list;
    }
}
