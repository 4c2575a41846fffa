using System.Text.Json;
using Remediator.Core.Approvals;
using Remediator.Notifier.Slack;

namespace Remediator.Approvals.Slack;

/// <summary>
/// The part of a Slack <c>block_actions</c> interaction the endpoint needs: who clicked, which of our buttons, and where
/// to post the updated message. Parsed from the form body (<c>payload=&lt;url-encoded JSON&gt;</c>) without reflection.
/// </summary>
public sealed record BlockActionsPayload(string UserId, DecisionVerb Verb, string AuditId, int? ExemptDays, Uri? ResponseUrl)
{
    /// <summary>Null for anything that is not one click on one of our buttons (no detail: the caller answers 400).</summary>
    public static BlockActionsPayload? TryParse(ReadOnlySpan<byte> formBody)
    {
        if (formBody.Length is 0 or > 64 * 1024)
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

        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || !type.ValueEquals("block_actions")
                || !root.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object
                || !user.TryGetProperty("id", out var userId) || userId.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() != 1)
            {
                return null;
            }

            var action = actions[0];
            if (action.ValueKind != JsonValueKind.Object
                || !action.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String
                || !ApprovalButtons.TryParse(value.GetString(), out var verb, out var auditId, out var days))
            {
                return null;
            }

            Uri? responseUrl = null;
            if (root.TryGetProperty("response_url", out var url) && url.ValueKind == JsonValueKind.String
                && !Uri.TryCreate(url.GetString(), UriKind.Absolute, out responseUrl))
            {
                return null;
            }

            return new BlockActionsPayload(userId.GetString()!, verb, auditId, days, responseUrl);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
