using System.Buffers;
using System.Text.Json;
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
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);
    private readonly List<int> _hits = [];

    public PatternRuleMatcher(IReadOnlyList<Rule> rules)
    {
        _rules = rules;
        _matcher = PatternMatcher.Build(rules.Select(r => (r.Id, EventPattern.Parse(r.Match))));
    }

    /// <remarks>Not thread-safe: one matcher per thread (the buffer is reused to keep the per-event path allocation-free).</remarks>
    public IReadOnlyList<Rule> Match(CloudTrailEvent cloudTrailEvent)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            cloudTrailEvent.Envelope.WriteTo(writer);
        }

        _hits.Clear();
        _matcher.MatchRules(_buffer.WrittenSpan, _hits);
        return _hits.Count == 0 ? [] : _hits.Select(i => _rules[i]).ToList();
    }
}
