using Remediator.Core.Events;
using Remediator.Core.Rules;

namespace Remediator.Core.Engine;

/// <summary>Which rules' <c>match</c> patterns an event satisfies, in rule order.</summary>
public interface IRuleMatcher
{
    IReadOnlyList<Rule> Match(CloudTrailEvent cloudTrailEvent);
}
