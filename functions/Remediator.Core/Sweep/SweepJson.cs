using System.Buffers;
using System.Text;
using System.Text.Json;
using Remediator.Core.Audit;

namespace Remediator.Core.Sweep;

/// <summary>The sweep's digest lines: one JSON object per finding, new or still open, and per resource that failed.</summary>
public static class SweepJson
{
    /// <summary>
    /// <c>{"status": "new"|"still-open", "since", "id", "rule", "concern", "resource", "check", "severity", "mode",
    /// "outcome", "missedEvent", "summary"}</c>; <c>since</c> only for a still-open finding.
    /// </summary>
    public static string Finding(SweepFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var record = finding.Record;
        return Write(writer =>
        {
            writer.WriteString("status", finding.IsNew ? "new" : "still-open");
            if (finding.OpenSince is { } since)
            {
                writer.WriteString("since", AuditJson.FormatTime(since));
            }

            writer.WriteString("id", record.Id);
            writer.WriteString("rule", record.Rule);
            writer.WriteString("concern", record.Concern);
            writer.WriteString("resource", record.Resource);
            WriteIfSet(writer, "check", record.Check);
            WriteIfSet(writer, "severity", record.Severity?.ToName());
            writer.WriteString("mode", record.Mode.ToName());
            writer.WriteString("outcome", record.Outcome.ToName());
            writer.WriteBoolean("missedEvent", record.MissedEvent == true);
            WriteIfSet(writer, "summary", record.Summary);
            WriteIfSet(writer, "reason", record.Reason);
        });
    }

    /// <summary><c>{"status": "failed", "concern", "resource", "error"}</c>.</summary>
    public static string Failure(SweepResourceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Write(writer =>
        {
            writer.WriteString("status", "failed");
            writer.WriteString("concern", result.Concern);
            writer.WriteString("resource", result.Resource);
            writer.WriteString("error", result.Error);
        });
    }

    /// <summary>The closing line: counts of the whole sweep.</summary>
    public static string Summary(SweepSummary summary, string account, string region)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Write(writer =>
        {
            writer.WriteString("status", "summary");
            writer.WriteString("account", account);
            writer.WriteString("region", region);
            writer.WriteNumber("resources", summary.Resources);
            writer.WriteNumber("newFindings", summary.NewFindings);
            writer.WriteNumber("stillOpen", summary.StillOpen);
            writer.WriteNumber("applied", summary.Applied);
            writer.WriteNumber("failedChanges", summary.FailedChanges);
            writer.WriteNumber("failedResources", summary.FailedResources);
            writer.WriteNumber("missedEvents", summary.MissedEvents);
        });
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
