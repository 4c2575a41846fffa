using System.Text.Json.Nodes;

namespace Remediator.Cli.Template;

/// <summary>
/// <c>Fn::ForEach</c> (AWS::LanguageExtensions) under Resources: <c>"Fn::ForEach::Name": [Id, collection, {"Key${Id}": body}]</c>
/// becomes one resource per item, with <c>${Id}</c> and <c>&amp;{Id}</c> (the item without non-alphanumerics) replaced in
/// the key and the body, and <c>{"Ref": Id}</c> replaced by the item, as CloudFormation does. A collection that does not
/// resolve to a list of strings here is reported as not judged.
/// </summary>
internal static class ForEachExpander
{
    public const string Prefix = "Fn::ForEach::";

    /// <param name="origins">Filled with expanded logical id → the Fn::ForEach key it came from (for its line).</param>
    public static JsonObject Expand(JsonObject resources, TemplateContext context, List<NotJudged> notJudged, Dictionary<string, string> origins, int depth = 0)
    {
        var expanded = new JsonObject();
        foreach (var (key, value) in resources)
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                expanded[key] = value?.DeepClone();
                continue;
            }

            if (depth > 5 || value is not JsonArray { Count: 3 } loop || TemplateJson.Text(loop[0]) is not { } identifier || loop[2] is not JsonObject outputs)
            {
                notJudged.Add(new NotJudged(key, "Fn::ForEach", "not expanded: expected [Identifier, Collection, {OutputKey: Resource}]"));
                continue;
            }

            var items = context.Resolve(loop[1]) is JsonArray list ? list.Select(TemplateJson.Text).ToList() : null;
            if (items is null || items.Any(i => i is null))
            {
                notJudged.Add(new NotJudged(key, "Fn::ForEach", "not expanded: its collection does not resolve to a list of strings here (give it with --parameter)"));
                continue;
            }

            var produced = new JsonObject();
            foreach (var item in items)
            {
                foreach (var (outputKey, body) in outputs)
                {
                    produced[Replace(outputKey, identifier, item!)] = Substitute(body, identifier, item!);
                }
            }

            foreach (var (name, resource) in Expand(produced, context, notJudged, origins, depth + 1))
            {
                expanded[name] = resource?.DeepClone();
                origins.TryAdd(name, key);
            }
        }

        return expanded;
    }

    private static string Replace(string text, string identifier, string item) =>
        text.Replace("${" + identifier + "}", item, StringComparison.Ordinal)
            .Replace("&{" + identifier + "}", new string(item.Where(char.IsAsciiLetterOrDigit).ToArray()), StringComparison.Ordinal);

    private static JsonNode? Substitute(JsonNode? node, string identifier, string item)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } reference when TemplateJson.Text(reference["Ref"]) == identifier:
                return JsonValue.Create(item);
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[Replace(key, identifier, item)] = Substitute(value, identifier, item);
                }

                return copy;
            case JsonArray list:
                return new JsonArray(list.Select(i => Substitute(i, identifier, item)).ToArray());
            case JsonValue value when TemplateJson.Text(value) is { } text:
                return JsonValue.Create(Replace(text, identifier, item));
            default:
                return node?.DeepClone();
        }
    }
}
