namespace Remediator.Core.Audit;

/// <summary>What came of one decision of the guard, as the audit trail records it.</summary>
public enum AuditOutcome
{
    /// <summary>Begun and not yet completed: its owner is carrying out the actions (or crashed; see the lease).</summary>
    InProgress,

    /// <summary>Dry-run: the actions were planned and not carried out.</summary>
    Planned,

    /// <summary>Every action was carried out.</summary>
    Applied,

    /// <summary>Some actions were carried out, others failed or were not attempted.</summary>
    PartiallyApplied,

    /// <summary>No action was carried out, or the detector failed.</summary>
    Failed,

    /// <summary>The resource is exempt (tag, pattern): left alone on purpose.</summary>
    Exempt,

    /// <summary>Only notified: cool-down, open circuit, or the guard's notify-only switch.</summary>
    NotifyOnly,

    /// <summary>The event or the rule was not looked at (failed call, own change, scope, exempt actor, duplicate).</summary>
    Skipped,

    /// <summary>A later undo record reversed this record's actions.</summary>
    Undone,

    /// <summary>Approve mode: the fix is planned and waits for an approver's decision (or the expiry).</summary>
    Pending,

    /// <summary>A decision record whose decision needed no change (deny, keep, a lapsed question).</summary>
    Decided,
}

/// <summary>What came of one action of a record.</summary>
public enum ActionOutcome
{
    Planned,
    Done,
    Failed,
    NotAttempted,

    /// <summary>Done, and a re-read of the resource showed the intended state.</summary>
    Verified,
}

/// <summary>
/// The names of outcomes and modes in the audit trail's JSON, DynamoDB items and the CLI: part of the product's
/// language, so they are spelled out here once instead of derived from enum member names.
/// </summary>
public static class AuditNames
{
    private static readonly string[] Outcomes =
        ["in-progress", "planned", "applied", "partially-applied", "failed", "exempt", "notify-only", "skipped", "undone", "pending", "decided"];

    private static readonly string[] ActionOutcomes = ["planned", "done", "failed", "not-attempted", "verified"];

    public const string Enforce = "enforce";
    public const string DryRun = "dry-run";
    public const string Approve = "approve";

    public static string ToName(this AuditOutcome outcome) => Outcomes[(int)outcome];

    public static string ToName(this ActionOutcome outcome) => ActionOutcomes[(int)outcome];

    public static string ToName(this Rules.RuleMode mode) => mode switch
    {
        Rules.RuleMode.Enforce => Enforce,
        Rules.RuleMode.Approve => Approve,
        _ => DryRun,
    };

    public static bool TryParseOutcome(string? text, out AuditOutcome outcome)
    {
        var index = Array.IndexOf(Outcomes, text);
        outcome = index < 0 ? AuditOutcome.Failed : (AuditOutcome)index;
        return index >= 0;
    }

    public static bool TryParseActionOutcome(string? text, out ActionOutcome outcome)
    {
        var index = Array.IndexOf(ActionOutcomes, text);
        outcome = index < 0 ? ActionOutcome.Failed : (ActionOutcome)index;
        return index >= 0;
    }

    public static bool TryParseMode(string? text, out Rules.RuleMode mode)
    {
        mode = text switch
        {
            Enforce => Rules.RuleMode.Enforce,
            Approve => Rules.RuleMode.Approve,
            _ => Rules.RuleMode.DryRun,
        };
        return text is Enforce or DryRun or Approve;
    }
}
