using System.Text.Json;
using Remediator.Core.Approvals;
using Remediator.Notifier.Slack;

namespace Remediator.Approvals.Slack;

/// <summary>
/// The part of a Slack <c>block_actions</c> interaction the endpoint needs: who clicked, which of our buttons, and where
/// to post the updated message. Parsed from the form body (<c>payload=&lt;url-encoded JSON&gt;</c>) without reflection.
/// </summary>
/// <param name="TriggerId">Lets the endpoint open a dialog (the Deny reason) within 3 seconds of the click.</param>
public sealed record BlockActionsPayload(string UserId, DecisionVerb Verb, string AuditId, int? ExemptDays, Uri? ResponseUrl, string? TriggerId = null)
{
    /// <summary>Null for anything that is not one click on one of our buttons (no detail: the caller answers 400).</summary>
    public static BlockActionsPayload? TryParse(ReadOnlySpan<byte> formBody) =>
        SlackForm.ReadPayload(formBody, "block_actions", static (root, userId) =>
        {
            if (!root.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() != 1)
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

            var triggerId = root.TryGetProperty("trigger_id", out var trigger) && trigger.ValueKind == JsonValueKind.String ? trigger.GetString() : null;
            return new BlockActionsPayload(userId, verb, auditId, days, responseUrl, triggerId);
        });
}
