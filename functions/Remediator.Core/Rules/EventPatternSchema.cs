using System.Text.Json;

namespace Remediator.Core.Rules;

/// <summary>
/// A light schema of EventBridge event patterns, for editor completion of field names and operators. The matcher
/// (through <see cref="IPatternValidator"/>) stays the judge of what is valid; this only catches the obvious.
/// </summary>
internal static class EventPatternSchema
{
    private static readonly (string Name, string Description, string? Type)[] Operators =
    [
        ("prefix", "The value starts with this string (or {equals-ignore-case: ...}).", null),
        ("suffix", "The value ends with this string (or {equals-ignore-case: ...}).", null),
        ("equals-ignore-case", "The value equals this string, ignoring case.", "string"),
        ("wildcard", "The value matches this string, where * stands for any characters.", "string"),
        ("anything-but", "The value is none of these (a value, a list, or {prefix: ...} / {suffix: ...}).", null),
        ("numeric", "Numeric comparisons, e.g. ['>', 0, '<=', 5].", "array"),
        ("exists", "true: the field is present; false: it is absent. Use it as errorCode: [{exists: false}].", "boolean"),
        ("cidr", "The value is an IP address inside this CIDR block.", "string"),
    ];

    public static void WriteDefinitions(Utf8JsonWriter w)
    {
        w.WriteStartObject("eventPattern");
        w.WriteString("type", "object");
        w.WriteString("description", "Fields of the event to match; each maps to a list of values/operators or to a nested pattern.");
        w.WriteNumber("minProperties", 1);
        w.WriteStartObject("properties");
        w.WriteStartObject("$or");
        w.WriteString("type", "array");
        w.WriteString("description", "Any one of these patterns matches.");
        w.WriteNumber("minItems", 1);
        w.WritePropertyName("items");
        RuleSchema.WriteRef(w, "eventPattern");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("additionalProperties");
        w.WriteStartArray("anyOf");
        RuleSchema.WriteRef(w, "eventPattern");
        RuleSchema.WriteRef(w, "patternValues");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("patternValues");
        w.WriteString("type", "array");
        w.WriteString("description", "The field matches if it equals any of these values or satisfies any of these operators.");
        w.WriteNumber("minItems", 1);
        w.WriteStartObject("items");
        w.WriteStartArray("anyOf");
        w.WriteStartObject();
        RuleSchema.WriteStrings(w, "type", ["string", "number", "boolean", "null"]);
        w.WriteEndObject();
        RuleSchema.WriteRef(w, "patternOperator");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("patternOperator");
        w.WriteString("type", "object");
        w.WriteNumber("minProperties", 1);
        w.WriteNumber("maxProperties", 1);
        w.WriteStartObject("properties");
        foreach (var (name, description, type) in Operators)
        {
            w.WriteStartObject(name);
            if (type is not null)
            {
                w.WriteString("type", type);
            }

            w.WriteString("description", description);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
    }
}
