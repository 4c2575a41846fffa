using System.Globalization;
using System.Text.Json;
using Remediator.Core.Events;

namespace Remediator.Core.Engine;

/// <summary>Reading exemption tags: from the resource (through the port) or, failing that, from the creating call itself.</summary>
public static class ResourceTags
{
    /// <summary>
    /// Tags the creating call carried: IAM and DynamoDB send a list of <c>{key, value}</c>, Lambda and API Gateway a map
    /// (NOTES.md §4). Lets an exemption tag set at creation work offline and before the tag API is consistent.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FromRequest(CloudTrailEvent cloudTrailEvent)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var tags = JsonText.MemberIgnoreCase(cloudTrailEvent.RequestParameters, "tags");
        if (tags.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tags.EnumerateArray())
            {
                var key = JsonText.String(tag, "key") ?? JsonText.String(tag, "Key");
                if (key is not null)
                {
                    result[key] = JsonText.String(tag, "value") ?? JsonText.String(tag, "Value") ?? string.Empty;
                }
            }
        }
        else if (tags.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in tags.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return result;
    }

    /// <summary>
    /// An exemption tag exempts unless its value is a date (ISO 8601) that has passed: then the exemption has lapsed.
    /// Any other value (empty, "true", a ticket number) exempts without end.
    /// </summary>
    public static bool ExemptionHolds(string value, DateTimeOffset now, out string reason)
    {
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry)
            && value.Length >= 8 && char.IsAsciiDigit(value[0]))
        {
            reason = expiry >= now ? $"exempt until {value}" : $"exemption expired on {value}";
            return expiry >= now;
        }

        reason = "exempt by tag";
        return true;
    }
}
