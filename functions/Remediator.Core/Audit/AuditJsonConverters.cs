using System.Text.Json;
using System.Text.Json.Serialization;
using Remediator.Core.Approvals;
using Remediator.Core.Rules;

namespace Remediator.Core.Audit;

// The stored text of the audit records' values: the records themselves (AuditRecord, AuditAction, ApprovalRequest,
// DecisionTaken) are what the source generator writes and reads, member for member in declaration order; these
// converters are the one place where a time or a name is turned into its stored text and back.

/// <summary>A stored value that does not read as its type; <see cref="AuditJson"/> names the field from the path.</summary>
internal sealed class AuditFieldException(string message) : JsonException(message);

/// <summary>Times as sortable UTC text (<see cref="AuditJson.FormatTime"/>); read leniently, as any ISO 8601 time.</summary>
internal sealed class AuditTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return AuditJson.TryParseTime(text, out var time) ? time : throw new AuditFieldException($"is not a time: '{text}'");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(AuditJson.FormatTime(value));
}

/// <summary>
/// An enum stored by its name in the trail (e.g. <c>partially-applied</c>). A name it does not know is refused
/// naming it, or, where <paramref name="unknown"/> is null, read as the fallback its parser gives.
/// </summary>
internal abstract class StoredNameConverter<T>(Func<T, string> name, StoredNameConverter<T>.Parser parse, string? unknown) : JsonConverter<T>
    where T : struct, Enum
{
    public delegate bool Parser(string? text, out T value);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return parse(text, out var value) || unknown is null ? value : throw new JsonException($"unknown {unknown} '{text}'");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(name(value));
}

internal sealed class RuleModeConverter() : StoredNameConverter<RuleMode>(AuditNames.ToName, AuditNames.TryParseMode, "mode");

internal sealed class AuditOutcomeConverter() : StoredNameConverter<AuditOutcome>(AuditNames.ToName, AuditNames.TryParseOutcome, "outcome");

internal sealed class ActionOutcomeConverter() : StoredNameConverter<ActionOutcome>(AuditNames.ToName, AuditNames.TryParseActionOutcome, "action outcome");

internal sealed class DecisionVerbConverter() : StoredNameConverter<DecisionVerb>(DecisionVerbs.ToName, DecisionVerbs.TryParse, "decision");

/// <summary>An expiry outcome it does not know reads as notify, the outcome that changes nothing.</summary>
internal sealed class ExpiryOutcomeConverter() : StoredNameConverter<ExpiryOutcome>(ApprovalPolicy.NameOf, ApprovalPolicy.TryParseExpiry, null);

/// <summary>A severity it does not know reads as none: the record still reads, it only loses its severity.</summary>
internal sealed class SeverityNameConverter : JsonConverter<Severity?>
{
    public override bool HandleNull => true;

    public override Severity? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && SeverityNames.TryParse(reader.GetString(), out var severity) ? severity : null;

    public override void Write(Utf8JsonWriter writer, Severity? value, JsonSerializerOptions options)
    {
        if (value is { } severity)
        {
            writer.WriteStringValue(severity.ToName());
        }
        else
        {
            writer.WriteNullValue();
        }
    }
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

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters =
    [
        typeof(AuditTimeConverter), typeof(RuleModeConverter), typeof(AuditOutcomeConverter), typeof(ActionOutcomeConverter),
        typeof(DecisionVerbConverter), typeof(ExpiryOutcomeConverter), typeof(SeverityNameConverter),
    ])]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(List<AuditRecord>))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
