using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Core.Patterns;

namespace Remediator.Cli.Template;

/// <summary>
/// One EventBridge pattern that matches exactly the events any of several rule patterns match: the patterns themselves
/// when there is one, else <c>{"$or": [...]}</c>. Before the <c>$or</c>, identical patterns are dropped and patterns
/// that differ only in one field's list of plain values (e.g. <c>detail.eventName</c>) are merged into one with the union
/// of that list: EventBridge ORs the values of a list, so the merge matches the same events and keeps the pattern small.
/// <para>
/// EventBridge's limits: a pattern may hold 2,048 characters by default (a quota that can be raised to the API's 4,096),
/// counted on the compact JSON CloudFormation sends; and every <c>$or</c> branch multiplies the combinations EventBridge
/// evaluates, so fewer branches are cheaper. <see cref="MaximumLength"/> is the default quota.
/// </para>
/// </summary>
public static class PatternUnion
{
    public const int MaximumLength = 2048;

    public static JsonObject Of(IEnumerable<JsonElement> patterns)
    {
        var distinct = new List<JsonObject>();
        foreach (var pattern in patterns)
        {
            var node = JsonNode.Parse(pattern.GetRawText()) as JsonObject
                ?? throw new ArgumentException("a rule's match pattern is not a JSON object");
            if (!distinct.Any(d => JsonNode.DeepEquals(d, node)))
            {
                distinct.Add(node);
            }
        }

        if (distinct.Count == 0)
        {
            throw new ArgumentException("no patterns to join");
        }

        MergeNeighbours(distinct);
        if (distinct.Count == 1)
        {
            return distinct[0];
        }

        var alternatives = new JsonArray();
        foreach (var pattern in distinct)
        {
            alternatives.Add((JsonNode)pattern);
        }

        var union = new JsonObject { ["$or"] = alternatives };
        // The project's own matcher must accept what EventBridge will be given.
        if (!EventPattern.TryParse(TemplateJson.Compact(union), out _, out var error))
        {
            throw new InvalidOperationException($"the joined pattern is invalid: {error}");
        }

        return union;
    }

    /// <summary>Merges pairs that differ in exactly one leaf list of plain values, until no pair does.</summary>
    private static void MergeNeighbours(List<JsonObject> patterns)
    {
        for (var merged = true; merged;)
        {
            merged = false;
            for (var i = 0; i < patterns.Count && !merged; i++)
            {
                for (var j = i + 1; j < patterns.Count && !merged; j++)
                {
                    if (TryMerge(patterns[i], patterns[j]) is { } union)
                    {
                        patterns[i] = union;
                        patterns.RemoveAt(j);
                        merged = true;
                    }
                }
            }
        }
    }

    private static JsonObject? TryMerge(JsonObject a, JsonObject b)
    {
        var leavesA = Leaves(a);
        var leavesB = Leaves(b);
        if (leavesA is null || leavesB is null || leavesA.Count != leavesB.Count)
        {
            return null;
        }

        string? differing = null;
        foreach (var (path, values) in leavesA)
        {
            if (!leavesB.TryGetValue(path, out var other))
            {
                return null;
            }

            if (!JsonNode.DeepEquals(values, other))
            {
                if (differing is not null || !AllPlain(values) || !AllPlain(other))
                {
                    return null;
                }

                differing = path;
            }
        }

        if (differing is null)
        {
            return null;
        }

        var result = (JsonObject)a.DeepClone();
        var target = Navigate(result, differing);
        foreach (var value in (JsonArray)leavesB[differing])
        {
            if (!target.Any(existing => JsonNode.DeepEquals(existing, value)))
            {
                target.Add(value?.DeepClone());
            }
        }

        return result;
    }

    /// <summary>Field path → its list of matchers; null when the pattern holds an <c>$or</c> or anything but objects and lists.</summary>
    private static Dictionary<string, JsonArray>? Leaves(JsonObject pattern)
    {
        var leaves = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        return Collect(pattern, string.Empty, leaves) ? leaves : null;
    }

    private static bool Collect(JsonObject node, string prefix, Dictionary<string, JsonArray> leaves)
    {
        foreach (var (name, value) in node)
        {
            var path = prefix.Length == 0 ? name : prefix + "\u0000" + name;
            switch (value)
            {
                case JsonObject child when name != "$or":
                    if (!Collect(child, path, leaves))
                    {
                        return false;
                    }

                    break;
                case JsonArray list when name != "$or":
                    leaves[path] = list;
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Strings, numbers and <c>{"prefix": "..."}</c>: values whose union in one list is plainly an OR.</summary>
    private static bool AllPlain(JsonArray values) =>
        values.All(v => v switch
        {
            JsonValue value => value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number,
            JsonObject { Count: 1 } matcher => matcher["prefix"] is JsonValue prefix && prefix.GetValueKind() == JsonValueKind.String,
            _ => false,
        });

    private static JsonArray Navigate(JsonObject root, string path)
    {
        JsonNode node = root;
        foreach (var name in path.Split('\u0000'))
        {
            node = node[name]!;
        }

        return (JsonArray)node;
    }
}
