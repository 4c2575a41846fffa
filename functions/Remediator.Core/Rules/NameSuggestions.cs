namespace Remediator.Core.Rules;

/// <summary>"Did you mean …?" for misspelt keys, detector and action names: the candidate with the fewest edits, if close.</summary>
internal static class NameSuggestions
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var limit = Math.Max(2, name.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(name, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>"; did you mean 'x'? known: a, b" (or "; known: a, b"), to append to "unknown …" messages.</summary>
    public static string Hint(string name, IReadOnlyList<string> known)
    {
        if (known.Count == 0)
        {
            return "; none are known";
        }

        var list = string.Join(", ", known);
        return Closest(name, known) is { } closest ? $"; did you mean '{closest}'? known: {list}" : $"; known: {list}";
    }

    /// <summary>"; did you mean 'x'?" or nothing, to append to a message.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } closest ? $"; did you mean '{closest}'?" : "";

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
