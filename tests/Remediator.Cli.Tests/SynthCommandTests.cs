using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Cli.Template;
using Remediator.Core.Patterns;
using Remediator.Testing;

namespace Remediator.Cli.Tests;

public sealed class SynthCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("remediator-synth-").FullName;

    private static string TableRule => Path.Combine(RepositoryPaths.Rules, "dynamodb-table-kms.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_repository_template_is_up_to_date_with_the_rules()
    {
        var run = await CliRun.RunAsync("synth", "--check", "--rules", RepositoryPaths.Rules, "--template", RepositoryPaths.InRoot("serverless.template"));

        Assert.True(run.ExitCode == ExitCodes.Clean, run.Stderr);
        Assert.Contains("up to date", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_rules_of_one_concern_that_differ_in_several_fields_become_an_or_of_both()
    {
        var rules = Directory.CreateDirectory(Path.Combine(_dir, "rules")).FullName;
        WriteRule(rules, "lambda-a", "missing-timeout", "lambda-timeout: {}", "source: [aws.lambda]\n  detail: {eventSource: [lambda.amazonaws.com], eventName: [CreateFunction]}");
        WriteRule(rules, "api-b", "missing-timeout", "api-integration-timeout: {}", "source: [aws.apigateway]\n  detail: {eventSource: [apigateway.amazonaws.com], eventName: [PutIntegration]}");
        var template = WriteTemplate("missing-timeout");

        var run = await CliRun.RunAsync("synth", "--rules", rules, "--template", template);

        Assert.True(run.ExitCode == ExitCodes.Clean, run.Stderr);
        var pattern = PatternOf(template, "TimeoutRule");
        var alternatives = Assert.IsType<JsonArray>(pattern["$or"]);
        Assert.Equal(2, alternatives.Count);
        Assert.Contains(alternatives, a => a!["source"]![0]!.GetValue<string>() == "aws.lambda");
        Assert.Contains(alternatives, a => a!["source"]![0]!.GetValue<string>() == "aws.apigateway");
        Assert.True(EventPattern.Parse(pattern.ToJsonString()).Matches(Envelope("aws.lambda", "lambda.amazonaws.com", "CreateFunction")));
        Assert.True(EventPattern.Parse(pattern.ToJsonString()).Matches(Envelope("aws.apigateway", "apigateway.amazonaws.com", "PutIntegration")));
        Assert.False(EventPattern.Parse(pattern.ToJsonString()).Matches(Envelope("aws.lambda", "lambda.amazonaws.com", "PutIntegration")));
    }

    [Fact]
    public void Patterns_that_differ_only_in_one_list_merge_into_one_pattern_with_the_union()
    {
        using var a = JsonDocument.Parse("""{"source": ["aws.iam"], "detail": {"eventName": ["CreateRole", "PutRolePolicy"]}}""");
        using var b = JsonDocument.Parse("""{"source": ["aws.iam"], "detail": {"eventName": ["PutRolePolicy", "AttachRolePolicy"]}}""");

        var union = PatternUnion.Of([a.RootElement, b.RootElement]);

        Assert.Null(union["$or"]);
        Assert.Equal("""["CreateRole","PutRolePolicy","AttachRolePolicy"]""", union["detail"]!["eventName"]!.ToJsonString());
    }

    [Fact]
    public void A_single_pattern_is_written_as_it_is()
    {
        using var only = JsonDocument.Parse("""{"source": ["aws.events"], "detail": {"errorCode": [{"exists": false}]}}""");

        Assert.Equal(only.RootElement.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal), PatternUnion.Of([only.RootElement]).ToJsonString());
    }

    [Fact]
    public async Task Check_names_the_concern_that_drifted_and_changes_nothing()
    {
        var template = WriteTemplate("unencrypted-table");
        var before = await File.ReadAllTextAsync(template);

        var run = await CliRun.RunAsync("synth", "--check", "--rules", TableRule, "--template", template);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("concern 'unencrypted-table'", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(template));
    }

    [Fact]
    public async Task Synth_then_check_passes_and_a_second_synth_changes_nothing()
    {
        var template = WriteTemplate("unencrypted-table");
        Assert.Equal(ExitCodes.Clean, (await CliRun.RunAsync("synth", "--rules", TableRule, "--template", template)).ExitCode);
        var written = await File.ReadAllTextAsync(template);

        var check = await CliRun.RunAsync("synth", "--check", "--rules", TableRule, "--template", template);
        await CliRun.RunAsync("synth", "--rules", TableRule, "--template", template);

        Assert.Equal(ExitCodes.Clean, check.ExitCode);
        Assert.Equal(written, await File.ReadAllTextAsync(template));
        Assert.Equal("CreateTable", PatternOf(template, "TableRule")["detail"]!["eventName"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_concern_with_rules_but_no_marked_rule_in_the_template_is_an_error()
    {
        var template = WriteTemplate("unencrypted-table");

        var full = await CliRun.RunAsync("synth", "--rules", Path.Combine(RepositoryPaths.Rules, "lambda-timeout.yaml"), "--template", template);

        Assert.Equal(ExitCodes.BadInput, full.ExitCode);
        Assert.Contains("TableRule: no rule of concern 'unencrypted-table'", full.Stderr, StringComparison.Ordinal);
        Assert.Contains("concern 'missing-timeout' has rules but the template has no", full.Stderr, StringComparison.Ordinal);
    }

    private static JsonElement Envelope(string source, string eventSource, string eventName)
    {
        var envelope = new JsonObject
        {
            ["source"] = source,
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["detail"] = new JsonObject { ["eventSource"] = eventSource, ["eventName"] = eventName },
        };
        using var document = JsonDocument.Parse(envelope.ToJsonString());
        return document.RootElement.Clone();
    }

    private static JsonObject PatternOf(string template, string logicalId) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(template))!["Resources"]![logicalId]!["Properties"]!["EventPattern"]!;

    private static void WriteRule(string dir, string id, string concern, string detect, string match) =>
        File.WriteAllText(Path.Combine(dir, id + ".yaml"), $"""
            id: {id}
            description: a rule for the synth tests
            concern: {concern}
            severity: medium
            mode: dry-run
            match:
              {match}
            detect:
              {detect}
            remediate:
              - notify: {"{}"}
            """);

    private string WriteTemplate(string concern)
    {
        var logicalId = concern == "missing-timeout" ? "TimeoutRule" : "TableRule";
        var path = Path.Combine(_dir, "template.json");
        File.WriteAllText(path, $$"""
            {
              "Resources": {
                "{{logicalId}}": {
                  "Type": "AWS::Events::Rule",
                  "Metadata": {"Remediator": {"Concern": "{{concern}}"} },
                  "Properties": {"EventPattern": {"source": ["stale"]}, "State": "ENABLED"}
                }
              }
            }
            """);
        return path;
    }
}
