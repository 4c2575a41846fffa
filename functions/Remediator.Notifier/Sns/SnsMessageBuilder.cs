using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Remediator.Core;
using Remediator.Core.Audit;
using Remediator.Notifier.Stream;

namespace Remediator.Notifier.Sns;

/// <summary>
/// The SNS form of a notification: a compact JSON object that a subscriber (e-mail, a ticketing hook, a queue) can
/// read as is or parse, and a subject line for e-mail subscriptions.
/// </summary>
public static class SnsMessageBuilder
{
    /// <summary>SNS refuses subjects longer than 100 characters, with line breaks, or outside printable ASCII.</summary>
    public const int SubjectLimit = 100;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <c>{"source":"remediator","id","title","rule","severity","resource","actor","outcome","mode","account","region",
    /// "summary","reason","actions":[{"operation","resource","outcome","description","error"}],"undo","auditLink"}</c>;
    /// <c>undo</c> only when something was changed, <c>auditLink</c> only when known.
    /// </summary>
    public static string Message(AuditNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var record = notification.Record;
        var dryRun = NotificationText.IsDryRun(record);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("source", "remediator");
            writer.WriteString("id", record.Id);
            writer.WriteString("title", NotificationText.Title(record));
            writer.WriteString("rule", record.Rule);
            writer.WriteString("severity", record.Severity?.ToName());
            writer.WriteString("resource", record.Resource);
            writer.WriteString("actor", record.Actor);
            writer.WriteString("outcome", record.Outcome.ToName());
            writer.WriteString("mode", record.Mode.ToName());
            writer.WriteString("account", record.Account);
            writer.WriteString("region", record.Region);
            writer.WriteString("summary", record.Summary);
            writer.WriteString("reason", record.Reason);
            writer.WriteStartArray("actions");
            foreach (var action in NotificationText.ChangeActions(record))
            {
                writer.WriteStartObject();
                writer.WriteString("operation", action.Operation);
                writer.WriteString("resource", action.Resource);
                writer.WriteString("outcome", NotificationText.ActionOutcomeName(action, dryRun));
                writer.WriteString("description", NotificationText.DescribeAction(action, dryRun));
                writer.WriteString("error", action.Error);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (notification.ChangedSomething)
            {
                writer.WriteString("undo", notification.UndoCommand);
            }

            if (notification.AuditLink is { } link)
            {
                writer.WriteString("auditLink", link.AbsoluteUri);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary><c>Remediator [HIGH] Remediated: rule</c>, reduced to what SNS accepts.</summary>
    public static string Subject(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = "Remediator " + NotificationText.Title(record, withResource: false);
        var subject = new StringBuilder(Math.Min(text.Length, SubjectLimit));
        foreach (var c in text)
        {
            if (subject.Length == SubjectLimit)
            {
                break;
            }

            subject.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return subject.ToString();
    }
}
