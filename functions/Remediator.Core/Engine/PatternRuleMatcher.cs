using System.Runtime.InteropServices;
using Remediator.Core.Events;
using Remediator.Core.Patterns;
using Remediator.Core.Rules;

namespace Remediator.Core.Engine;

/// <summary>
/// Every rule's <c>match</c> compiled into one <see cref="PatternMatcher"/>, matched against the event's EventBridge
/// envelope: the same decision EventBridge takes before invoking the function.
/// </summary>
public sealed class PatternRuleMatcher : IRuleMatcher
{
    private readonly IReadOnlyList<Rule> _rules;
    private readonly PatternMatcher _matcher;
    private readonly List<int> _hits = [];

    public PatternRuleMatcher(IReadOnlyList<Rule> rules)
    {
        _rules = rules;
        _matcher = PatternMatcher.Build(rules.Select(r => (r.Id, EventPattern.Parse(r.Match))));
    }

    /// <remarks>Not thread-safe: one matcher per thread (the hit list is reused).</remarks>
    public IReadOnlyList<Rule> Match(CloudTrailEvent cloudTrailEvent)
    {
        // The envelope's own bytes, as parsed: matching re-serialises nothing.
        _matcher.MatchRules(JsonMarshal.GetRawUtf8Value(cloudTrailEvent.Envelope), _hits);
        return _hits.Count == 0 ? [] : _hits.Select(i => _rules[i]).ToList();
    }
}
