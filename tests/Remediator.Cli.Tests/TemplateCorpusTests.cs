using System.Text.Json.Nodes;
using Remediator.Cli.Template;
using Remediator.Core.Engine;
using Remediator.Composition;
using Remediator.Testing;

namespace Remediator.Cli.Tests;

/// <summary>
/// The public-template corpus in tests/fixtures/templates (sources and licences in its SOURCES.md): each template is
/// checked with the bundled rules and compared with its NAME.expect file: exit code, findings present and absent by
/// logical id and concern, what is listed as not judged, and what must be judged.
/// </summary>
public sealed class TemplateCorpusTests
{
    private static readonly string Corpus = Path.Combine(RepositoryPaths.Fixtures, "templates");

    public static TheoryData<string> Templates()
    {
        var data = new TheoryData<string>();
        foreach (var expect in Directory.EnumerateFiles(Corpus, "*.expect").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(expect)[..^".expect".Length]);
        }

        return data;
    }

    [Fact]
    public void Every_template_in_the_corpus_has_an_expectations_file_and_a_cited_source()
    {
        var sources = File.ReadAllText(Path.Combine(Corpus, "SOURCES.md"));
        var templates = TemplateCheck.Expand([Corpus], out _).Select(Path.GetFileName).ToList();

        Assert.True(templates.Count >= 19, $"{templates.Count} templates");
        Assert.All(templates, t => Assert.True(File.Exists(Path.Combine(Corpus, t + ".expect")), $"{t} has no .expect"));
        Assert.All(templates, t => Assert.Contains($"| {t} |", sources, StringComparison.Ordinal));
        Assert.Contains(templates, t => t!.EndsWith(".json", StringComparison.Ordinal));
        Assert.Contains(templates, t => t!.EndsWith(".yaml", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task The_template_gives_what_its_expectations_file_says(string name)
    {
        var expect = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Corpus, name + ".expect")))!.AsObject();
        var result = await CheckAsync(Path.Combine(Corpus, name));

        var exit = result.ReadError is not null || result.Errors.Count > 0 ? ExitCodes.BadInput : result.Findings.Count > 0 ? ExitCodes.Findings : ExitCodes.Clean;
        Assert.True((int)expect["exit"]! == exit, $"exit {exit}; errors: {string.Join("; ", result.Errors)}");
        if (expect["error"] is { } error)
        {
            Assert.EndsWith((string)error!, result.ReadError!.Message, StringComparison.Ordinal);
            return;
        }

        Assert.Empty(result.Errors);
        var described = string.Join("\n", result.Findings.Select(f => $"{f.LogicalId} {f.Concern} {f.Rule} {f.Check}: {f.Message}"));
        foreach (var found in (expect["found"] as JsonArray ?? []).Select(n => n!.AsObject()))
        {
            var contains = (string?)found["contains"] ?? string.Empty;
            Assert.True(result.Findings.Any(f => f.LogicalId == (string)found["logicalId"]! && f.Concern == (string)found["concern"]!
                && (f.Message.Contains(contains, StringComparison.Ordinal) || f.Evidence.Any(e => e.Contains(contains, StringComparison.Ordinal)))),
                $"expected {found.ToJsonString()} among:\n{described}");
        }

        foreach (var absent in (expect["notFound"] as JsonArray ?? []).Select(n => n!.AsObject()))
        {
            Assert.False(result.Findings.Any(f => f.LogicalId == (string)absent["logicalId"]! && f.Concern == (string)absent["concern"]!),
                $"unexpected {absent.ToJsonString()} among:\n{described}");
        }

        foreach (var text in (expect["absentText"] as JsonArray ?? []).Select(n => (string)n!))
        {
            Assert.DoesNotContain(text, described, StringComparison.Ordinal);
        }

        var notJudged = string.Join("\n", result.NotJudged.Select(n => $"{n.LogicalId}: {n.Why}"));
        foreach (var item in (expect["notJudged"] as JsonArray ?? []).Select(n => n!.AsObject()))
        {
            Assert.True(result.NotJudged.Any(n => n.LogicalId == (string)item["logicalId"]! && n.Why.Contains((string)item["contains"]!, StringComparison.Ordinal)),
                $"expected not judged {item.ToJsonString()} among:\n{notJudged}");
        }

        if (expect["notJudgedCount"] is { } count)
        {
            Assert.True(result.NotJudged.Count == (int)count!, notJudged);
        }

        foreach (var id in (expect["judged"] as JsonArray ?? []).Select(n => (string)n!))
        {
            Assert.DoesNotContain(result.NotJudged, n => n.LogicalId == id);
        }

        foreach (var line in expect["line"] as JsonObject ?? [])
        {
            Assert.All(result.Findings.Where(f => f.LogicalId == line.Key), f => Assert.Equal((int)line.Value!, f.Line));
        }
    }

    internal static async Task<TemplateCheckResult> CheckAsync(string path)
    {
        var rules = GuardComposition.CreateLoader().LoadPaths([RepositoryPaths.Rules]);
        Assert.True(rules.IsValid, string.Join("; ", rules.Errors));
        var check = new TemplateCheck(rules.Rules, new Dictionary<string, string>(), TemplateContext.DefaultRegion, new GuardOptions().Validated());
        return await check.RunAsync(path, CancellationToken.None);
    }
}
