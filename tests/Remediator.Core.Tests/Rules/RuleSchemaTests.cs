using Json.Schema;

namespace Remediator.Core.Tests.Rules;

public sealed class RuleSchemaTests
{
    private static readonly string Schema = RuleSchema.Generate(TestRegistry.Create());

    private static JsonElement Defs => DefaultRulesTests.Parse(Schema).GetProperty("$defs");

    [Fact]
    public void Generation_is_deterministic()
    {
        var again = RuleSchema.Generate(TestRegistry.Create());

        Assert.Equal(Schema, again);
        Assert.DoesNotContain("\r", Schema, StringComparison.Ordinal);
        Assert.EndsWith("}\n", Schema, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_is_valid_json_schema_draft_2020_12()
    {
        var schema = DefaultRulesTests.Parse(Schema);

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        var result = MetaSchemas.Draft202012.Evaluate(schema, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, DefaultRulesTests.SchemaErrors(result));
    }

    [Fact]
    public void Top_level_enums_come_from_the_code()
    {
        var properties = Defs.GetProperty("rule").GetProperty("properties");

        Assert.Equal(Concerns.All, Strings(properties.GetProperty("concern").GetProperty("enum")));
        Assert.Equal(SeverityNames.All, Strings(properties.GetProperty("severity").GetProperty("enum")));
        Assert.Equal(["enforce", "dry-run", "approve"], Strings(properties.GetProperty("mode").GetProperty("enum")));
        Assert.All(properties.EnumerateObject(), p => Assert.True(p.Value.TryGetProperty("description", out _) || p.Value.TryGetProperty("$ref", out _), p.Name));
    }

    [Fact]
    public void Detect_has_one_property_per_detector_with_its_options()
    {
        var detect = Defs.GetProperty("detect");
        Assert.Equal(1, detect.GetProperty("minProperties").GetInt32());
        Assert.Equal(1, detect.GetProperty("maxProperties").GetInt32());
        Assert.False(detect.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["fake-iam", "fake-timeout"], detect.GetProperty("properties").EnumerateObject().Select(p => p.Name));

        var iam = detect.GetProperty("properties").GetProperty("fake-iam");
        Assert.False(iam.GetProperty("additionalProperties").GetBoolean());
        var options = iam.GetProperty("properties");
        Assert.Equal(["checks", "organizationId", "speed", "maxAge", "strict", "overrides"], options.EnumerateObject().Select(p => p.Name));
        Assert.Equal("array", options.GetProperty("checks").GetProperty("type").GetString());
        Assert.Equal(["admin-wildcard", "service-wildcard"], Strings(options.GetProperty("checks").GetProperty("items").GetProperty("enum")));
        Assert.Equal(["admin-wildcard"], Strings(options.GetProperty("checks").GetProperty("default")));
        Assert.Equal("string", options.GetProperty("organizationId").GetProperty("type").GetString());
        Assert.Equal(["fast", "slow"], Strings(options.GetProperty("speed").GetProperty("enum")));
        Assert.Equal("integer", options.GetProperty("maxAge").GetProperty("type").GetString());
        Assert.Equal(1, options.GetProperty("maxAge").GetProperty("minimum").GetInt64());
        Assert.Equal(100, options.GetProperty("maxAge").GetProperty("maximum").GetInt64());
        Assert.Equal(10, options.GetProperty("maxAge").GetProperty("default").GetInt64());
        Assert.Equal("boolean", options.GetProperty("strict").GetProperty("type").GetString());
        Assert.False(options.GetProperty("strict").GetProperty("default").GetBoolean());
        Assert.Equal(900, options.GetProperty("overrides").GetProperty("additionalProperties").GetProperty("maximum").GetInt64());
        Assert.Equal("Days.", options.GetProperty("maxAge").GetProperty("description").GetString());

        var timeout = detect.GetProperty("properties").GetProperty("fake-timeout");
        Assert.Equal(["maximumSeconds"], Strings(timeout.GetProperty("required")));
    }

    [Fact]
    public void Remediate_items_are_one_of_single_key_objects_per_action()
    {
        var variants = Defs.GetProperty("remediate").GetProperty("items").GetProperty("oneOf").EnumerateArray().ToList();

        Assert.Equal(["revert", "tag", "notify"], variants.Select(v => Assert.Single(Strings(v.GetProperty("required")))));
        Assert.All(variants, v => Assert.False(v.GetProperty("additionalProperties").GetBoolean()));
        var tag = variants[1].GetProperty("properties").GetProperty("tag");
        Assert.Equal(["key"], Strings(tag.GetProperty("required")));
        Assert.Equal("{rule}", tag.GetProperty("properties").GetProperty("value").GetProperty("default").GetString());
    }

    [Fact]
    public void A_valid_rule_file_validates()
    {
        var result = Evaluate(RuleLoaderTests.Valid);

        Assert.True(result.IsValid, DefaultRulesTests.SchemaErrors(result));
    }

    [Theory]
    [InlineData("  fake-iam:", "  fake-iamm:")]
    [InlineData("concern: iam-broad-permissions", "concern: missing-timeout")]
    [InlineData("mode: dry-run", "mood: dry-run")]
    [InlineData("severity: critical", "severity: severe")]
    [InlineData("    checks: [admin-wildcard, service-wildcard]", "    checks: admin-wildcard")]
    [InlineData("    checks: [admin-wildcard, service-wildcard]", "    checks: [admin]")]
    [InlineData("    checks: [admin-wildcard, service-wildcard]", "    check: [admin-wildcard]")]
    [InlineData("    overrides: {fn-a: 30}", "    maxAge: 0")]
    [InlineData("    overrides: {fn-a: 30}", "    maxAge: \"5\"")]
    [InlineData("    overrides: {fn-a: 30}", "  fake-timeout: {maximumSeconds: 5}")]
    [InlineData("  - revert: {}", "  - revrt: {}")]
    [InlineData("  - revert: {}", "  - revert: {}\n    notify: {}")]
    [InlineData("  - notify:", "  - notify: {channel: email}")]
    [InlineData("  - notify:", "  - tag: {}")]
    [InlineData("  tag: remediator:exempt", "  tags: remediator:exempt")]
    public void A_rule_the_loader_rejects_for_its_shape_fails_the_schema_too(string line, string replacement)
    {
        var yaml = RuleLoaderTests.Valid.Replace(line, replacement, StringComparison.Ordinal);
        Assert.NotEqual(RuleLoaderTests.Valid, yaml);
        Assert.False(new RuleLoader(TestRegistry.Create(), new FakePatternValidator()).LoadText(yaml, "x.yaml").IsValid);

        Assert.False(Evaluate(yaml).IsValid);
    }

    [Theory]
    [InlineData("    errorCode: [{exists: \"false\"}]")]
    [InlineData("    errorCode: [{exist: false}]")]
    [InlineData("    errorCode: {exists: false}")]
    [InlineData("    errorCode: []")]
    public void The_light_event_pattern_schema_catches_common_mistakes(string line)
    {
        var yaml = RuleLoaderTests.Valid.Replace("    errorCode: [{exists: false}]", line, StringComparison.Ordinal);

        Assert.False(Evaluate(yaml).IsValid);
    }

    [Fact]
    public void Several_rules_under_rules_key_validate()
    {
        var yaml = "rules:\n" + string.Join("\n", RuleLoaderTests.Valid.Split('\n').Select((l, i) => (i == 0 ? "  - " : "    ") + l));

        var result = Evaluate(yaml);

        Assert.True(result.IsValid, DefaultRulesTests.SchemaErrors(result));
    }

    private static EvaluationResults Evaluate(string yaml)
    {
        var errors = new List<RuleError>();
        var document = Assert.Single(YamlTreeReader.ReadDocuments(yaml, "x.yaml", errors));
        var json = YamlJson.ToJson(document, "", errors);
        Assert.Empty(errors);
        return JsonSchema.FromText(Schema).Evaluate(json!.Value, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
