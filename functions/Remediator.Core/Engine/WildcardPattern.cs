namespace Remediator.Core.Engine;

/// <summary>
/// Matches ARNs and names against patterns with <c>*</c> (any run of characters) and <c>?</c> (one character),
/// as IAM does for ARNs in policies. Case-sensitive, as ARNs are.
/// </summary>
public static class WildcardPattern
{
    public static bool IsMatch(string pattern, string text, bool ignoreCase = false)
    {
        // Iterative glob with backtracking to the last '*': linear in practice, no regex allocation per call.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || SameChar(pattern[p], text[t], ignoreCase)))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool SameChar(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    public static bool MatchesAny(IEnumerable<string> patterns, string? text) =>
        text is not null && patterns.Any(p => IsMatch(p, text));
}
