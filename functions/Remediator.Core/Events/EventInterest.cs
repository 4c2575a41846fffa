using Remediator.Core.Patterns;

namespace Remediator.Core.Events;

/// <summary>
/// The event patterns a reader's consumer cares about (replay: every rule's <c>match</c>). Given to
/// <see cref="EventReaderOptions.Interest"/>, it lets the reader decide from a JSON Lines record's bytes alone, in the
/// same single pass that matches it, that the record is a CloudTrail EventBridge envelope no pattern matches: such a
/// record is counted as <see cref="EventNotWanted"/> and never parsed into a document, copied or turned into strings.
/// Everything else (a match, another shape, anything odd or malformed) takes the full path, so errors and notes are
/// exactly those of a reader without interest.
/// </summary>
/// <remarks>
/// The envelope test is what the full path needs to call a record an event: <c>detail-type</c> present and
/// <c>detail.eventSource</c> and <c>detail.eventName</c> present, neither empty nor null. Like EventBridge itself, it
/// does not inspect the types of the rest of a record that no pattern wants.
/// </remarks>
public sealed class EventInterest
{
    private static readonly EventPattern Envelope = EventPattern.Parse(
        """{"detail-type": [{"exists": true}], "detail": {"eventSource": [{"exists": true}], "eventName": [{"exists": true}]}}""");

    private static readonly EventPattern EmptySource = EventPattern.Parse("""{"detail": {"eventSource": ["", null]}}""");

    private static readonly EventPattern EmptyName = EventPattern.Parse("""{"detail": {"eventName": ["", null]}}""");

    [ThreadStatic]
    private static List<int>? cachedHits;

    private readonly PatternMatcher _matcher;
    private readonly int _patternCount;

    public EventInterest(IEnumerable<EventPattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var named = patterns.Select((p, i) => ("pattern " + i, p)).ToList();
        _patternCount = named.Count;
        named.Add(("envelope", Envelope));
        named.Add(("empty source", EmptySource));
        named.Add(("empty name", EmptyName));
        _matcher = PatternMatcher.Build(named);
    }

    /// <summary>What the reader may conclude from a record's bytes (which must be valid UTF-8).</summary>
    internal InterestVerdict Judge(ReadOnlySpan<byte> utf8Json)
    {
        var hits = cachedHits ??= [];
        try
        {
            _matcher.MatchRules(utf8Json, hits);
        }
        catch (MalformedEventException)
        {
            // The full path reports it, with its position.
            return InterestVerdict.ReadFully;
        }

        // Hits are ascending: the consumer's patterns come first, then the envelope test, then the odd cases.
        if (hits.Count == 1 && hits[0] == _patternCount)
        {
            return InterestVerdict.NotWanted;
        }

        return InterestVerdict.ReadFully;
    }
}

internal enum InterestVerdict
{
    /// <summary>Parse it and hand it on: a pattern matches it, or the bytes alone cannot tell.</summary>
    ReadFully,

    /// <summary>A CloudTrail EventBridge envelope that no pattern matches.</summary>
    NotWanted,
}
