using System.Text.Json;
using Remediator.Core;
using Remediator.Core.Engine;
using Remediator.Core.Remediation;

namespace Remediator.Cli.Output;

/// <summary>
/// The JSON forms of the CLI's results, written with Utf8JsonWriter (NativeAOT: no reflection serializer).
/// One object per event per line (JSON Lines), so large replays stream and tools like jq read them line by line.
/// </summary>
public static class EvaluationJson
{
    private static readonly JsonWriterOptions LineOptions = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string EventLine(EventEvaluation evaluation, string file, string position)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, LineOptions))
        {
            var e = evaluation.Event;
            writer.WriteStartObject();
            writer.WriteString("eventId", e.EventId);
            writer.WriteString("eventName", e.EventName);
            writer.WriteString("eventSource", e.EventSource);
            writer.WriteString("eventTime", e.EventTime?.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("actor", e.Identity.Arn ?? e.Identity.PrincipalArn ?? e.Identity.InvokedBy);
            writer.WriteString("file", file);
            writer.WriteString("position", position);
            if (evaluation.Skipped is not null)
            {
                writer.WriteString("skipped", evaluation.Skipped);
            }

            writer.WriteStartArray("matchedRules");
            foreach (var rule in evaluation.Rules)
            {
                writer.WriteStartObject();
                writer.WriteString("rule", rule.Rule.Id);
                writer.WriteString("mode", ModeName(rule.Mode));
                if (rule.NotApplied is not null)
                {
                    writer.WriteString("notApplied", rule.NotApplied);
                }

                if (rule.Error is not null)
                {
                    writer.WriteString("error", rule.Error);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("findings");
            foreach (var decision in evaluation.Findings)
            {
                WriteFinding(writer, decision);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string ErrorLine(string error, string file, string position)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, LineOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("file", file);
            writer.WriteString("position", position);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string ModeName(Core.Rules.RuleMode mode) => Core.Audit.AuditNames.ToName(mode);

    public static string OutcomeName(FindingOutcome outcome) => outcome switch
    {
        FindingOutcome.Planned => "planned",
        FindingOutcome.Exempt => "exempt",
        _ => "notify-only",
    };

    private static void WriteFinding(Utf8JsonWriter writer, FindingDecision decision)
    {
        var f = decision.Finding;
        writer.WriteStartObject();
        writer.WriteString("rule", f.Rule);
        writer.WriteString("concern", f.Concern);
        writer.WriteString("resource", f.Resource);
        writer.WriteString("resourceType", f.ResourceType);
        writer.WriteString("severity", f.Severity.ToName());
        writer.WriteString("check", f.Check);
        writer.WriteString("summary", f.Summary);
        writer.WriteStartArray("evidence");
        foreach (var item in f.Evidence)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
        writer.WriteString("mode", ModeName(decision.Mode));
        writer.WriteString("outcome", OutcomeName(decision.Outcome));
        if (decision.Reason is not null)
        {
            writer.WriteString("reason", decision.Reason);
        }

        writer.WriteStartArray("plannedActions");
        foreach (var action in decision.PlannedActions)
        {
            WriteAction(writer, action);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteAction(Utf8JsonWriter writer, PlannedAction action)
    {
        writer.WriteStartObject();
        writer.WriteString("action", action.Action);
        writer.WriteString("operation", action.Operation);
        writer.WriteString("resource", action.Resource);
        writer.WriteString("description", action.Description);
        writer.WritePropertyName("parameters");
        action.Parameters.WriteTo(writer);
        writer.WriteStartArray("permissions");
        foreach (var permission in action.Permissions)
        {
            writer.WriteStringValue(permission);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
