using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Remediator.Core.Audit;

// The stored shape of an audit record, member for member in the order it has always been written: the source
// generator writes these, and AuditJson maps them to and from the domain records. Times and names stay text here so
// that a bad one is refused naming its field (AuditJson does that), not with a serializer path.

internal sealed class AuditRecordShape
{
    public string? Id { get; set; }
    public string? EventId { get; set; }
    public string? EventTime { get; set; }
    public string? Account { get; set; }
    public string? Region { get; set; }
    public string? Actor { get; set; }
    public string? Rule { get; set; }
    public string? Concern { get; set; }
    public string? Resource { get; set; }
    public string? ResourceType { get; set; }
    public string? Severity { get; set; }
    public string? Check { get; set; }
    public string? Summary { get; set; }
    public List<string>? Evidence { get; set; }
    public string? Mode { get; set; }
    public string? Outcome { get; set; }
    public string? Reason { get; set; }
    public List<AuditActionShape>? Actions { get; set; }
    public string? RecordedAt { get; set; }
    public string? UpdatedAt { get; set; }
    public string? InProgressUntil { get; set; }
    public string? UndoOf { get; set; }
    public string? UndoneBy { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ApprovalShape? Approval { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DecisionShape? Decision { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DecisionOf { get; set; }

    public string? ExpiresAt { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? MissedEvent { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Delivery { get; set; }
}

internal sealed class AuditActionShape
{
    public string? Action { get; set; }
    public string? Operation { get; set; }
    public string? Resource { get; set; }
    public string? Description { get; set; }
    public JsonObject? Parameters { get; set; }

    [JsonConverter(typeof(EmbeddedJsonTextConverter))]
    public string? Before { get; set; }

    [JsonConverter(typeof(EmbeddedJsonTextConverter))]
    public string? After { get; set; }

    public string? Outcome { get; set; }
    public string? Error { get; set; }
    public string? StartedAt { get; set; }
    public string? EndedAt { get; set; }
}

internal sealed class ApprovalShape
{
    public List<string>? Approvers { get; set; }
    public string? DecideBy { get; set; }
    public string? OnExpiry { get; set; }
    public bool Contain { get; set; }
}

internal sealed class DecisionShape
{
    public string? Verb { get; set; }
    public string? By { get; set; }
    public string? At { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ExemptDays { get; set; }
}

/// <summary>
/// A before/after state is JSON text: embedded as JSON so people can read it (and jq can query it), read back as its
/// exact text. Writing validates it: a state that is not JSON is a bug of the executor.
/// </summary>
internal sealed class EmbeddedJsonTextConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(value);
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AuditRecordShape))]
[JsonSerializable(typeof(List<AuditRecordShape>))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
