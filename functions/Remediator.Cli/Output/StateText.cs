using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Remediator.Cli.Output;

/// <summary>
/// A recorded before/after state for people: plain JSON, without the <c>\u0022</c> escapes of its stored form, and
/// with a document kept as text inside it (a policy, a trust policy) shown as the JSON it is.
/// </summary>
public static class StateText
{
    // Relaxed escaping is safe here: the text goes to a terminal, never into HTML or a script.
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <returns>The state as plain JSON; "-" for none; the text itself when it is not JSON.</returns>
    public static string Readable(string? state)
    {
        if (state is null)
        {
            return "-";
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(state);
        }
        catch (JsonException)
        {
            return state;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            Unfold(node)?.WriteTo(writer);
            if (node is null)
            {
                writer.WriteNullValue();
            }
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Replaces string members that hold a JSON object or array with that object or array.</summary>
    private static JsonNode? Unfold(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    obj[key] = Unfold(obj[key]?.DeepClone());
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Unfold(array[i]?.DeepClone());
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.TrimStart() is ['{' or '[', ..]:
                try
                {
                    return JsonNode.Parse(text) is { } parsed ? Unfold(parsed) : node;
                }
                catch (JsonException)
                {
                    return node;
                }

            default:
                return node;
        }
    }
}
