using System.Text.Json;

namespace Remediator.Notifier.Alarms;

/// <summary>
/// One CloudWatch alarm state change as SNS delivers it to Lambda: the SNS record's <c>Message</c> is the alarm's JSON
/// (<c>AlarmName</c>, <c>NewStateValue</c>, <c>NewStateReason</c>, <c>StateChangeTime</c>, <c>Region</c>).
/// </summary>
public sealed record AlarmNotification(string AlarmName, string NewState, string Reason, string? Description, string? Region, string? ChangedAt)
{
    /// <summary>True when the payload is an SNS delivery (<c>Records[0].EventSource</c> = <c>aws:sns</c>), not an audit stream batch.</summary>
    public static bool IsSnsDelivery(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Records", out var records)
                && records.ValueKind == JsonValueKind.Array
                && records.GetArrayLength() > 0
                && records[0].ValueKind == JsonValueKind.Object
                && records[0].TryGetProperty("EventSource", out var source)
                && source.ValueKind == JsonValueKind.String
                && source.ValueEquals("aws:sns");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The alarm changes an SNS delivery carries; a record that is not an alarm's JSON is a problem, named by position.</summary>
    public static IReadOnlyList<AlarmNotification> Read(ReadOnlySpan<byte> payload, out IReadOnlyList<string> problems)
    {
        var found = new List<AlarmNotification>();
        var issues = new List<string>();
        problems = issues;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(payload);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            issues.Add($"the SNS delivery is not JSON ({e.Message})");
            return found;
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("Records", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                issues.Add("the SNS delivery has no Records array");
                return found;
            }

            var index = 0;
            foreach (var record in records.EnumerateArray())
            {
                if (TryReadRecord(record, out var alarm, out var problem))
                {
                    found.Add(alarm);
                }
                else
                {
                    issues.Add($"record {index}: {problem}");
                }

                index++;
            }
        }

        return found;
    }

    private static bool TryReadRecord(JsonElement record, out AlarmNotification alarm, out string problem)
    {
        alarm = null!;
        if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty("Sns", out var sns) || sns.ValueKind != JsonValueKind.Object
            || !sns.TryGetProperty("Message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            problem = "no Sns.Message string";
            return false;
        }

        try
        {
            using var body = JsonDocument.Parse(message.GetString()!);
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "AlarmName") is not { } name || Text(root, "NewStateValue") is not { } state)
            {
                problem = "the message is not a CloudWatch alarm state change (no AlarmName or NewStateValue)";
                return false;
            }

            alarm = new AlarmNotification(name, state, Text(root, "NewStateReason") ?? string.Empty, Text(root, "AlarmDescription"), Text(root, "Region"), Text(root, "StateChangeTime"));
            problem = string.Empty;
            return true;
        }
        catch (JsonException)
        {
            problem = "the message is not JSON";
            return false;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
