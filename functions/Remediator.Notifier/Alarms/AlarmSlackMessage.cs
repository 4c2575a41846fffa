using System.Buffers;
using System.Text.Json;

namespace Remediator.Notifier.Alarms;

/// <summary>The Slack message for one alarm change: plain text plus one section, every value escaped by the JSON writer.</summary>
public static class AlarmSlackMessage
{
    public static string Build(AlarmNotification alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var icon = alarm.NewState == "ALARM" ? ":rotating_light:" : alarm.NewState == "OK" ? ":white_check_mark:" : ":grey_question:";
        var headline = $"{icon} Remediator alarm {alarm.AlarmName} is {alarm.NewState}";
        var details = string.Join("\n", new[]
        {
            alarm.Description,
            alarm.Reason.Length > 0 ? alarm.Reason : null,
            alarm.Region is null && alarm.ChangedAt is null ? null : $"{alarm.Region} {alarm.ChangedAt}".Trim(),
            alarm.NewState == "ALARM" && alarm.AlarmName.Contains("failure-queue", StringComparison.Ordinal)
                ? "Events or invocations failed and wait in the failure queue: re-run them with `remediator redrive --queue-url <GuardFailureQueueUrl>`."
                : null,
        }.Where(s => !string.IsNullOrEmpty(s)));

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("text", headline);
            writer.WriteStartArray("blocks");
            writer.WriteStartObject();
            writer.WriteString("type", "section");
            writer.WriteStartObject("text");
            writer.WriteString("type", "mrkdwn");
            writer.WriteString("text", details.Length == 0 ? $"*{headline}*" : $"*{headline}*\n{details}");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
