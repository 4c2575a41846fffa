using System.Text.Json.Nodes;
using Remediator.Core;
using Remediator.Core.Rules;

namespace Remediator.Cli.Template;

/// <summary>What <see cref="TemplateSynthesizer.Apply"/> produced.</summary>
/// <param name="Text">The template with every concern's pattern written, in <see cref="TemplateJson"/>'s form.</param>
/// <param name="Changed">Concerns whose EventBridge rule pattern differed from the rules' union (in order of the template).</param>
/// <param name="Problems">Why the template cannot be synthesised (no EventBridge rule for a concern, a pattern too large, ...).</param>
public sealed record SynthResult(string Text, IReadOnlyList<string> Changed, IReadOnlyList<string> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Writes each concern's EventBridge pattern into the template: the union (<see cref="PatternUnion"/>) of the
/// <c>match</c> patterns of that concern's rules, into the <c>AWS::Events::Rule</c> marked
/// <c>"Metadata": {"Remediator": {"Concern": "..."}}</c>. Everything else in the template is kept as it is.
/// </summary>
public static class TemplateSynthesizer
{
    public const string MetadataKey = "Remediator";
    public const string ConcernKey = "Concern";
    public const string EventsRuleType = "AWS::Events::Rule";

    public static SynthResult Apply(JsonObject template, IReadOnlyList<Rule> rules)
    {
        var problems = new List<string>();
        var changed = new List<string>();
        var marked = MarkedRules(template, problems);

        var patterns = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var group in rules.GroupBy(r => r.Concern, StringComparer.Ordinal))
        {
            var union = PatternUnion.Of(group.Select(r => r.Match));
            var length = TemplateJson.Compact(union).Length;
            if (length > PatternUnion.MaximumLength)
            {
                problems.Add($"concern '{group.Key}': the joined pattern of {group.Count()} rule(s) has {length} characters, above EventBridge's default quota of {PatternUnion.MaximumLength}; split the concern's rules or raise the quota (API maximum 4096)");
            }

            patterns[group.Key] = union;
            if (!marked.Any(m => m.Concern == group.Key))
            {
                problems.Add($"concern '{group.Key}' has rules but the template has no {EventsRuleType} with \"Metadata\": {{\"{MetadataKey}\": {{\"{ConcernKey}\": \"{group.Key}\"}}}}");
            }
        }

        foreach (var (logicalId, concern, resource) in marked)
        {
            if (!patterns.TryGetValue(concern, out var pattern))
            {
                problems.Add($"{logicalId}: no rule of concern '{concern}' is loaded, so its EventBridge rule would have no pattern");
                continue;
            }

            var properties = resource["Properties"] as JsonObject;
            if (properties is null)
            {
                properties = [];
                resource["Properties"] = properties;
            }

            if (!JsonNode.DeepEquals(properties["EventPattern"], pattern))
            {
                changed.Add(concern);
                properties["EventPattern"] = pattern.DeepClone();
            }
        }

        return new SynthResult(TemplateJson.Write(template), changed, problems);
    }

    private static List<(string LogicalId, string Concern, JsonObject Resource)> MarkedRules(JsonObject template, List<string> problems)
    {
        var marked = new List<(string, string, JsonObject)>();
        if (template["Resources"] is not JsonObject resources)
        {
            problems.Add("the template has no Resources object");
            return marked;
        }

        foreach (var (logicalId, node) in resources)
        {
            if (node is not JsonObject resource || resource["Metadata"]?[MetadataKey] is not JsonObject metadata)
            {
                continue;
            }

            var concern = TemplateJson.Text(metadata[ConcernKey]);
            var type = TemplateJson.Text(resource["Type"]);
            if (type != EventsRuleType)
            {
                problems.Add($"{logicalId}: carries the {MetadataKey} marker but is a {type}, not an {EventsRuleType}");
            }
            else if (concern is null || !Concerns.IsKnown(concern))
            {
                problems.Add($"{logicalId}: unknown concern '{concern}' (known: {string.Join(", ", Concerns.All)})");
            }
            else
            {
                marked.Add((logicalId, concern, resource));
            }
        }

        return marked;
    }
}
