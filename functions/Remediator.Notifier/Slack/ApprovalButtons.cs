using System.Globalization;
using System.Text.Json;
using Remediator.Core.Approvals;
using Remediator.Core.Audit;

namespace Remediator.Notifier.Slack;

/// <summary>
/// The buttons of a message whose record is open to a decision, and the one place that spells their values:
/// <c>&lt;verb&gt;|&lt;audit id&gt;</c> (exempt: <c>exempt:&lt;days&gt;|&lt;audit id&gt;</c>). The Slack function parses
/// what this writes; a value is only a request: the function re-reads the record and authorises the user itself.
/// </summary>
public static class ApprovalButtons
{
    public const string ActionIdPrefix = "remediator-";
    public const int DefaultExemptDays = 7;
    private const char Separator = '|';

    public static string Value(DecisionVerb verb, string auditId, int? exemptDays = null) =>
        verb == DecisionVerb.Exempt
            ? $"{verb.ToName()}:{(exemptDays ?? DefaultExemptDays).ToString(CultureInfo.InvariantCulture)}{Separator}{auditId}"
            : $"{verb.ToName()}{Separator}{auditId}";

    /// <summary>Reads a button value; false for anything this builder did not write.</summary>
    public static bool TryParse(string? value, out DecisionVerb verb, out string auditId, out int? exemptDays)
    {
        verb = default;
        auditId = string.Empty;
        exemptDays = null;
        var separator = value?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (value is null || separator <= 0 || separator == value.Length - 1 || value.Length > 2000)
        {
            return false;
        }

        var head = value[..separator];
        auditId = value[(separator + 1)..];
        var colon = head.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!int.TryParse(head.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            {
                return false;
            }

            exemptDays = days;
            head = head[..colon];
        }

        return DecisionVerbs.TryParse(head, out verb) && (exemptDays is null || verb == DecisionVerb.Exempt) && verb != DecisionVerb.Lapse;
    }

    /// <summary>Writes an <c>actions</c> block with one button per open decision; nothing when none is open.</summary>
    public static void Write(Utf8JsonWriter writer, AuditRecord record, DateTimeOffset now)
    {
        var verbs = DecisionService.OpenDecisions(record, now);
        if (verbs.Count == 0)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", "actions");
        writer.WriteString("block_id", "remediator-decision");
        writer.WriteStartArray("elements");
        foreach (var verb in verbs)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "button");
            writer.WriteString("action_id", ActionIdPrefix + verb.ToName());
            writer.WriteStartObject("text");
            writer.WriteString("type", "plain_text");
            writer.WriteString("text", Label(verb));
            writer.WriteEndObject();
            writer.WriteString("value", Value(verb, record.Id));
            if (verb is DecisionVerb.Apply or DecisionVerb.Keep)
            {
                writer.WriteString("style", "primary");
            }
            else if (verb is DecisionVerb.Deny or DecisionVerb.Undo or DecisionVerb.Restore)
            {
                writer.WriteString("style", "danger");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static string Label(DecisionVerb verb) => verb switch
    {
        DecisionVerb.Apply => "Apply fix",
        DecisionVerb.Deny => "Deny",
        DecisionVerb.Exempt => $"Exempt for {DefaultExemptDays} days",
        DecisionVerb.Keep => "Keep containment",
        DecisionVerb.Restore => "Restore",
        DecisionVerb.Undo => "Undo",
        _ => verb.ToName(),
    };
}
