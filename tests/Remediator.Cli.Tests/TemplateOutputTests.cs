using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Remediator.Cli.Template;
using Remediator.Testing;

namespace Remediator.Cli.Tests;

/// <summary>YAML reading, CI output formats (json, sarif validated against the SARIF 2.1.0 schema), folders, parameters.</summary>
public sealed class TemplateOutputTests : IDisposable
{
    private static readonly string Corpus = Path.Combine(RepositoryPaths.Fixtures, "templates");
    private readonly string _dir = Directory.CreateTempSubdirectory("remediator-template-output-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Yaml_short_forms_become_their_long_forms()
    {
        var document = TemplateReader.Read("""
            Conditions:
              Prod: !Equals [!Ref Stage, prod]
              Either: !Or [!Condition Prod, !Not [!Equals ['a', 'b']], !And [true, !Condition Prod]]
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  A: !GetAtt Role.Arn
                  B: !GetAtt Vpc.Ipv6CidrBlocks.0
                  C: !Sub '${AWS::StackName}-x'
                  D: !If [Prod, !Join ['', [a, !Select [0, !Split [',', 'x,y']]]], !FindInMap [M, K, V]]
                  E: !Cidr [!ImportValue Net, 2, 8]
                  J: !Base64 abc
                  F: !GetAZs ''
                  G: '012345678901'
                  H: 012345678901
                  I: 30
            """, "t.yaml");

        var p = document.Root["Resources"]!["Bucket"]!["Properties"]!;
        Assert.Equal("""{"Fn::GetAtt":["Role","Arn"]}""", p["A"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["Vpc","Ipv6CidrBlocks.0"]}""", p["B"]!.ToJsonString());
        Assert.Equal("""{"Fn::Sub":"${AWS::StackName}-x"}""", p["C"]!.ToJsonString());
        Assert.Equal("""{"Fn::If":["Prod",{"Fn::Join":["",["a",{"Fn::Select":[0,{"Fn::Split":[",","x,y"]}]}]]},{"Fn::FindInMap":["M","K","V"]}]}""", p["D"]!.ToJsonString());
        Assert.Equal("""{"Fn::Cidr":[{"Fn::ImportValue":"Net"},2,8]}""", p["E"]!.ToJsonString());
        Assert.Equal("""{"Fn::Base64":"abc"}""", p["J"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAZs":""}""", p["F"]!.ToJsonString());
        Assert.Equal("\"012345678901\"", p["G"]!.ToJsonString());
        Assert.Equal("\"012345678901\"", p["H"]!.ToJsonString()); // a leading zero is kept: an account id, not a number
        Assert.Equal("30", p["I"]!.ToJsonString());
        Assert.Equal("""{"Fn::Or":[{"Condition":"Prod"},{"Fn::Not":[{"Fn::Equals":["a","b"]}]},{"Fn::And":[true,{"Condition":"Prod"}]}]}""", document.Root["Conditions"]!["Either"]!.ToJsonString());
        Assert.Equal(5, document.LineOf("Bucket"));
    }

    [Theory]
    [InlineData("Resources:\n  A:\n    Type: X\n    Properties: {B: !Bogus c}\n", "t.yaml:4:21: ", "unknown tag '!Bogus'")]
    [InlineData("Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n", "t.yaml:4:3: ", "duplicate key 'A'")]
    [InlineData("Resources:\n  A: [\n", "t.yaml:", "YAML syntax error")]
    [InlineData("- a\n- b\n", "t.yaml:1:1: ", "not a CloudFormation template: the document is a list")]
    [InlineData("openapi: 3.0.0\npaths: {}\n", "t.yaml:1:1: ", "not a CloudFormation template: none of its top-level keys (openapi, paths)")]
    [InlineData("Resources:\n  A:\n    Properties: {B: !GetAtt NoDot}\n", "t.yaml:3:21: ", "!GetAtt 'NoDot' must be LogicalId.Attribute")]
    [InlineData("{\"Resources\": {\n  \"A\": {\"Type\": }}}", "t.yaml:2:17: ", "JSON syntax error")]
    public void Unreadable_templates_name_file_line_and_column(string text, string position, string problem)
    {
        var error = Assert.Throws<TemplateReadException>(() => TemplateReader.Read(text, "t.yaml"));

        Assert.StartsWith(position, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_one_array_of_findings_with_file_and_line()
    {
        var template = Path.Combine(Corpus, "own-sam-admin-policies.yaml");
        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules, "--format", "json");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var findings = JsonNode.Parse(run.Stdout)!.AsArray();
        var admin = findings.Select(f => f!.AsObject()).First(f => (string)f["logicalId"]! == "AdminFunction" && ((string)f["message"]!).Contains("every action", StringComparison.Ordinal));
        Assert.Equal(template, (string)admin["file"]!);
        Assert.Equal("AWS::Serverless::Function", (string)admin["resourceType"]!);
        Assert.Equal("iam-broad-permissions", (string)admin["concern"]!);
        Assert.Equal("critical", (string)admin["severity"]!);
        Assert.Equal(11, (int)admin["line"]!);
        Assert.All(findings, f => Assert.Equal(
            ["file", "logicalId", "resourceType", "rule", "concern", "severity", "check", "message", "line"],
            f!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task Sarif_output_is_valid_sarif_2_1_0_with_physical_and_logical_locations()
    {
        var run = await CliRun.RunAsync("check-template", Corpus, "--rules", RepositoryPaths.Rules, "--format", "sarif");

        // The corpus holds one unreadable template on purpose: it becomes an error notification (and exit 2, as replay
        // gives for bad input even beside findings); the rest are results.
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var sarif = JsonNode.Parse(run.Stdout)!;
        var evaluation = SarifSchema().Evaluate(ToElement(sarif), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(evaluation.IsValid, string.Join("\n", (evaluation.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10)
            .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Select(e => e.Value))}")));

        var run0 = sarif["runs"]![0]!;
        var rules = run0["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace((string?)r!["shortDescription"]!["text"])));
        var result = run0["results"]!.AsArray().Select(r => r!).First(r => (string)r["locations"]![0]!["logicalLocations"]![0]!["name"]! == "ChatBackend");
        Assert.Equal("api-integration-timeout", (string)result["ruleId"]!);
        Assert.Equal("api-integration-timeout", (string)rules[(int)result["ruleIndex"]!]!["id"]!);
        var physical = result["locations"]![0]!["physicalLocation"]!;
        Assert.EndsWith("templates/own-global-table-and-websocket.yaml", (string)physical["artifactLocation"]!["uri"]!, StringComparison.Ordinal);
        Assert.Equal(38, (int)physical["region"]!["startLine"]!);
        var notifications = run0["invocations"]![0]!["toolExecutionNotifications"]!.AsArray();
        Assert.Contains(notifications, n => ((string)n!["message"]!["text"]!).Contains("duplicate key 'Name'", StringComparison.Ordinal) && (string)n["level"]! == "error");
        Assert.Contains(notifications, n => ((string)n!["message"]!["text"]!).Contains("not judged: ChatConnect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sarif_schema_check_rejects_a_result_without_a_message()
    {
        var run = await CliRun.RunAsync("check-template", Path.Combine(Corpus, "sam-simpletable.yaml"), "--rules", RepositoryPaths.Rules, "--format", "sarif");
        var sarif = JsonNode.Parse(run.Stdout)!;
        sarif["runs"]![0]!["results"]![0]!.AsObject().Remove("message");

        Assert.False(SarifSchema().Evaluate(ToElement(sarif)).IsValid);
    }

    [Fact]
    public async Task Several_files_and_folders_are_checked_and_a_missing_one_is_bad_input()
    {
        File.Copy(Path.Combine(Corpus, "sam-simpletable.yaml"), Path.Combine(_dir, "a.yml"));
        File.Copy(Path.Combine(Corpus, "sam-simpletable-with-sse.yaml"), Path.Combine(_dir, "b.template"));
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not a template");

        var both = await CliRun.RunAsync("check-template", _dir, Path.Combine(Corpus, "cft-fn-foreach-ddb.json"), "--rules", RepositoryPaths.Rules);
        var missing = await CliRun.RunAsync("check-template", _dir, Path.Combine(_dir, "nope.yaml"), "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, both.ExitCode);
        Assert.Equal(3, both.Stderr.Split('\n').Count(l => l.Contains(" judged as ", StringComparison.Ordinal)));
        Assert.Contains("a.yml: 2 finding(s)", both.Stderr, StringComparison.Ordinal);
        Assert.Contains("b.template: 0 finding(s)", both.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.Contains("nope.yaml: no such file or folder", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_no_template_declares_is_bad_input()
    {
        var template = Path.Combine(Corpus, "own-sam-admin-policies.yaml");

        var typo = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules, "--parameter", "Stgae=dev");
        var dev = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules, "--parameter", "Stage=dev", "--format", "json");

        Assert.Equal(ExitCodes.BadInput, typo.ExitCode);
        Assert.Contains("--parameter Stgae: no template checked declares it (declared: Stage)", typo.Stderr, StringComparison.Ordinal);
        // With Stage=dev the IsProd branch is gone: the role policy no longer allows everything on everything.
        Assert.Equal(ExitCodes.Findings, dev.ExitCode);
        Assert.DoesNotContain(JsonNode.Parse(dev.Stdout)!.AsArray(), f => (string)f!["logicalId"]! == "WorkerRolePolicy" && ((string)f["message"]!).Contains("every action on every resource", StringComparison.Ordinal));
    }

    private static JsonElement ToElement(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;

    /// <summary>
    /// The OASIS SARIF 2.1.0 schema (tests/fixtures/sarif) is draft-04; JsonSchema.Net reads draft 6 and later. Draft-04's
    /// only differences that matter here are the id keyword and the draft URI, so those two are restated.
    /// </summary>
    private static JsonSchema SarifSchema() => LoadedSarifSchema.Value;

    // JsonSchema.Net registers a schema by its $id once per process.
    private static readonly Lazy<JsonSchema> LoadedSarifSchema = new(LoadSarifSchema);

    private static JsonSchema LoadSarifSchema()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "sarif", "sarif-schema-2.1.0.json"))
            .Replace("\"$schema\": \"http://json-schema.org/draft-04/schema#\"", "\"$schema\": \"http://json-schema.org/draft-07/schema#\"", StringComparison.Ordinal)
            .Replace("\"id\": \"https://docs.oasis-open.org", "\"$id\": \"https://docs.oasis-open.org", StringComparison.Ordinal);
        return JsonSchema.FromText(text);
    }
}
