using System.Text.Json;

namespace Remediator.Core.Rules;

/// <summary>
/// Turns a YAML tree into the JSON that EventBridge would see: plain <c>true</c>/<c>false</c>/<c>null</c> and numbers
/// become JSON literals and numbers, quoted scalars stay strings, mappings become objects and sequences arrays.
/// </summary>
internal static class YamlJson
{
    /// <summary>The JSON form of <paramref name="node"/>, or null (with errors added) when a value has none.</summary>
    public static JsonElement? ToJson(YamlNode node, string path, List<RuleError> errors)
    {
        var before = errors.Count;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        // Relaxed escaping keeps '>' and '<' of numeric operators readable when the pattern is shown or logged.
        var options = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            Write(writer, node, path, errors);
        }

        if (errors.Count > before)
        {
            return null;
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node, string path, List<RuleError> errors)
    {
        switch (node)
        {
            case YamlMapping mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Entries)
                {
                    writer.WritePropertyName(key.Value);
                    Write(writer, value, RulePaths.Member(path, key.Value), errors);
                }

                writer.WriteEndObject();
                break;
            case YamlSequence sequence:
                writer.WriteStartArray();
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    Write(writer, sequence.Items[i], RulePaths.Index(path, i), errors);
                }

                writer.WriteEndArray();
                break;
            case YamlScalar scalar:
                WriteScalar(writer, scalar, path, errors);
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalar scalar, string path, List<RuleError> errors)
    {
        switch (scalar.Type)
        {
            case YamlScalarType.Null:
                writer.WriteNullValue();
                break;
            case YamlScalarType.Boolean:
                writer.WriteBooleanValue(YamlScalars.ToBoolean(scalar.Value));
                break;
            case YamlScalarType.Integer when YamlScalars.TryToInteger(scalar.Value, out var integer):
                writer.WriteNumberValue(integer);
                break;
            case YamlScalarType.Integer or YamlScalarType.Float when YamlScalars.TryToFiniteDouble(scalar.Value, out var number):
                writer.WriteNumberValue(number);
                break;
            case YamlScalarType.Integer or YamlScalarType.Float:
                errors.Add(new RuleError(scalar.Location, path, $"'{scalar.Value}' has no JSON form; quote it if a string is meant"));
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(scalar.Value);
                break;
        }
    }
}

/// <summary>Field paths in messages: <c>detect.iam-broad-policy.checks[1]</c>.</summary>
internal static class RulePaths
{
    public static string Member(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int index) => $"{path}[{index}]";
}
