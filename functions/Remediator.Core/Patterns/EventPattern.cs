using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Remediator.Core.Patterns;

/// <summary>
/// One Amazon EventBridge event pattern with the full content-filtering syntax, matching as aws/event-ruler does.
/// Parse once, match many times; instances are immutable and thread-safe.
/// </summary>
public sealed class EventPattern
{
    private readonly Lazy<PatternMatcher> single;

    private EventPattern(string json, SubPattern[] subPatterns)
    {
        Json = json;
        SubPatterns = subPatterns;
        single = new Lazy<PatternMatcher>(() => PatternMatcher.Build([("pattern", this)]));
    }

    /// <summary>The pattern as given.</summary>
    public string Json { get; }

    internal SubPattern[] SubPatterns { get; }

    /// <exception cref="InvalidPatternException">The pattern is not valid; the message names the path.</exception>
    public static EventPattern Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidPatternException(string.Empty, $"pattern is not valid JSON: {e.Message}");
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    /// <exception cref="InvalidPatternException">The pattern is not valid; the message names the path.</exception>
    public static EventPattern Parse(JsonElement pattern) =>
        new(pattern.ValueKind == JsonValueKind.Undefined ? string.Empty : pattern.GetRawText(), PatternCompiler.Compile(pattern));

    public static bool TryParse(string json, [NotNullWhen(true)] out EventPattern? pattern, [NotNullWhen(false)] out string? error) =>
        TryParse(() => Parse(json), out pattern, out error);

    public static bool TryParse(JsonElement json, [NotNullWhen(true)] out EventPattern? pattern, [NotNullWhen(false)] out string? error) =>
        TryParse(() => Parse(json), out pattern, out error);

    private static bool TryParse(Func<EventPattern> parse, [NotNullWhen(true)] out EventPattern? pattern, [NotNullWhen(false)] out string? error)
    {
        try
        {
            pattern = parse();
            error = null;
            return true;
        }
        catch (InvalidPatternException e)
        {
            pattern = null;
            error = e.Message;
            return false;
        }
    }

    /// <exception cref="MalformedEventException">The event is not a well-formed JSON object.</exception>
    public bool Matches(ReadOnlySpan<byte> utf8EventJson) => single.Value.Match(utf8EventJson).Count > 0;

    public bool Matches(JsonElement evt) => Matches(Encoding.UTF8.GetBytes(evt.GetRawText()));

    /// <summary>
    /// Field by field, why the pattern does or does not match (for <c>$or</c>, every alternative). A field is
    /// reported matched when any of its values satisfies any alternative; the overall answer also applies the
    /// same-array-element rule, so use <see cref="Matches(JsonElement)"/> for the verdict.
    /// </summary>
    public IReadOnlyList<FieldExplanation> Explain(JsonElement evt)
    {
        var lines = new List<FieldExplanation>();
        var bytes = Encoding.UTF8.GetBytes(evt.GetRawText());
        for (var b = 0; b < SubPatterns.Length; b++)
        {
            var prefix = SubPatterns.Length > 1 ? $"$or[{b}] " : string.Empty;
            foreach (var condition in SubPatterns[b].Conditions)
            {
                var values = new List<JsonElement>();
                Collect(evt, condition.Path.Split('.'), 0, values);
                var expected = string.Join(" or ", condition.Tests.Select(t => t.Display)
                    .Concat(condition.AllowsAbsence ? ["{\"exists\": false}"] : []));
                var single = new EventPattern(string.Empty, [new SubPattern([condition])]);
                bool matched;
                try
                {
                    matched = single.Matches(bytes);
                }
                catch (MalformedEventException)
                {
                    matched = false;
                }

                var actual = values.Count == 0 ? "(absent)" : string.Join(", ", values.Select(v => v.GetRawText()));
                lines.Add(new FieldExplanation(prefix + condition.Path, matched, expected, actual));
            }
        }

        return lines;
    }

    private static void Collect(JsonElement element, string[] segments, int depth, List<JsonElement> values)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, segments, depth, values);
            }

            return;
        }

        if (depth == segments.Length)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                values.Add(element);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            var keySegments = property.Name.Split('.');
            if (depth + keySegments.Length <= segments.Length
                && keySegments.AsSpan().SequenceEqual(segments.AsSpan(depth, keySegments.Length)))
            {
                Collect(property.Value, segments, depth + keySegments.Length, values);
            }
        }
    }

    public override string ToString() => Json;
}
