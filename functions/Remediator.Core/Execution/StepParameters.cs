using System.Globalization;
using System.Text.Json.Nodes;

namespace Remediator.Core.Execution;

/// <summary>
/// Tolerant reads of a step's <see cref="Audit.AuditAction.Parameters"/>, which the planners write with the API's own
/// member names (and sometimes numbers as text, as API Gateway patch values are).
/// </summary>
public static class StepParameters
{
    public static string? String(JsonObject parameters, string name) =>
        parameters.TryGetPropertyValue(name, out var node) && node is JsonValue value
            ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString()
            : null;

    public static int? Int(JsonObject parameters, string name)
    {
        if (!parameters.TryGetPropertyValue(name, out var node) || node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<int>(out var number))
        {
            return number;
        }

        if (value.TryGetValue<long>(out var wide) && wide is >= int.MinValue and <= int.MaxValue)
        {
            return (int)wide;
        }

        return value.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    public static bool Bool(JsonObject parameters, string name) =>
        parameters.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    /// <summary>
    /// Tags as the step carries them: a list of <c>{"Key","Value"}</c> (IAM, EventBridge, DynamoDB) or a map (Lambda,
    /// API Gateway), under <paramref name="name"/> in any letter case (<c>Tags</c>, <c>tags</c>).
    /// </summary>
    public static Dictionary<string, string> Tags(JsonObject parameters, string name = "Tags")
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        switch (node)
        {
            case JsonArray list:
                foreach (var item in list.OfType<JsonObject>())
                {
                    var key = String(item, "Key") ?? String(item, "key");
                    if (key is not null)
                    {
                        tags[key] = String(item, "Value") ?? String(item, "value") ?? string.Empty;
                    }
                }

                break;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    tags[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty;
                }

                break;
        }

        return tags;
    }

    /// <summary>Tag keys as the untag calls take them (<c>TagKeys</c> or <c>tagKeys</c>).</summary>
    public static List<string> Keys(JsonObject parameters, string name = "TagKeys")
    {
        var node = parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        return node is JsonArray list
            ? list.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var text) ? text : null).OfType<string>().ToList()
            : [];
    }
}
