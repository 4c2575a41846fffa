using System.Text.Json;
using Remediator.Core.Registry;

namespace Remediator.Core.Rules;

/// <summary>Whether a rule's plans are carried out, only recorded, or put to people first.</summary>
public enum RuleMode
{
    DryRun,
    Enforce,

    /// <summary>Ask the rule's approvers (Slack, CLI) before acting; with <c>approval.contain</c>, contain first, then ask.</summary>
    Approve,
}

/// <summary>Where a thing was written: file, 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>A detector chosen by a rule, with its options bound to the detector's options record.</summary>
public sealed record DetectorUse(DetectorDescriptor Descriptor, object Options);

/// <summary>One entry of a rule's <c>remediate</c> list, with its options bound to the action's options record.</summary>
public sealed record ActionUse(ActionDescriptor Descriptor, object Options);

/// <summary>
/// What a rule leaves alone. Patterns in <see cref="Principals"/> and <see cref="Resources"/> may use <c>*</c>.
/// </summary>
/// <param name="Tag">Resource tag key that exempts a resource; its value may be an ISO date after which the exemption lapses.</param>
/// <param name="Principals">Actors whose changes are left alone (break-glass roles).</param>
/// <param name="Resources">Resources left alone.</param>
/// <param name="Accounts">When not empty: the rule applies only to these accounts.</param>
/// <param name="Regions">When not empty: the rule applies only in these regions.</param>
public sealed record Exemptions(
    string? Tag,
    IReadOnlyList<string> Principals,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Accounts,
    IReadOnlyList<string> Regions)
{
    public static Exemptions None { get; } = new(null, [], [], [], []);

    /// <summary>
    /// <c>guardRoles: true</c>: the guard's own roles, as configured for the running guard (exact ARNs of the stack's
    /// roles, the organization template's member roles; see <see cref="Engine.GuardRoles"/>), never a name pattern.
    /// </summary>
    public bool GuardRoles { get; init; }
}

/// <summary>A validated rule file entry.</summary>
public sealed record Rule(
    string Id,
    string Description,
    string Concern,
    Severity Severity,
    RuleMode Mode,
    JsonElement Match,
    DetectorUse Detect,
    Exemptions Exempt,
    IReadOnlyList<ActionUse> Remediate,
    SourceLocation Location)
{
    /// <summary>The rule's <c>approval:</c> block: required in approve mode; in enforce mode it names who may undo from Slack.</summary>
    public Approvals.ApprovalPolicy? Approval { get; init; }
}
