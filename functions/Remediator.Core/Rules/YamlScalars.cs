using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediator.Core.Rules;

/// <summary>
/// Typing of plain YAML scalars by the YAML 1.2 core schema, so that <c>exists: false</c> is a boolean,
/// <c>0</c> a number and <c>"5"</c> (quoted) a string, which is what EventBridge sees in the JSON pattern.
/// </summary>
internal static partial class YamlScalars
{
    public static YamlScalarType Resolve(string plain)
    {
        if (plain is "" or "~" or "null" or "Null" or "NULL")
        {
            return YamlScalarType.Null;
        }

        if (plain is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return YamlScalarType.Boolean;
        }

        if (IntegerPattern().IsMatch(plain))
        {
            return YamlScalarType.Integer;
        }

        return FloatPattern().IsMatch(plain) ? YamlScalarType.Float : YamlScalarType.String;
    }

    public static bool ToBoolean(string plain) => plain[0] is 't' or 'T';

    /// <summary>The integer's value; false when it does not fit in 64 bits.</summary>
    public static bool TryToInteger(string plain, out long value)
    {
        if (plain.StartsWith("0x", StringComparison.Ordinal))
        {
            return long.TryParse(plain.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value >= 0;
        }

        if (plain.StartsWith("0o", StringComparison.Ordinal))
        {
            value = 0;
            foreach (var digit in plain.AsSpan(2))
            {
                if (value > (long.MaxValue >> 3))
                {
                    return false;
                }

                value = (value << 3) + (digit - '0');
            }

            return true;
        }

        return long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The float's value; false for <c>.inf</c> and <c>.nan</c>, which JSON cannot represent.</summary>
    public static bool TryToFiniteDouble(string plain, out double value) =>
        double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    [GeneratedRegex("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
