using System.Globalization;

namespace Remediator.Core.Patterns;

/// <summary>
/// Numbers as event-ruler compares them: a JSON number takes part in numeric matching only when a double holds it
/// exactly (its shortest round-trip decimal equals the literal), e.g. 5, 5.0, 5e0, 0.1; not 0.30000000000000001,
/// 9007199254740993 or 1e400. Such numbers get an order-preserving 64-bit key (IEEE bits with the sign folded).
/// </summary>
internal static class ComparableNumber
{
    public static bool TryGetKey(ReadOnlySpan<byte> literal, out ulong key)
    {
        key = 0;
        if (literal.Length == 0 || literal.Length > 400
            || !double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value))
        {
            return false;
        }

        Span<byte> shortest = stackalloc byte[40];
        if (!value.TryFormat(shortest, out var written, "R", CultureInfo.InvariantCulture))
        {
            return false;
        }

        // Java (event-ruler's BigDecimal.valueOf) renders the smallest subnormal as 4.9E-324, where .NET's shortest
        // round trip is 5E-324: 4.9e-324 is a comparable number there, 5e-324 is not.
        if (Math.Abs(value) == double.Epsilon)
        {
            written = CopyTo(shortest, value < 0 ? "-4.9E-324"u8 : "4.9E-324"u8);
        }

        if (!SameDecimalValue(literal, shortest[..written]))
        {
            return false;
        }

        // event-ruler reads the literal as a BigDecimal, which has no negative zero: -0 and 0 are the same number.
        key = KeyOf(value == 0 ? 0.0 : value);
        return true;
    }

    private static int CopyTo(Span<byte> into, ReadOnlySpan<byte> text)
    {
        text.CopyTo(into);
        return text.Length;
    }

    public static ulong KeyOf(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var mask = (bits >> 63) | long.MinValue;
        return (ulong)(bits ^ mask);
    }

    /// <summary>Compares two decimal literals by value (no rounding): sign, significant digits and decimal exponent.</summary>
    private static bool SameDecimalValue(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Span<byte> digitsA = stackalloc byte[a.Length];
        Span<byte> digitsB = stackalloc byte[b.Length];
        if (!Normalise(a, digitsA, out var lenA, out var expA, out var negA)
            || !Normalise(b, digitsB, out var lenB, out var expB, out var negB))
        {
            return false;
        }

        if (lenA == 0 || lenB == 0)
        {
            return lenA == lenB;
        }

        return negA == negB && expA == expB && digitsA[..lenA].SequenceEqual(digitsB[..lenB]);
    }

    private static bool Normalise(ReadOnlySpan<byte> text, Span<byte> digits, out int length, out long exponent, out bool negative)
    {
        length = 0;
        exponent = 0;
        negative = false;
        var i = 0;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }

        long pointPosition = -1;
        long digitCount = 0;
        long firstSignificant = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                pointPosition = digitCount;
                continue;
            }

            if (c is (byte)'e' or (byte)'E')
            {
                break;
            }

            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            if (firstSignificant < 0 && c != '0')
            {
                firstSignificant = digitCount;
            }

            if (firstSignificant >= 0)
            {
                digits[length++] = c;
            }

            digitCount++;
        }

        long explicitExponent = 0;
        if (i < text.Length)
        {
            i++;
            var expNegative = false;
            if (i < text.Length && (text[i] == '-' || text[i] == '+'))
            {
                expNegative = text[i] == '-';
                i++;
            }

            for (; i < text.Length; i++)
            {
                explicitExponent = Math.Min((explicitExponent * 10) + (text[i] - '0'), 100_000);
            }

            explicitExponent = expNegative ? -explicitExponent : explicitExponent;
        }

        while (length > 0 && digits[length - 1] == '0')
        {
            length--;
        }

        if (pointPosition < 0)
        {
            pointPosition = digitCount;
        }

        // value = 0.d1d2d3... * 10^exponent
        exponent = length == 0 ? 0 : pointPosition - firstSignificant + explicitExponent;
        return true;
    }
}
