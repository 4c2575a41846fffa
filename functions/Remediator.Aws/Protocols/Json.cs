using System.Buffers;
using System.Text.Json;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Protocols;

/// <summary>Writing request bodies with <see cref="Utf8JsonWriter"/> and reading replies and errors, with no reflection.</summary>
public static class Json
{
    private static readonly JsonDocument EmptyObject = JsonDocument.Parse("{}");

    public static byte[] Write(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The reply's root element; an empty object when the body is empty or not JSON (e.g. 204).</summary>
    public static JsonElement Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return EmptyObject.RootElement;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return EmptyObject.RootElement;
        }
    }

    public static void WriteStringIfSet(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteNumberIfSet(this Utf8JsonWriter writer, string name, int? value)
    {
        if (value is not null)
        {
            writer.WriteNumber(name, value.Value);
        }
    }

    public static void WriteStringMap(this Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Tags as the JSON protocol's list of <c>{"Key":…,"Value":…}</c>.</summary>
    public static void WriteTagList(this Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> tags)
    {
        writer.WriteStartArray(name);
        foreach (var (key, value) in tags.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("Key", key);
            writer.WriteString("Value", value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static int? Int(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    public static JsonElement Member(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(JsonElement obj, string name)
    {
        var list = Member(obj, name);
        return list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToArray() : [];
    }

    /// <summary>A JSON object of strings (<c>{"k":"v"}</c>) or a tag list (<c>[{"Key":"k","Value":"v"}]</c>) as a dictionary.</summary>
    public static Dictionary<string, string> StringMap(JsonElement obj, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var member = Member(obj, name);
        if (member.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in member.EnumerateObject())
            {
                map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }
        else if (member.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in member.EnumerateArray())
            {
                if (String(tag, "Key") is { } key)
                {
                    map[key] = String(tag, "Value") ?? "";
                }
            }
        }

        return map;
    }

    /// <summary>
    /// The error of a JSON or REST-JSON reply: the code from <c>x-amzn-ErrorType</c> (before any <c>:</c>), else the
    /// body's <c>__type</c>/<c>code</c> (after any <c>#</c>); the message from <c>message</c>/<c>Message</c>.
    /// </summary>
    public static AwsErrorDetails ReadError(AwsResponse response)
    {
        // Front doors (authentication, some proxies, moto's signature check) can answer a JSON service in XML.
        if (response.Body.Length > 0 && response.Body[0] == (byte)'<' && response.Header("x-amzn-ErrorType") is null)
        {
            return QueryProtocol.ReadError(response);
        }

        var body = Parse(response.Body);
        var code = response.Header("x-amzn-ErrorType")?.Split(':')[0];
        if (string.IsNullOrEmpty(code))
        {
            code = String(body, "__type") ?? String(body, "code") ?? String(body, "Code") ?? $"Http{(int)response.StatusCode}";
        }

        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var message = String(body, "message") ?? String(body, "Message") ?? String(body, "errorMessage") ?? response.StatusCode.ToString();
        return new AwsErrorDetails(code, message, response.HeaderRequestId);
    }
}
