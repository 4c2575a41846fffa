using Remediator.Core;
using Remediator.Core.Audit;
using Remediator.Core.Rules;
using Remediator.Notifier.Stream;

namespace Remediator.Notifier;

/// <summary>The words shared by every channel, so that Slack and SNS describe a decision the same way.</summary>
public static class NotificationText
{
    /// <summary>What happened, in two or three words, by outcome.</summary>
    public static string Headline(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Applied => "Remediated",
        AuditOutcome.PartiallyApplied => "Partly remediated",
        AuditOutcome.Failed => "Remediation failed",
        AuditOutcome.NotifyOnly => "Needs attention",
        AuditOutcome.Planned => "Dry run",
        AuditOutcome.Pending => "Awaiting approval",
        AuditOutcome.Decided => "Decided",
        _ => outcome.ToName(),
    };

    public static string SeverityTag(Severity? severity) => "[" + (severity?.ToName() ?? "unknown").ToUpperInvariant() + "]";

    /// <summary><c>[HIGH] Remediated: iam-no-admin on arn:...</c> (plain text).</summary>
    public static string Title(AuditRecord record, bool withResource = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        var title = $"{SeverityTag(record.Severity)} {Headline(record.Outcome)}: {record.Rule}";
        return withResource && record.Resource.Length > 0 ? title + " on " + record.Resource : title;
    }

    public static bool IsDryRun(AuditRecord record) => record.Mode == RuleMode.DryRun || record.Outcome == AuditOutcome.Planned;

    /// <summary>The steps that change (or would change) the resource: the notification steps are this message itself.</summary>
    public static IReadOnlyList<AuditAction> ChangeActions(AuditRecord record) =>
        record.Actions.Where(a => !a.IsNotification).ToList();

    /// <summary>One step as a person reads it (plain text): what, and how it went.</summary>
    public static string DescribeAction(AuditAction action, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(action);
        var what = action.Description ?? $"{action.Operation} on {action.Resource}";
        if (dryRun)
        {
            return "would have: " + what;
        }

        return action.Outcome switch
        {
            ActionOutcome.Done => what + " — done",
            ActionOutcome.Verified => what + " — done and verified",
            ActionOutcome.Failed => what + " — FAILED" + (action.Error is null ? string.Empty : ": " + action.Error),
            ActionOutcome.NotAttempted => what + " — not attempted",
            _ => what + " — planned, not carried out",
        };
    }

    public static string ActionOutcomeName(AuditAction action, bool dryRun) => dryRun ? "would-have" : action.Outcome.ToName();

    /// <summary>For a summary line: "3 remediated, 1 failed".</summary>
    public static string CountByOutcome(IEnumerable<AuditNotification> notifications) =>
        string.Join(", ", notifications
            .GroupBy(n => n.Record.Outcome)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {Headline(g.Key).ToLowerInvariant()}"));
}
