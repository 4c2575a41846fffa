using System.Text.Json.Nodes;

namespace Remediator.Cli.Template;

/// <summary>
/// SAM's policy templates (<c>DynamoDBCrudPolicy: {TableName: !Ref T}</c>): each expands into the policy document SAM
/// writes into the function's generated role, from SAM's own definitions (Template/Data/sam-policy-templates.json).
/// </summary>
public static class SamPolicyTemplates
{
    private static readonly Lazy<JsonObject> Templates = new(Load);

    public static bool IsTemplate(string name) => Templates.Value.ContainsKey(name);

    public static int Count => Templates.Value.Count;

    /// <summary>
    /// The template's policy document with its parameters (<c>{"Ref": "TableName"}</c> inside the definition) replaced
    /// by the values given; null with <paramref name="problem"/> when a parameter is missing.
    /// </summary>
    public static JsonObject? Expand(string name, JsonObject? values, out string? problem)
    {
        problem = null;
        if (Templates.Value[name] is not JsonObject template || template["Definition"] is not JsonObject definition)
        {
            problem = $"'{name}' is not one of SAM's {Count} policy templates";
            return null;
        }

        var parameters = template["Parameters"] as JsonObject ?? [];
        var missing = parameters.Select(p => p.Key).Where(p => values?[p] is null).ToList();
        if (missing.Count > 0)
        {
            problem = $"policy template {name} is missing parameter(s) {string.Join(", ", missing)}";
            return null;
        }

        return (JsonObject)Substitute(definition, parameters, values ?? [])!;
    }

    private static JsonNode? Substitute(JsonNode? node, JsonObject parameters, JsonObject values)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } reference when reference["Ref"] is JsonValue r && r.TryGetValue<string>(out var name) && parameters.ContainsKey(name):
                return values[name]?.DeepClone();
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = Substitute(value, parameters, values);
                }

                return copy;
            case JsonArray list:
                return new JsonArray(list.Select(item => Substitute(item, parameters, values)).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private static JsonObject Load()
    {
        using var stream = typeof(SamPolicyTemplates).Assembly.GetManifestResourceStream("sam-policy-templates.json")
            ?? throw new InvalidOperationException("the SAM policy templates are not embedded in this build");
        return JsonNode.Parse(stream)?["Templates"] as JsonObject ?? [];
    }
}
