using System.Text.Json;
using System.Text.Json.Nodes;

namespace Remediator.Detectors.EventBus;

/// <summary>
/// An event bus resource policy as a mutable document, so that offending statements can be cut out of it.
/// <c>Statement</c> may be one object or a list; both are read, and a rewritten policy always holds a list.
/// </summary>
internal sealed class BusPolicy
{
    private BusPolicy(JsonObject document, IReadOnlyList<JsonObject> statements)
    {
        Document = document;
        Statements = statements;
    }

    public JsonObject Document { get; }

    public IReadOnlyList<JsonObject> Statements { get; }

    /// <summary>Parses a policy given as JSON text or as a JSON object; null when it is neither (the caller reports that).</summary>
    public static BusPolicy? From(JsonElement policy)
    {
        try
        {
            var node = policy.ValueKind switch
            {
                JsonValueKind.String => JsonNode.Parse(policy.GetString()!),
                JsonValueKind.Object => JsonNode.Parse(policy.GetRawText()),
                _ => null,
            };
            return From(node);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static BusPolicy? From(string policyText)
    {
        try
        {
            return From(JsonNode.Parse(policyText));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A policy of one statement, as the simple form of PutPermission creates it.</summary>
    public static BusPolicy Single(JsonObject statement) =>
        new(new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) }, [statement]);

    private static BusPolicy? From(JsonNode? node)
    {
        if (node is not JsonObject document)
        {
            return null;
        }

        var statements = new List<JsonObject>();
        switch (FindIgnoreCase(document, "Statement"))
        {
            case JsonObject one:
                statements.Add(one);
                break;
            case JsonArray many:
                statements.AddRange(many.OfType<JsonObject>());
                break;
            default:
                break;
        }

        return new BusPolicy(document, statements);
    }

    /// <summary>The policy without the given statements, as compact JSON text; Statement becomes a list.</summary>
    public string Without(IReadOnlyCollection<JsonObject> removed)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in Document)
        {
            if (!string.Equals(name, "Statement", StringComparison.OrdinalIgnoreCase))
            {
                copy[name] = value?.DeepClone();
            }
        }

        copy["Statement"] = new JsonArray(Statements.Where(s => !removed.Contains(s)).Select(s => (JsonNode)s.DeepClone()).ToArray());
        return copy.ToJsonString();
    }

    public string ToJsonText() => Document.ToJsonString();

    public static JsonNode? FindIgnoreCase(JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
