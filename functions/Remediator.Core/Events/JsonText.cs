using System.Text.Json;

namespace Remediator.Core.Events;

/// <summary>Tolerant readers for CloudTrail JSON, where any member may be missing, null, or of an unexpected type.</summary>
public static class JsonText
{
    /// <summary>The member as a string; numbers and booleans as their JSON text; null when absent, null or structured.</summary>
    public static string? String(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>The member, or an undefined element when absent. JSON null and the string "null" count as absent.</summary>
    public static JsonElement Member(JsonElement obj, string name)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            && value.ValueKind != JsonValueKind.Null
            && !(value.ValueKind == JsonValueKind.String && value.ValueEquals("null")))
        {
            return value;
        }

        return default;
    }

    /// <summary>
    /// The member found case-insensitively: CloudTrail lower-cases only the first letter of API member names
    /// (<c>sSESpecification</c>), and hand-made records often do not.
    /// </summary>
    public static JsonElement MemberIgnoreCase(JsonElement obj, string name)
    {
        var exact = Member(obj, name);
        if (exact.ValueKind != JsonValueKind.Undefined || obj.ValueKind != JsonValueKind.Object)
        {
            return exact;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return Member(obj, property.Name);
            }
        }

        return default;
    }
}
