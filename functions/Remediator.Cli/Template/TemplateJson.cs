using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Remediator.Cli.Template;

/// <summary>
/// Reads and writes CloudFormation templates in JSON. The written form is deterministic (2-space indent, '\n', a final
/// newline, no needless escaping) so that <c>remediator synth --check</c> can compare text: the template is generated
/// and then checked, and a stable format is all that comparison needs.
/// </summary>
public static class TemplateJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Templates hold '<', '>', '&' and '+' in descriptions and patterns; escaping them would only hurt reading.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses a template; throws <see cref="JsonException"/> with a position when the text is not JSON.</summary>
    public static JsonObject Parse(string text) =>
        JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow }) as JsonObject
        ?? throw new JsonException("the template is not a JSON object");

    public static string Write(JsonNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>One line, no spaces: the form CloudFormation hands EventBridge, and what its size quota counts.</summary>
    public static string Compact(JsonNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The node's string value; null when it is absent or not a string.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
