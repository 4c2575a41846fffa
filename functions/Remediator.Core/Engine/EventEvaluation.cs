using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Remediation;
using Remediator.Core.Rules;

namespace Remediator.Core.Engine;

/// <summary>What happened to one finding on its way to a plan.</summary>
public enum FindingOutcome
{
    /// <summary>Planned in full (carried out when the mode is enforce).</summary>
    Planned,

    /// <summary>Left alone: an exempt resource (tag, pattern).</summary>
    Exempt,

    /// <summary>Only notified: the resource is cooling down, its circuit is open, or the guard is notify-only.</summary>
    NotifyOnly,
}

/// <summary>One finding and the decision taken on it.</summary>
public sealed record FindingDecision(
    Finding Finding,
    RuleMode Mode,
    FindingOutcome Outcome,
    string? Reason,
    IReadOnlyList<PlannedAction> PlannedActions);

/// <summary>One rule whose pattern matched the event, and what came of it.</summary>
/// <param name="NotApplied">Why the rule did not look at the event although its pattern matched (scope, exempt actor), else null.</param>
/// <param name="Error">The detector failed (a bug or a port error): reported, never swallowed, never fatal for the run.</param>
public sealed record RuleEvaluation(
    Rule Rule,
    RuleMode Mode,
    string? NotApplied,
    IReadOnlyList<FindingDecision> Findings,
    string? Error = null)
{
    /// <summary>How a repeated delivery's reason starts, here and in the audit trail's unstored duplicate reports.</summary>
    public const string DuplicateDeliveryReason = "duplicate delivery";

    /// <summary>
    /// A repeat of an (event, rule) pair this engine already decided: the first decision stands, nothing new is
    /// recorded. Carried onto the record as <see cref="Audit.AuditRecord.IsDuplicateDelivery"/>.
    /// </summary>
    public bool IsRepeatedDelivery { get; init; }
}

/// <summary>The guard's whole decision on one event.</summary>
/// <param name="Skipped">Why the event was not evaluated at all (failed call, the guard's own change, duplicate), else null.</param>
public sealed record EventEvaluation(
    CloudTrailEvent Event,
    string? Skipped,
    IReadOnlyList<RuleEvaluation> Rules)
{
    public IEnumerable<FindingDecision> Findings => Rules.SelectMany(r => r.Findings);

    public bool HasFindings => Rules.Any(r => r.Findings.Count > 0);
}
