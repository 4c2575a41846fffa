using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Remediator.Approvals.Http;

/// <summary>
/// An API Gateway HTTP API request (payload format 2.0) as the function receives it: headers (lower-cased by API
/// Gateway), and the raw body bytes, base64-decoded first when API Gateway says <c>isBase64Encoded</c>: the Slack
/// signature covers the bytes Slack sent, so the body must never be re-encoded on the way.
/// </summary>
public sealed record HttpApiRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>Null when the payload is not an HTTP API event.</summary>
    public static HttpApiRequest? TryParse(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("headers", out var given) && given.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in given.EnumerateObject())
                {
                    if (header.Value.ValueKind == JsonValueKind.String)
                    {
                        headers[header.Name] = header.Value.GetString()!;
                    }
                }
            }

            var body = root.TryGetProperty("body", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : string.Empty;
            var base64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
            return new HttpApiRequest(headers, base64 ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>An HTTP API response (payload format 2.0): a status, a short plain-text body that says no more than it must.</summary>
public sealed record HttpApiResponse(int StatusCode, string Body)
{
    public static readonly HttpApiResponse Ok = new(200, string.Empty);
    public static readonly HttpApiResponse Unauthorized = new(401, "invalid request signature");
    public static readonly HttpApiResponse Forbidden = new(403, "you are not an approver of this decision");
    public static readonly HttpApiResponse GroupsUnresolved = new(403, "approver groups cannot be checked: the Slack bot token is not configured or Slack did not answer");
    public static readonly HttpApiResponse BadRequest = new(400, "malformed request");
    public static readonly HttpApiResponse NotOpen = new(400, "this decision is unknown, expired or already taken");
    public static readonly HttpApiResponse Unavailable = new(503, "try again in a moment");

    public byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("statusCode", StatusCode);
            writer.WriteStartObject("headers");
            writer.WriteString("content-type", "text/plain; charset=utf-8");
            writer.WriteEndObject();
            writer.WriteString("body", Body);
            writer.WriteBoolean("isBase64Encoded", false);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
