using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Remediator.Core;
using Remediator.Core.Audit;
using Remediator.Notifier.Stream;

namespace Remediator.Notifier.Slack;

/// <summary>
/// Block Kit messages for incoming webhooks: one message per record, or one summary for a burst. Every text that
/// comes from an event goes through <see cref="SlackText"/>; limits are Slack's documented ones (50 blocks, 150
/// characters in a header, 3000 in a section, 2000 in a field, 10 fields), kept here so that a long policy name or
/// error makes a shorter message rather than a 400 <c>invalid_blocks</c>.
/// </summary>
public static class SlackMessageBuilder
{
    public const int MaxBlocks = NotifierOptions.SlackBlockLimit;
    private const int HeaderLimit = 150;
    private const int SectionLimit = 3000;
    private const int FieldLimit = 2000;
    private const int MaxActionsShown = 10;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One record: header, summary, facts, what was done, how to undo, the audit record.</summary>
    public static string Single(AuditNotification notification) => Single(notification, DateTimeOffset.UtcNow);

    /// <summary>
    /// <see cref="Single(AuditNotification)"/> with the buttons open at <paramref name="now"/>: Apply / Deny / Exempt
    /// for a pending decision, Keep / Restore after a containment, Undo for an applied fix whose rule names approvers.
    /// </summary>
    public static string Single(AuditNotification notification, DateTimeOffset now, bool replaceOriginal = false)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var record = notification.Record;
        return Message(NotificationText.Title(record), replaceOriginal, writer =>
        {
            Header(writer, NotificationText.Title(record, withResource: false));
            Section(writer, SlackText.Escape(record.Summary ?? record.Check ?? "A finding on " + record.Resource));
            Fields(writer,
            [
                "*Rule*\n" + SlackText.Code(record.Rule),
                "*Severity*\n" + SlackText.Escape(record.Severity?.ToName() ?? "unknown"),
                "*Resource*\n" + SlackText.Code(record.Resource),
                "*Actor*\n" + SlackText.Code(record.Actor ?? "unknown"),
                "*Outcome*\n" + SlackText.Escape(record.Outcome.ToName()) + (NotificationText.IsDryRun(record) ? " (dry-run)" : string.Empty),
                "*Account / region*\n" + SlackText.Escape(record.Account ?? "-") + " / " + SlackText.Escape(record.Region ?? "-"),
            ]);
            Section(writer, ActionsText(record));
            if (record.Decision is { } decision)
            {
                Section(writer, DecisionText(record, decision));
            }

            if (notification.ChangedSomething)
            {
                Section(writer, "*Undo*\n" + SlackText.Code(notification.UndoCommand));
            }

            ApprovalButtons.Write(writer, record, now);
            Context(writer, AuditReference(notification));
        });
    }

    /// <summary>
    /// A burst: a header and a count, then one section per record, as many as the 50-block limit allows, and a last
    /// line saying how many more there are (they are in the audit trail).
    /// </summary>
    public static string Aggregate(IReadOnlyList<AuditNotification> notifications)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var title = $"Remediator: {notifications.Count} decisions";

        // Header and count (2 blocks), then a divider and a section per record (2 each); when not all fit, one
        // more block says how many were left out.
        var fitting = (MaxBlocks - 2) / 2;
        var shown = notifications.Count <= fitting ? notifications.Count : (MaxBlocks - 3) / 2;
        return Message(title + ": " + NotificationText.CountByOutcome(notifications), false, writer =>
        {
            Header(writer, title);
            Section(writer, SlackText.Escape(NotificationText.CountByOutcome(notifications)));
            foreach (var notification in notifications.Take(shown))
            {
                writer.WriteStartObject();
                writer.WriteString("type", "divider");
                writer.WriteEndObject();
                Section(writer, RecordText(notification));
            }

            if (shown < notifications.Count)
            {
                Context(writer, SlackText.Escape(
                    $"… and {(notifications.Count - shown).ToString(CultureInfo.InvariantCulture)} more (see `remediator audit` or the audit table)"));
            }
        });
    }

    /// <summary>The compact form of a record inside a summary message.</summary>
    private static string RecordText(AuditNotification notification)
    {
        var record = notification.Record;
        var text = new StringBuilder()
            .Append('*').Append(SlackText.Escape(NotificationText.SeverityTag(record.Severity) + " " + NotificationText.Headline(record.Outcome))).Append(":* ")
            .Append(SlackText.Code(record.Rule)).Append('\n')
            .Append("*Resource:* ").Append(SlackText.Code(record.Resource))
            .Append("  *Actor:* ").Append(SlackText.Code(record.Actor ?? "unknown")).Append('\n')
            .Append(ActionsText(record)).Append('\n');
        if (notification.ChangedSomething)
        {
            text.Append("*Undo:* ").Append(SlackText.Code(notification.UndoCommand)).Append('\n');
        }

        text.Append(AuditReference(notification));
        return text.ToString();
    }

    private static string DecisionText(AuditRecord record, Core.Approvals.DecisionTaken decision)
    {
        var by = decision.By == Core.Approvals.DecisionTaken.Expiry ? "the expiry" : "<@" + SlackText.Escape(decision.By) + ">";
        var text = $"*Decision:* {SlackText.Escape(Core.Approvals.DecisionVerbs.ToName(decision.Verb))} by {by} at {SlackText.Escape(AuditJson.FormatTime(decision.At))}";
        if (record.DecisionOf is { } of)
        {
            text += " on " + SlackText.Code(of);
        }

        return text;
    }

    private static string ActionsText(AuditRecord record)
    {
        var pending = record.Outcome == AuditOutcome.Pending;
        var dryRun = pending || NotificationText.IsDryRun(record);
        var actions = NotificationText.ChangeActions(record);
        var text = new StringBuilder(pending ? "*The fix, awaiting an approver*" : dryRun ? "*What the guard would have done (dry-run)*" : "*What the guard did*");
        if (actions.Count == 0)
        {
            text.Append("\nNothing was changed.");
        }

        foreach (var action in actions.Take(MaxActionsShown))
        {
            text.Append("\n• ").Append(SlackText.Escape(NotificationText.DescribeAction(action, dryRun)))
                .Append(" (").Append(SlackText.Code(action.Operation)).Append(')');
        }

        if (actions.Count > MaxActionsShown)
        {
            text.Append("\n• … and ").Append(actions.Count - MaxActionsShown).Append(" more steps");
        }

        if (record.Reason is { Length: > 0 } reason)
        {
            text.Append("\n*Why:* ").Append(SlackText.Escape(reason));
        }

        return text.ToString();
    }

    private static string AuditReference(AuditNotification notification) =>
        "Audit record: " + (notification.AuditLink is { } link
            ? SlackText.Link(link, notification.Record.Id)
            : SlackText.Code(notification.Record.Id));

    private static string Message(string fallback, bool replaceOriginal, Action<Utf8JsonWriter> writeBlocks)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (replaceOriginal)
            {
                // A response_url post: replace the clicked message (its buttons go with it).
                writer.WriteBoolean("replace_original", true);
            }

            // The top-level text is what notifications and screen readers show; Slack asks for it beside blocks.
            writer.WriteString("text", SlackText.Truncate(SlackText.Escape(fallback), SectionLimit));
            writer.WriteStartArray("blocks");
            writeBlocks(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Header(Utf8JsonWriter writer, string plainText)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "header");
        writer.WriteStartObject("text");
        writer.WriteString("type", "plain_text");
        writer.WriteString("text", SlackText.Plain(plainText, HeaderLimit));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Section(Utf8JsonWriter writer, string mrkdwn)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "section");
        Mrkdwn(writer, "text", SlackText.Truncate(mrkdwn, SectionLimit));
        writer.WriteEndObject();
    }

    private static void Fields(Utf8JsonWriter writer, IReadOnlyList<string> fields)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "section");
        writer.WriteStartArray("fields");
        foreach (var field in fields.Take(10))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "mrkdwn");
            writer.WriteString("text", SlackText.Truncate(field, FieldLimit));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Context(Utf8JsonWriter writer, string mrkdwn)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "context");
        writer.WriteStartArray("elements");
        writer.WriteStartObject();
        writer.WriteString("type", "mrkdwn");
        writer.WriteString("text", SlackText.Truncate(mrkdwn, SectionLimit));
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Mrkdwn(Utf8JsonWriter writer, string name, string text)
    {
        writer.WriteStartObject(name);
        writer.WriteString("type", "mrkdwn");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }
}
