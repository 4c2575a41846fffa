using System.Buffers;
using System.Text.Json;

namespace Remediator.Approvals.Slack;

/// <summary>
/// The Deny button's dialog: a Slack modal with one required text input, and the <c>view_submission</c> that comes
/// back when the approver submits it. The modal carries the record id and the clicked message's response_url in its
/// private_metadata, so the submission alone tells the endpoint what is denied and which message to update; both come
/// back inside Slack's signed request, and the decision service authorises the submitter again.
/// </summary>
public static class DenyReasonModal
{
    public const string CallbackId = "remediator-deny";
    public const string BlockId = "reason";
    public const string ActionId = "reason";
    public const int MaxReason = 2000;

    public static byte[] View(string recordId, Uri? responseUrl)
    {
        var metadata = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(metadata))
        {
            writer.WriteStartObject();
            writer.WriteString("record", recordId);
            if (responseUrl is not null)
            {
                writer.WriteString("response_url", responseUrl.AbsoluteUri);
            }

            writer.WriteEndObject();
        }

        var view = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(view))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "modal");
            writer.WriteString("callback_id", CallbackId);
            writer.WriteString("private_metadata", System.Text.Encoding.UTF8.GetString(metadata.WrittenSpan));
            PlainText(writer, "title", "Deny the fix");
            PlainText(writer, "submit", "Deny");
            PlainText(writer, "close", "Cancel");
            writer.WriteStartArray("blocks");
            writer.WriteStartObject();
            writer.WriteString("type", "section");
            writer.WriteStartObject("text");
            writer.WriteString("type", "mrkdwn");
            writer.WriteString("text", $"Keep the resource as it is. The reason goes into the audit record of `{Truncate(recordId, 200)}`.");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartObject();
            writer.WriteString("type", "input");
            writer.WriteString("block_id", BlockId);
            PlainText(writer, "label", "Why is this change kept?");
            writer.WriteStartObject("element");
            writer.WriteString("type", "plain_text_input");
            writer.WriteString("action_id", ActionId);
            writer.WriteBoolean("multiline", true);
            writer.WriteNumber("min_length", 3);
            writer.WriteNumber("max_length", MaxReason);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return view.WrittenSpan.ToArray();
    }

    private static void PlainText(Utf8JsonWriter writer, string property, string text)
    {
        writer.WriteStartObject(property);
        writer.WriteString("type", "plain_text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>A submitted Deny dialog: who, which record, why, and which message to update.</summary>
public sealed record DenySubmission(string UserId, string AuditId, string Reason, Uri? ResponseUrl)
{
    /// <summary>Null for anything that is not a complete submission of our Deny dialog (the caller answers 400).</summary>
    public static DenySubmission? TryParse(ReadOnlySpan<byte> formBody) =>
        SlackForm.ReadPayload(formBody, "view_submission", static (root, userId) =>
        {
            if (!root.TryGetProperty("view", out var view) || view.ValueKind != JsonValueKind.Object
                || !view.TryGetProperty("callback_id", out var callback) || !callback.ValueEquals(DenyReasonModal.CallbackId)
                || !view.TryGetProperty("private_metadata", out var metadataText) || metadataText.ValueKind != JsonValueKind.String
                || !view.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.Object
                || !state.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object
                || !values.TryGetProperty(DenyReasonModal.BlockId, out var block) || block.ValueKind != JsonValueKind.Object
                || !block.TryGetProperty(DenyReasonModal.ActionId, out var input) || input.ValueKind != JsonValueKind.Object
                || !input.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var reason = value.GetString()!.Trim();
            if (reason.Length is 0 or > DenyReasonModal.MaxReason)
            {
                return null;
            }

            // The metadata is our own JSON, but it travels through Slack: parse it as untrusted (a JsonException here
            // is caught by ReadPayload and answered 400).
            using var metadata = JsonDocument.Parse(metadataText.GetString()!);
            if (metadata.RootElement.ValueKind != JsonValueKind.Object
                || !metadata.RootElement.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.String
                || record.GetString() is not { Length: > 0 } auditId)
            {
                return null;
            }

            Uri? responseUrl = null;
            if (metadata.RootElement.TryGetProperty("response_url", out var url)
                && (url.ValueKind != JsonValueKind.String || !Uri.TryCreate(url.GetString(), UriKind.Absolute, out responseUrl)))
            {
                return null;
            }

            return new DenySubmission(userId, auditId, reason, responseUrl);
        });
}
