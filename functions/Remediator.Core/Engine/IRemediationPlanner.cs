using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Remediation;
using Remediator.Core.Rules;

namespace Remediator.Core.Engine;

/// <summary>Turns a rule's <c>remediate</c> list and one finding into the concrete, ordered steps.</summary>
public interface IRemediationPlanner
{
    /// <param name="notifyOnly">Keep only notifications (circuit open, cool-down, or the guard's notify-only switch).</param>
    IReadOnlyList<PlannedAction> Plan(Rule rule, Finding finding, CloudTrailEvent cloudTrailEvent, bool notifyOnly);
}
