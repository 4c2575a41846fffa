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

    /// <summary>
    /// Reads one kind of interactivity payload: the form's JSON must be an object of <paramref name="type"/> with a
    /// string <c>user.id</c>; <paramref name="read"/> takes the rest. Null for anything else or any malformed JSON (the
    /// caller answers 400 with no detail), so each payload kind checks its own fields and nothing else.
    /// </summary>
    public static T? ReadPayload<T>(ReadOnlySpan<byte> formBody, string type, Func<JsonElement, string, T?> read)
        where T : class
    {
        if (PayloadJson(formBody) is not { } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var kind) || !kind.ValueEquals(type)
                || !root.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object
                || !user.TryGetProperty("id", out var userId) || userId.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return read(root, userId.GetString()!);
        }
        catch (JsonException)
        {
            return null;
        }
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
