using System.Globalization;
using System.Text.Json;
using Remediator.Core.Approvals;
using Remediator.Core.Events;

namespace Remediator.Core.Audit;

/// <summary>The approval parts of an audit record's JSON: <c>approval</c>, <c>decision</c>, <c>decisionOf</c>.</summary>
internal static class ApprovalJson
{
    public static void Write(Utf8JsonWriter writer, AuditRecord record)
    {
        if (record.Approval is { } approval)
        {
            writer.WriteStartObject("approval");
            writer.WriteStartArray("approvers");
            foreach (var approver in approval.Approvers)
            {
                writer.WriteStringValue(approver);
            }

            writer.WriteEndArray();
            writer.WriteString("decideBy", AuditJson.FormatTime(approval.DecideBy));
            writer.WriteString("onExpiry", ApprovalPolicy.NameOf(approval.OnExpiry));
            writer.WriteBoolean("contain", approval.Contain);
            writer.WriteEndObject();
        }

        if (record.Decision is { } decision)
        {
            writer.WriteStartObject("decision");
            writer.WriteString("verb", decision.Verb.ToName());
            writer.WriteString("by", decision.By);
            writer.WriteString("at", AuditJson.FormatTime(decision.At));
            if (decision.Reason is not null)
            {
                writer.WriteString("reason", decision.Reason);
            }

            if (decision.ExemptDays is { } days)
            {
                writer.WriteNumber("exemptDays", days);
            }

            writer.WriteEndObject();
        }

        if (record.DecisionOf is not null)
        {
            writer.WriteString("decisionOf", record.DecisionOf);
        }
    }

    public static ApprovalRequest? ReadApproval(JsonElement record)
    {
        if (!record.TryGetProperty("approval", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var approvers = element.TryGetProperty("approvers", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList()
            : [];
        var onExpiry = ApprovalPolicy.TryParseExpiry(JsonText.String(element, "onExpiry"), out var parsed) ? parsed : ExpiryOutcome.Notify;
        return new ApprovalRequest(
            approvers,
            Time(element, "decideBy") ?? throw new FormatException("approval without 'decideBy'"),
            onExpiry,
            element.TryGetProperty("contain", out var contain) && contain.ValueKind == JsonValueKind.True);
    }

    public static DecisionTaken? ReadDecision(JsonElement record)
    {
        if (!record.TryGetProperty("decision", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (!DecisionVerbs.TryParse(JsonText.String(element, "verb"), out var verb))
        {
            throw new FormatException($"unknown decision '{JsonText.String(element, "verb")}'");
        }

        return new DecisionTaken(
            verb,
            JsonText.String(element, "by") ?? throw new FormatException("decision without 'by'"),
            Time(element, "at") ?? throw new FormatException("decision without 'at'"),
            JsonText.String(element, "reason"))
        {
            ExemptDays = element.TryGetProperty("exemptDays", out var days) && days.TryGetInt32(out var n) ? n : null,
        };
    }

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        JsonText.String(element, name) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
