using System.Globalization;
using Remediator.Core.Approvals;
using Remediator.Core.Audit;

namespace Remediator.Detectors.Actions;

/// <summary>
/// Exempt for N days = the guard's exemption tag with the expiry date as its value, through the same tagging calls the
/// <c>tag</c> action uses; the engine reads such a value as "exempt until" and ignores it after that date.
/// </summary>
public sealed class TagExemptionPlanner(string tagKey) : IExemptionPlanner
{
    public PlannedAction? Plan(AuditRecord record, DateTimeOffset until) =>
        TaggingCalls.For(record.ResourceType, record.Resource, tagKey, until.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
}
