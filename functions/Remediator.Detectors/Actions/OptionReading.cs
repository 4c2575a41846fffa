using System.Globalization;

namespace Remediator.Detectors.Actions;

/// <summary>
/// Reads bound option values against their <see cref="OptionSpec"/>: a missing value takes the spec's default, a bad one
/// throws <see cref="ArgumentException"/> naming the option. The rule loader checks kinds and ranges too, but
/// BindOptions is also called directly (tests, CLI), so the options records never hold an unchecked value.
/// Shared by the detectors and actions of this project; lives here because Actions is the cross-cutting folder.
/// </summary>
internal static class OptionReading
{
    public static long Integer(OptionValues values, OptionSpec spec)
    {
        var value = values.GetInteger(spec.Name) ?? spec.Default as long?
            ?? throw new ArgumentException($"Option '{spec.Name}' is required: {spec.Description}");
        if ((spec.Minimum is { } min && value < min) || (spec.Maximum is { } max && value > max))
        {
            throw new ArgumentException(
                $"Option '{spec.Name}' must be between {spec.Minimum} and {spec.Maximum}; got {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    public static bool Boolean(OptionValues values, OptionSpec spec) =>
        values.GetBoolean(spec.Name) ?? spec.Default as bool?
        ?? throw new ArgumentException($"Option '{spec.Name}' is required: {spec.Description}");

    /// <summary>The string, or the default; checked against <see cref="OptionSpec.AllowedValues"/>. Null only when optional and unset.</summary>
    public static string? String(OptionValues values, OptionSpec spec)
    {
        var value = values.GetString(spec.Name) ?? spec.Default as string;
        if (value is null)
        {
            return spec.Required ? throw new ArgumentException($"Option '{spec.Name}' is required: {spec.Description}") : null;
        }

        if (spec.AllowedValues is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Option '{spec.Name}' must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}; got '{value}'.");
        }

        return value;
    }

    public static IReadOnlyList<string> StringList(OptionValues values, OptionSpec spec) =>
        values.Has(spec.Name) ? values.GetStringList(spec.Name) : spec.Default as IReadOnlyList<string> ?? [];

    public static IReadOnlyDictionary<string, long> IntegerMap(OptionValues values, OptionSpec spec)
    {
        var map = values.Has(spec.Name)
            ? values.GetIntegerMap(spec.Name)
            : spec.Default as IReadOnlyDictionary<string, long> ?? new Dictionary<string, long>();
        foreach (var (key, value) in map)
        {
            if ((spec.Minimum is { } min && value < min) || (spec.Maximum is { } max && value > max))
            {
                throw new ArgumentException(
                    $"Option '{spec.Name}' entry '{key}' must be between {spec.Minimum} and {spec.Maximum}; got {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        return map;
    }
}
