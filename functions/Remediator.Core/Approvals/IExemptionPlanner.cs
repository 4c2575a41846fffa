using Remediator.Core.Audit;
using Remediator.Core.Remediation;

namespace Remediator.Core.Approvals;

/// <summary>Plans the tagging call that exempts a record's resource until a date (the guard's exemption tag).</summary>
public interface IExemptionPlanner
{
    /// <returns>The tag step, or null when the resource's type cannot be tagged.</returns>
    PlannedAction? Plan(AuditRecord record, DateTimeOffset until);
}
