using Json.Schema;

namespace Remediator.Core.Tests.Rules;

/// <summary>The shipped rules/*.yaml (copied next to the tests by the csproj).</summary>
public sealed class DefaultRulesTests
{
    private static readonly string RulesDirectory = Path.Combine(AppContext.BaseDirectory, "rules");

    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(RulesDirectory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void There_is_a_rule_file_for_every_concern()
    {
        var set = Load();

        Assert.True(set.IsValid, string.Join("\n", set.Errors));
        Assert.Equal(10, set.Rules.Count);
        Assert.Equal(Concerns.All.Order(), set.Rules.Select(r => r.Concern).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_file_starts_with_the_schema_modeline_and_holds_one_rule_named_like_the_file(string file)
    {
        var path = Path.Combine(RulesDirectory, file);
        var lines = File.ReadAllLines(path);

        Assert.Equal("# yaml-language-server: $schema=./schema/rules.schema.json", lines[0]);
        var errors = new List<RuleError>();
        var document = Assert.IsType<YamlMapping>(Assert.Single(YamlTreeReader.ReadDocuments(File.ReadAllText(path), file, errors)));
        Assert.Empty(errors);
        Assert.Equal(
            ["id", "description", "concern", "severity", "mode", "match", "detect", "exempt", "remediate"],
            document.Entries.Select(e => e.Key.Value));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), ((YamlScalar)document["id"]!).Value);
    }

    [Fact]
    public void Every_default_rule_is_dry_run_and_ignores_failed_calls_in_its_pattern()
    {
        foreach (var rule in Load().Rules)
        {
            Assert.Equal(RuleMode.DryRun, rule.Mode);
            var errorCode = rule.Match.GetProperty("detail").GetProperty("errorCode");
            Assert.Equal("""[{"exists":false}]""", errorCode.GetRawText());
            Assert.Equal("AWS API Call via CloudTrail", rule.Match.GetProperty("detail-type")[0].GetString());
        }
    }

    [Fact]
    public void Iam_rules_say_that_iam_events_arrive_only_in_us_east_1()
    {
        var iamRules = Load().Rules.Where(r => r.Concern == Concerns.IamBroadPermissions).ToList();

        Assert.Equal(6, iamRules.Count);
        Assert.All(iamRules, r => Assert.Contains("us-east-1", r.Description, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_file_validates_against_the_schema_generated_from_the_registry(string file)
    {
        var schema = JsonSchema.FromText(RuleSchema.Generate(StandInRegistry.Create()));
        var errors = new List<RuleError>();
        var document = Assert.Single(YamlTreeReader.ReadDocuments(File.ReadAllText(Path.Combine(RulesDirectory, file)), file, errors));
        var json = YamlJson.ToJson(document, "", errors)!.Value;

        var result = schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, SchemaErrors(result));
    }

    internal static string SchemaErrors(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}")));

    private static RuleSet Load() =>
        new RuleLoader(StandInRegistry.Create(), new FakePatternValidator()).LoadPaths([RulesDirectory]);

    internal static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
