namespace Remediator.Core.Engine;

/// <summary>
/// IAM's wildcard matching, the one copy of it in the code base: <c>*</c> is any run of characters (also none),
/// <c>?</c> exactly one. ARNs and names compare case-sensitively, as IAM compares them; IAM action names
/// (<c>IAM:put*</c> matches <c>iam:PutRolePolicy</c>) compare with <c>ignoreCase: true</c>.
/// </summary>
public static class WildcardPattern
{
    public static bool IsMatch(string pattern, string text, bool ignoreCase = false) =>
        IsMatch(pattern.AsSpan(), text.AsSpan(), ignoreCase);

    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase = false)
    {
        // Iterative glob with backtracking to the last '*': first try the star against nothing, widen it on a later
        // mismatch. Linear in practice, no regex or allocation per call.
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

    public static bool MatchesAny(IEnumerable<string> patterns, string? text) =>
        text is not null && patterns.Any(p => IsMatch(p, text));

    public static bool HasWildcard(ReadOnlySpan<char> text) => text.IndexOfAny('*', '?') >= 0;

    /// <summary>True for <c>*</c>, <c>**</c>: a pattern that matches everything.</summary>
    public static bool IsAllStars(ReadOnlySpan<char> text) => !text.IsEmpty && text.IndexOfAnyExcept('*') < 0;

    private static bool SameChar(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
