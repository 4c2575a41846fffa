namespace Remediator.Core.Patterns;

internal enum EventValueKind : byte
{
    String,
    Number,
    Literal, // true, false, null
}

/// <summary>One leaf value of the event at a field some pattern uses. Number and IP forms are computed on demand.</summary>
internal struct EventValue
{
    public EventValueKind Kind;
    public bool InArena;
    public sbyte NumberState; // 0 unknown, 1 not comparable, 2 comparable
    public sbyte IpLength;    // -1 unknown, 0 not an address, 4 or 16
    public int Start;
    public int Length;
    public int MemberStart;
    public int MemberCount;
    public int Next;
    public ulong NumberKey;
    public UInt128 Ip;
}

internal enum TestKind : byte
{
    ExactString,
    ExactLiteral,
    ExactNumber,
    NumericRange,
    IpRange,
    Prefix,
    Suffix,
    PrefixIgnoreCase,
    SuffixIgnoreCase,
    EqualsIgnoreCase,
    Wildcard,
    Exists,
    AnythingButStrings,
    AnythingButNumbers,
    AnythingButPrefix,
    AnythingButSuffix,
    AnythingButIgnoreCase,
    AnythingButWildcard,
}

/// <summary>One alternative of a pattern field (an element of its value list), compiled for byte-level matching.</summary>
internal sealed class ValueTest
{
    public required TestKind Kind { get; init; }

    /// <summary>Human-readable pattern syntax, for explanations.</summary>
    public required string Display { get; init; }

    public byte[] Bytes { get; init; } = [];

    public byte[][] ByteSet { get; init; } = [];

    public ulong[] NumberSet { get; init; } = [];

    public bool HasNumberKey { get; init; }

    public ulong Low { get; init; }

    public ulong High { get; init; }

    public bool LowOpen { get; init; }

    public bool HighOpen { get; init; }

    public IpRange Ip { get; init; }

    public IgnoreCaseText? IgnoreCase { get; init; }

    public IgnoreCaseText[] IgnoreCaseSet { get; init; } = [];

    public WildcardText? Wildcard { get; init; }

    public WildcardText[] WildcardSet { get; init; } = [];

    /// <summary>
    /// Whether <paramref name="value"/> (whose bytes are <paramref name="text"/>: a string's unescaped content, or a
    /// number or literal as written) satisfies this test. Strings never satisfy number tests and vice versa, because
    /// event-ruler keeps the quotes of strings in the bytes it compares.
    /// </summary>
    public bool Matches(ref EventValue value, ReadOnlySpan<byte> text)
    {
        switch (Kind)
        {
            case TestKind.ExactString:
                return value.Kind == EventValueKind.String && text.SequenceEqual(Bytes);
            case TestKind.ExactLiteral:
                return value.Kind == EventValueKind.Literal && text.SequenceEqual(Bytes);
            case TestKind.ExactNumber:
                return value.Kind == EventValueKind.Number
                    && (text.SequenceEqual(Bytes) || (HasNumberKey && TryNumber(ref value, text) && value.NumberKey == Low));
            case TestKind.NumericRange:
                if (value.Kind != EventValueKind.Number || !TryNumber(ref value, text))
                {
                    return false;
                }

                var key = value.NumberKey;
                return (LowOpen ? key > Low : key >= Low) && (HighOpen ? key < High : key <= High);
            case TestKind.IpRange:
                return value.Kind == EventValueKind.String && TryIp(ref value, text) && Ip.Contains(value.IpLength, value.Ip);
            case TestKind.Prefix:
                return value.Kind == EventValueKind.String && text.StartsWith(Bytes);
            case TestKind.Suffix:
                return value.Kind == EventValueKind.String && text.EndsWith(Bytes);
            case TestKind.PrefixIgnoreCase:
                return value.Kind == EventValueKind.String && IgnoreCase!.MatchesPrefixOf(text);
            case TestKind.SuffixIgnoreCase:
                return value.Kind == EventValueKind.String && IgnoreCase!.MatchesSuffixOf(text);
            case TestKind.EqualsIgnoreCase:
                return value.Kind == EventValueKind.String && IgnoreCase!.MatchesWhole(text);
            case TestKind.Wildcard:
                return value.Kind == EventValueKind.String && Wildcard!.Matches(text);
            case TestKind.Exists:
                return true;
            case TestKind.AnythingButStrings:
                if (value.Kind != EventValueKind.String)
                {
                    return true;
                }

                foreach (var excluded in ByteSet)
                {
                    if (text.SequenceEqual(excluded))
                    {
                        return false;
                    }
                }

                return true;
            case TestKind.AnythingButNumbers:
                return value.Kind != EventValueKind.Number || !TryNumber(ref value, text)
                    || Array.IndexOf(NumberSet, value.NumberKey) < 0;
            case TestKind.AnythingButPrefix:
                if (value.Kind != EventValueKind.String)
                {
                    return true;
                }

                foreach (var excluded in ByteSet)
                {
                    if (text.StartsWith(excluded))
                    {
                        return false;
                    }
                }

                return true;
            case TestKind.AnythingButSuffix:
                if (value.Kind != EventValueKind.String)
                {
                    return true;
                }

                foreach (var excluded in ByteSet)
                {
                    if (text.EndsWith(excluded))
                    {
                        return false;
                    }
                }

                return true;
            case TestKind.AnythingButIgnoreCase:
                if (value.Kind != EventValueKind.String)
                {
                    return true;
                }

                foreach (var excluded in IgnoreCaseSet)
                {
                    if (excluded.MatchesWhole(text))
                    {
                        return false;
                    }
                }

                return true;
            case TestKind.AnythingButWildcard:
                if (value.Kind != EventValueKind.String)
                {
                    return true;
                }

                foreach (var excluded in WildcardSet)
                {
                    if (excluded.Matches(text))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static bool TryNumber(ref EventValue value, ReadOnlySpan<byte> text)
    {
        if (value.NumberState == 0)
        {
            value.NumberState = ComparableNumber.TryGetKey(text, out value.NumberKey) ? (sbyte)2 : (sbyte)1;
        }

        return value.NumberState == 2;
    }

    private static bool TryIp(ref EventValue value, ReadOnlySpan<byte> text)
    {
        if (value.IpLength < 0)
        {
            value.IpLength = (sbyte)IpAddressText.TryParse(text, out value.Ip);
        }

        return value.IpLength > 0;
    }
}
