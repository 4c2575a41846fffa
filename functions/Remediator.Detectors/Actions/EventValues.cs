using System.Globalization;
using System.Text.Json;

namespace Remediator.Detectors.Actions;

/// <summary>
/// Tolerant typed reads on top of <see cref="JsonText"/> for the detectors: numbers and booleans may arrive as JSON
/// strings in hand-made records ("10", "false"), and any member may be missing or of a wrong type.
/// </summary>
internal static class EventValues
{
    /// <summary>A whole number, from a JSON number or a numeric string; null otherwise. Case-insensitive member name.</summary>
    public static long? Integer(JsonElement obj, string name)
    {
        var member = JsonText.MemberIgnoreCase(obj, name);
        var text = member.ValueKind switch
        {
            JsonValueKind.Number => member.GetRawText(),
            JsonValueKind.String => member.GetString(),
            _ => null,
        };
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>A boolean, from JSON true/false or the strings "true"/"false"; null otherwise.</summary>
    public static bool? Boolean(JsonElement obj, string name)
    {
        var member = JsonText.MemberIgnoreCase(obj, name);
        return member.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(member.GetString(), out var b) => b,
            _ => null,
        };
    }

    /// <summary>A non-empty string member (numbers as their text), found case-insensitively; null otherwise.</summary>
    public static string? String(JsonElement obj, string name)
    {
        var member = JsonText.MemberIgnoreCase(obj, name);
        var text = member.ValueKind switch
        {
            JsonValueKind.String => member.GetString(),
            JsonValueKind.Number => member.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>Whether the member is present at all (even null): "the caller sent this key".</summary>
    public static bool HasMember(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
