using System.Text.Json;
using Remediator.Testing;

namespace Remediator.Cli.Tests;

public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("remediator-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Replaying_the_bundled_fixtures_finds_all_four_concerns_in_json()
    {
        var run = await CliRun.RunAsync(
            "replay", Path.Combine(RepositoryPaths.Fixtures, "cloudtrail"), Path.Combine(RepositoryPaths.Fixtures, "synthetic"),
            "--rules", RepositoryPaths.Rules, "--format", "json");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var lines = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(lines, l => Assert.True(l.TryGetProperty("eventId", out _), "every line is an event line"));
        var findings = lines.SelectMany(l => l.GetProperty("findings").EnumerateArray()).ToList();
        Assert.Equal(
            ["iam-broad-permissions", "missing-timeout", "public-event-bus", "unencrypted-table"],
            findings.Select(f => f.GetProperty("concern").GetString()).Distinct().Order(StringComparer.Ordinal));
        foreach (var finding in findings)
        {
            foreach (var member in new[] { "rule", "concern", "resource", "severity", "evidence", "plannedActions" })
            {
                Assert.True(finding.TryGetProperty(member, out _), $"finding lacks {member}");
            }
        }

        // The real AttachRolePolicy of AdministratorAccess is planned as its exact inverse.
        Assert.Contains(findings, f => f.GetProperty("plannedActions").EnumerateArray()
            .Any(a => a.GetProperty("operation").GetString() == "iam:DetachRolePolicy"));
    }

    [Fact]
    public async Task Failed_calls_are_reported_as_skipped_not_judged()
    {
        // The shipped rules already leave failed calls out in their patterns; this one is made to let them through.
        var rules = Directory.CreateDirectory(Path.Combine(_dir, "rules")).FullName;
        var rule = File.ReadAllLines(Path.Combine(RepositoryPaths.Rules, "iam-admin-managed-policy-attached.yaml"))
            .Where(l => !l.Contains("errorCode", StringComparison.Ordinal));
        File.WriteAllLines(Path.Combine(rules, "attach.yaml"), rule);

        var run = await CliRun.RunAsync(
            "replay", Path.Combine(RepositoryPaths.Fixtures, "cloudtrail", "iam", "AttachRolePolicy__2.json"), "--format", "json", "--rules", rules);

        var line = JsonDocument.Parse(Assert.Single(run.StdoutLines)).RootElement;
        Assert.StartsWith("failed call (NoSuchEntity)", line.GetProperty("skipped").GetString(), StringComparison.Ordinal);
        Assert.Empty(line.GetProperty("findings").EnumerateArray());
        Assert.Equal(ExitCodes.Clean, run.ExitCode);
    }

    [Fact]
    public async Task A_malformed_event_is_reported_with_file_and_line_and_the_rest_is_processed()
    {
        var good = File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "cloudtrail", "iam", "AttachUserPolicy__1.json"));
        var file = Path.Combine(_dir, "mixed.jsonl");
        File.WriteAllLines(file, [Compact(good), "{\"eventSource\": \"iam.amazonaws.com\", oops", Compact(good)]);

        var run = await CliRun.RunAsync("replay", file, "--format", "json", "--rules", RepositoryPaths.Rules);

        var lines = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        var error = lines[1];
        Assert.Equal(file, error.GetProperty("file").GetString());
        Assert.Contains("line 2", error.GetProperty("position").GetString(), StringComparison.Ordinal);
        Assert.True(error.TryGetProperty("error", out _));
        Assert.Equal("AttachUserPolicy", lines[2].GetProperty("eventName").GetString());

        // Findings and malformed input: the malformed input is not hidden behind the findings' exit code.
        Assert.NotEmpty(lines[0].GetProperty("findings").EnumerateArray());
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
    }

    [Fact]
    public async Task Only_malformed_input_exits_2_and_clean_input_exits_0()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, "{not json");
        var clean = Path.Combine(RepositoryPaths.Fixtures, "cloudtrail", "iam", "TagRole__1.json");

        Assert.Equal(ExitCodes.BadInput, (await CliRun.RunAsync("replay", bad, "--rules", RepositoryPaths.Rules)).ExitCode);
        Assert.Equal(ExitCodes.Clean, (await CliRun.RunAsync("replay", clean, "--rules", RepositoryPaths.Rules)).ExitCode);
        Assert.Equal(ExitCodes.BadInput, (await CliRun.RunAsync("replay", Path.Combine(_dir, "missing.json"), "--rules", RepositoryPaths.Rules)).ExitCode);
    }

    [Fact]
    public async Task Invalid_rules_stop_the_replay_before_any_event_with_exit_2()
    {
        var rules = Path.Combine(_dir, "rules");
        Directory.CreateDirectory(rules);
        File.WriteAllText(Path.Combine(rules, "broken.yaml"), "id: x\nconcern: nope\n");

        var run = await CliRun.RunAsync("replay", Path.Combine(RepositoryPaths.Fixtures, "cloudtrail"), "--rules", rules);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("broken.yaml:", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task The_table_shows_findings_plans_and_a_summary()
    {
        var run = await CliRun.RunAsync("replay", Path.Combine(RepositoryPaths.Fixtures, "cloudtrail", "iam", "AttachRolePolicy__1.json"), "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("CRITICAL iam-broad-permissions managed-policy", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("iam:DetachRolePolicy", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 events read, 1 matched a rule", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("dry-run: nothing was changed", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_guards_own_principal_is_skipped()
    {
        var run = await CliRun.RunAsync(
            "replay", Path.Combine(RepositoryPaths.Fixtures, "cloudtrail", "iam", "AttachRolePolicy__1.json"), "--rules", RepositoryPaths.Rules,
            "--format", "json", "--own-principal", "arn:aws:iam::*:user/christophe");

        var line = JsonDocument.Parse(Assert.Single(run.StdoutLines)).RootElement;
        Assert.StartsWith("the guard's own change", line.GetProperty("skipped").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Clean, run.ExitCode);
    }

    [Fact]
    public async Task A_bad_format_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("replay", "x.json", "--format", "xml");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("xml", run.Stderr, StringComparison.Ordinal);
    }

    private static string Compact(string json) => JsonSerializerCompact(JsonDocument.Parse(json).RootElement);

    private static string JsonSerializerCompact(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            element.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
