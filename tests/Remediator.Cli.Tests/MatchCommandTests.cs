using System.Text.Json;
using Remediator.Cli;

namespace Remediator.Cli.Tests;

public sealed class MatchCommandTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("remediator-match-");

    public void Dispose() => work.Delete(recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(work.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Cases_get_one_answer_each_in_order()
    {
        var cases = Write("cases.json", """
            [
              {"pattern": {"source": ["aws.iam"]}, "event": {"source": "aws.iam"}, "note": "ignored"},
              {"pattern": {"source": [{"prefix": "aws.s"}]}, "event": {"source": "aws.iam"}},
              {"pattern": {"detail": {"eventName": [{"prefix": 5}]}}, "event": {}}
            ]
            """);
        var (code, output, _) = await RunAsync("match", "--cases", cases);
        Assert.Equal(0, code);
        using var answers = JsonDocument.Parse(output);
        var a = answers.RootElement;
        Assert.Equal(3, a.GetArrayLength());
        Assert.True(a[0].GetBoolean());
        Assert.False(a[1].GetBoolean());
        Assert.Equal("detail.eventName[0]: prefix value must be a string", a[2].GetProperty("invalid").GetString());
    }

    [Fact]
    public async Task A_case_without_an_event_names_the_file_and_index()
    {
        var cases = Write("bad.json", """[{"pattern": {"a": [1]}, "event": {}}, {"pattern": {"a": [1]}}]""");
        var (code, _, error) = await RunAsync("match", "--cases", cases);
        Assert.Equal(2, code);
        Assert.Contains("bad.json", error, StringComparison.Ordinal);
        Assert.Contains("case 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_cases_file_is_bad_input()
    {
        var (code, _, error) = await RunAsync("match", "--cases", Path.Combine(work.FullName, "missing.json"));
        Assert.Equal(2, code);
        Assert.Contains("missing.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_mode_writes_matches_by_line_and_reports_malformed_lines()
    {
        var patterns = Write("patterns.json", """
            [
              {"name": "R2", "kind": "x", "pattern": {"source": ["aws.s3"]}},
              {"name": "R1", "pattern": {"detail": {"eventName": [{"prefix": "Delete"}]}}}
            ]
            """);
        var events = Write("events.jsonl", string.Join("\n",
            """{"source":"aws.s3","detail":{"eventName":"DeleteBucket"}}""",
            """{"source":"aws.ec2"}""",
            """{"source":"aws.s3",""",
            """{"source":"aws.kms","detail":{"eventName":"DeleteKey"}}""") + "\n");
        var outFile = Path.Combine(work.FullName, "out.json");
        var (code, _, error) = await RunAsync("match", "--patterns", patterns, "--events", events, "--out", outFile);
        Assert.Equal(0, code);
        Assert.Contains("events.jsonl:3:", error, StringComparison.Ordinal);
        using var result = JsonDocument.Parse(File.ReadAllText(outFile));
        var matched = result.RootElement.GetProperty("matched_event_rules");
        Assert.Equal(["0", "3"], matched.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["R1", "R2"], matched.GetProperty("0").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["R1"], matched.GetProperty("3").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Bulk_mode_to_stdout_with_bench_keeps_stdout_json()
    {
        var patterns = Write("p.json", """[{"name": "A", "pattern": {"a": [1]}}]""");
        var events = Write("e.jsonl", "{\"a\":1}\n{\"a\":2}\n");
        var (code, output, error) = await RunAsync("match", "--patterns", patterns, "--events", events, "--bench");
        Assert.Equal(0, code);
        using var result = JsonDocument.Parse(output);
        Assert.Equal(["0"], result.RootElement.GetProperty("matched_event_rules").EnumerateObject().Select(p => p.Name));
        Assert.Contains("events/s", error, StringComparison.Ordinal);
        Assert.Contains("1 matched events, 1 (event, rule) pairs", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_pattern_in_the_patterns_file_is_bad_input()
    {
        var patterns = Write("p.json", """[{"name": "A", "pattern": {"a": []}}]""");
        var events = Write("e.jsonl", "{\"a\":1}\n");
        var (code, _, error) = await RunAsync("match", "--patterns", patterns, "--events", events);
        Assert.Equal(2, code);
        Assert.Contains("entry 0 (A): a: empty arrays are not allowed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mixing_the_two_forms_is_a_usage_error()
    {
        var (code, _, error) = await RunAsync("match", "--cases", "x.json", "--events", "e.jsonl");
        Assert.Equal(2, code);
        Assert.Contains("either --cases", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_files()
    {
        var (code, output, _) = await RunAsync("match", "--help");
        Assert.Equal(0, code);
        Assert.Contains("\"pattern\"", output, StringComparison.Ordinal);
        Assert.Contains("JSON Lines", output, StringComparison.Ordinal);
        Assert.Contains("matched_event_rules", output, StringComparison.Ordinal);
    }
}
