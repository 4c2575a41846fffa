using Remediator.Core.Remediation;

namespace Remediator.Core.Detection;

/// <summary>
/// One problem found in one resource by one rule.
/// </summary>
/// <param name="Rule">Id of the rule that found it.</param>
/// <param name="Concern">One of <see cref="Concerns"/>.</param>
/// <param name="Resource">ARN where one can be built, else the resource's name.</param>
/// <param name="ResourceType">CloudFormation type name, e.g. <c>AWS::IAM::Role</c>: decides the tagging call.</param>
/// <param name="Severity">The rule's severity, possibly lowered (a condition narrows a grant).</param>
/// <param name="Check">Stable short code of the check that fired, e.g. <c>admin-wildcard</c>.</param>
/// <param name="Summary">One sentence for people.</param>
/// <param name="Evidence">The facts behind it, e.g. the offending statement.</param>
public sealed record Finding(
    string Rule,
    string Concern,
    string Resource,
    string ResourceType,
    Severity Severity,
    string Check,
    string Summary,
    IReadOnlyList<string> Evidence)
{
    /// <summary>The exact inverse of the change, when one exists (e.g. DeleteRolePolicy for a new inline policy).</summary>
    public IReadOnlyList<PlannedAction> RevertSteps { get; init; } = [];

    /// <summary>A reversible containment for when there is no exact inverse (IAM: deny-all policy or boundary).</summary>
    public IReadOnlyList<PlannedAction> QuarantineSteps { get; init; } = [];

    /// <summary>
    /// A low-confidence verdict (it rests on a condition or a grant the detector cannot settle, e.g. PassRole with no
    /// way to use it): reported, tagged and notified, never reverted or contained, whatever the rule's remediate says.
    /// </summary>
    public bool IsNotice { get; init; }
}
