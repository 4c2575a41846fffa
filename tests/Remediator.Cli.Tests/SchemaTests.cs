using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Remediator.Core.Rules;
using Remediator.Composition;
using Remediator.Testing;
using YamlDotNet.RepresentationModel;

namespace Remediator.Cli.Tests;

public sealed class SchemaTests
{
    private static readonly string CheckedIn = RepositoryPaths.InRoot("rules", "schema", "rules.schema.json");

    [Fact]
    public void The_checked_in_schema_is_what_the_registry_generates()
    {
        var generated = RuleSchema.Generate(BuiltInElements.CreateRegistry());

        Assert.True(
            generated == File.ReadAllText(CheckedIn),
            "rules/schema/rules.schema.json has drifted from the registry: run `remediator schema --out rules/schema/rules.schema.json`.");
    }

    [Fact]
    public async Task The_schema_command_prints_the_same_schema()
    {
        var run = await CliRun.RunAsync("schema");

        Assert.Equal(ExitCodes.Clean, run.ExitCode);
        Assert.Equal(File.ReadAllText(CheckedIn), run.Stdout);
    }

    [Fact]
    public void Every_shipped_rule_validates_against_the_schema_and_a_broken_one_does_not()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(CheckedIn));
        var files = Directory.GetFiles(RepositoryPaths.Rules, "*.yaml");
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            var rule = YamlToJson(File.ReadAllText(file));
            var result = schema.Evaluate(ToElement(rule), new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{file} does not validate against the schema");
        }

        var broken = YamlToJson(File.ReadAllText(files[0]));
        broken!["detect"] = new JsonObject { ["no-such-detector"] = new JsonObject() };
        Assert.False(schema.Evaluate(ToElement(broken)).IsValid);
    }

    private static JsonElement ToElement(JsonNode? node) => JsonDocument.Parse(node!.ToJsonString()).RootElement;

    /// <summary>Editors see YAML through the schema as JSON; plain scalars that look like numbers or booleans become them.</summary>
    private static JsonNode? YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when s.Value is "true" or "false" => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when s.Value is "null" or "~" or "" => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when long.TryParse(s.Value, out var n) => JsonValue.Create(n),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new JsonException($"unexpected YAML node {node.NodeType}"),
    };
}
