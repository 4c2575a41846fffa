using System.Text;

namespace Remediator.Core.Patterns;

/// <summary>
/// A wildcard value: '*' matches any run of bytes (also none), <c>\*</c> is a literal star and <c>\\</c> a literal
/// backslash. Any other backslash, and two stars in a row, are invalid (as in event-ruler).
/// </summary>
internal sealed class WildcardText
{
    private readonly byte[][] segments;
    private readonly bool startsWithStar;
    private readonly bool endsWithStar;

    private WildcardText(byte[][] segments, bool startsWithStar, bool endsWithStar)
    {
        this.segments = segments;
        this.startsWithStar = startsWithStar;
        this.endsWithStar = endsWithStar;
    }

    public static WildcardText Parse(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var segments = new List<byte[]>();
        var current = new List<byte>();
        var startsWithStar = false;
        var endsWithStar = false;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == '*')
            {
                if (i + 1 < bytes.Length && bytes[i + 1] == '*')
                {
                    throw new FormatException($"consecutive wildcard characters at position {i}");
                }

                if (i == 0)
                {
                    startsWithStar = true;
                }
                else
                {
                    segments.Add([.. current]);
                    current.Clear();
                }

                endsWithStar = i == bytes.Length - 1;
                continue;
            }

            if (b == '\\')
            {
                if (i + 1 < bytes.Length && bytes[i + 1] is (byte)'*' or (byte)'\\')
                {
                    current.Add(bytes[++i]);
                    continue;
                }

                throw new FormatException($"invalid escape character at position {i}");
            }

            current.Add(b);
        }

        if (!endsWithStar)
        {
            segments.Add([.. current]);
        }

        return new WildcardText([.. segments], startsWithStar, endsWithStar);
    }

    public bool Matches(ReadOnlySpan<byte> value)
    {
        var segs = segments;
        if (segs.Length == 0)
        {
            return startsWithStar || value.Length == 0;
        }

        if (!startsWithStar && !endsWithStar && segs.Length == 1)
        {
            return value.SequenceEqual(segs[0]);
        }

        var first = 0;
        var last = segs.Length - 1;
        if (!startsWithStar)
        {
            if (!value.StartsWith(segs[0]))
            {
                return false;
            }

            value = value[segs[0].Length..];
            first = 1;
        }

        if (!endsWithStar)
        {
            var tail = segs[last];
            if (value.Length < tail.Length || !value.EndsWith(tail))
            {
                return false;
            }

            value = value[..^tail.Length];
            last--;
        }

        // Middle segments: leftmost match of each is optimal for star-only globs.
        for (var s = first; s <= last; s++)
        {
            var at = value.IndexOf(segs[s]);
            if (at < 0)
            {
                return false;
            }

            value = value[(at + segs[s].Length)..];
        }

        return true;
    }
}

/// <summary>
/// equals-ignore-case as event-ruler does it: each UTF-16 unit of the pattern accepts the UTF-8 bytes of its lower-case
/// or its upper-case form as Java maps them (<see cref="JavaCaseMapping"/>: <c>ß</c> accepts <c>ß</c> or <c>SS</c>), and a
/// unit whose two forms are equal accepts only that form.
/// </summary>
internal sealed class IgnoreCaseText
{
    private readonly byte[][][] units;
    private readonly byte[]? asciiLower;

    private IgnoreCaseText(byte[][][] units, byte[]? asciiLower)
    {
        this.units = units;
        this.asciiLower = asciiLower;
    }

    public static IgnoreCaseText Parse(string value)
    {
        var units = new byte[value.Length][][];
        var ascii = true;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            ascii &= c < 0x80;
            var lower = Utf8Of(c, JavaCaseMapping.Lower);
            var upper = Utf8Of(c, JavaCaseMapping.Upper);
            units[i] = lower.AsSpan().SequenceEqual(upper) ? [lower] : [lower, upper];
        }

        byte[]? asciiLower = ascii ? Encoding.ASCII.GetBytes(value.ToLowerInvariant()) : null;
        return new IgnoreCaseText(units, asciiLower);
    }

    // Java encodes a lone surrogate as '?'.
    private static byte[] Utf8Of(char c, Func<char, string> map) => char.IsSurrogate(c) ? [(byte)'?'] : Encoding.UTF8.GetBytes(map(c));

    public bool MatchesWhole(ReadOnlySpan<byte> value)
    {
        if (asciiLower is { } lower)
        {
            return value.Length == lower.Length && AsciiEqualsIgnoreCase(value, lower);
        }

        return MatchForward(value, 0, requireEnd: true);
    }

    public bool MatchesPrefixOf(ReadOnlySpan<byte> value)
    {
        if (asciiLower is { } lower)
        {
            return value.Length >= lower.Length && AsciiEqualsIgnoreCase(value[..lower.Length], lower);
        }

        return MatchForward(value, 0, requireEnd: false);
    }

    public bool MatchesSuffixOf(ReadOnlySpan<byte> value)
    {
        if (asciiLower is { } lower)
        {
            return value.Length >= lower.Length && AsciiEqualsIgnoreCase(value[^lower.Length..], lower);
        }

        return MatchBackward(value, units.Length - 1, value.Length);
    }

    private static bool AsciiEqualsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lower)
    {
        for (var i = 0; i < lower.Length; i++)
        {
            var b = value[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                b = (byte)(b | 0x20);
            }

            if (b != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    private bool MatchForward(ReadOnlySpan<byte> value, int unit, bool requireEnd)
    {
        if (unit == units.Length)
        {
            return !requireEnd || value.Length == 0;
        }

        foreach (var form in units[unit])
        {
            if (value.StartsWith(form) && MatchForward(value[form.Length..], unit + 1, requireEnd))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchBackward(ReadOnlySpan<byte> value, int unit, int end)
    {
        if (unit < 0)
        {
            return true;
        }

        foreach (var form in units[unit])
        {
            if (end >= form.Length && value[..end].EndsWith(form) && MatchBackward(value, unit - 1, end - form.Length))
            {
                return true;
            }
        }

        return false;
    }
}
