namespace Remediator.Detectors.Iam;

/// <summary>
/// IAM's wildcard matching for actions (and, here, for ARN patterns in options): <c>*</c> is any run of characters,
/// <c>?</c> exactly one, and action names compare case-insensitively, so <c>IAM:put*</c> matches <c>iam:PutRolePolicy</c>.
/// </summary>
internal static class IamGlob
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, starAt = -1, resumeAt = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || SameLetter(pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                // Remember the star and first try matching it against nothing; widen it on a later mismatch.
                starAt = p++;
                resumeAt = t;
            }
            else if (starAt >= 0)
            {
                p = starAt + 1;
                t = ++resumeAt;
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

    public static bool HasWildcard(ReadOnlySpan<char> text) => text.IndexOfAny('*', '?') >= 0;

    /// <summary>True for <c>*</c>, <c>**</c>: a pattern that matches everything.</summary>
    public static bool IsAllStars(ReadOnlySpan<char> text) => !text.IsEmpty && text.IndexOfAnyExcept('*') < 0;

    private static bool SameLetter(char a, char b) => a == b || char.ToLowerInvariant(a) == char.ToLowerInvariant(b);
}
