using System.Text.Json;

namespace Remediator.Approvals.Slack;

/// <summary>Slack's interactivity requests: a form body whose <c>payload</c> field is URL-encoded JSON.</summary>
public static class SlackForm
{
    public const int MaxBody = 64 * 1024;

    /// <summary>The payload's JSON text, or null when the body is empty, too large or has no payload field.</summary>
    public static string? PayloadJson(ReadOnlySpan<byte> formBody)
    {
        if (formBody.Length is 0 or > MaxBody)
        {
            return null;
        }

        string? json = null;
        foreach (var pair in System.Text.Encoding.UTF8.GetString(formBody).Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair.AsSpan(0, equals).SequenceEqual("payload"))
            {
                json = Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return json;
    }

    /// <summary>The payload's <c>type</c> (block_actions, view_submission, ...), or null.</summary>
    public static string? TypeOf(ReadOnlySpan<byte> formBody)
    {
        if (PayloadJson(formBody) is not { } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
