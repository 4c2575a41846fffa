namespace Remediator.Core.Patterns;

/// <summary>
/// IP address literals as event-ruler reads them (a regex gate, then Java's InetAddress literal parser): dotted IPv4
/// with decimal parts up to 255 (leading zeros allowed, at most 15 characters); IPv6 made of hex groups and colons
/// only (no embedded IPv4, no zone, no brackets; a group may have any number of leading zeros but must fit 16 bits).
/// An IPv4-mapped IPv6 address (::ffff:a.b.c.d written in hex) becomes the IPv4 address, as in Java.
/// </summary>
internal static class IpAddressText
{
    /// <summary>Parses <paramref name="text"/>; returns 4 or 16 (the address length in bytes) or 0 when it is not an address.</summary>
    public static int TryParse(ReadOnlySpan<byte> text, out UInt128 address)
    {
        address = 0;
        if (LooksLikeIPv4(text))
        {
            return TryParseIPv4(text, out address) ? 4 : 0;
        }

        if (LooksLikeIPv6(text))
        {
            return TryParseIPv6(text, out address);
        }

        return 0;
    }

    public static int TryParse(string text, out UInt128 address)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return TryParse(bytes, out address);
    }

    private static bool LooksLikeIPv4(ReadOnlySpan<byte> text)
    {
        var dots = 0;
        var digitsInPart = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digitsInPart == 0)
                {
                    return false;
                }

                dots++;
                digitsInPart = 0;
            }
            else if (c is >= (byte)'0' and <= (byte)'9')
            {
                digitsInPart++;
            }
            else
            {
                return false;
            }
        }

        return dots == 3 && digitsInPart > 0;
    }

    private static bool LooksLikeIPv6(ReadOnlySpan<byte> text)
    {
        var colon = false;
        foreach (var c in text)
        {
            if (c == ':')
            {
                colon = true;
            }
            else if (HexValue(c) < 0)
            {
                return false;
            }
        }

        return colon;
    }

    private static bool TryParseIPv4(ReadOnlySpan<byte> text, out UInt128 address)
    {
        address = 0;
        if (text.Length > 15)
        {
            return false;
        }

        uint result = 0;
        uint part = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                result = (result << 8) | part;
                part = 0;
                continue;
            }

            part = (part * 10) + (uint)(c - '0');
            if (part > 255)
            {
                return false;
            }
        }

        address = (result << 8) | part;
        return true;
    }

    // Mirrors the shape of Java's IPv6 literal rules: '::' at most once, no single leading or trailing ':',
    // exactly 8 groups unless '::' fills the gap (and '::' must stand for at least one group).
    private static int TryParseIPv6(ReadOnlySpan<byte> text, out UInt128 address)
    {
        address = 0;
        if (text.Length < 2)
        {
            return 0;
        }

        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var gapAt = -1;
        var i = 0;
        if (text[0] == ':')
        {
            if (text[1] != ':')
            {
                return 0;
            }

            i = 1;
        }

        var sawDigit = false;
        uint value = 0;
        while (i < text.Length)
        {
            var c = text[i++];
            var digit = HexValue(c);
            if (digit >= 0)
            {
                value = (value << 4) | (uint)digit;
                if (value > 0xffff)
                {
                    return 0;
                }

                sawDigit = true;
                continue;
            }

            // c == ':'
            if (!sawDigit)
            {
                if (gapAt >= 0)
                {
                    return 0;
                }

                gapAt = count;
                continue;
            }

            if (i == text.Length || count == 8)
            {
                return 0;
            }

            groups[count++] = (ushort)value;
            sawDigit = false;
            value = 0;
        }

        if (sawDigit)
        {
            if (count == 8)
            {
                return 0;
            }

            groups[count++] = (ushort)value;
        }

        if (gapAt >= 0)
        {
            if (count == 8)
            {
                return 0;
            }

            var tail = count - gapAt;
            for (var k = 0; k < tail; k++)
            {
                groups[7 - k] = groups[count - 1 - k];
            }

            for (var k = gapAt; k < 8 - tail; k++)
            {
                groups[k] = 0;
            }

            count = 8;
        }

        if (count != 8)
        {
            return 0;
        }

        UInt128 result = 0;
        foreach (var g in groups)
        {
            result = (result << 16) | g;
        }

        if (result >> 32 == 0xffff)
        {
            address = result & 0xffff_ffff;
            return 4;
        }

        address = result;
        return 16;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}

/// <summary>
/// A closed range of addresses of one length (4 or 16 bytes). event-ruler walks the address as hex digits and reports a
/// range match as soon as the range's digits are consumed, so a 16-byte address whose first 4 bytes fall in an IPv4
/// range matches it, while a 4-byte address never matches an IPv6 range. We keep that behaviour.
/// </summary>
internal readonly record struct IpRange(int Length, UInt128 Low, UInt128 High)
{
    public bool Contains(int length, UInt128 address)
    {
        if (length < Length)
        {
            return false;
        }

        var leading = length == Length ? address : address >> ((length - Length) * 8);
        return leading >= Low && leading <= High;
    }

    public static IpRange Single(int length, UInt128 address) => new(length, address, address);
}
