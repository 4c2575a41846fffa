using Remediator.Testing;

namespace Remediator.Cli.Tests;

/// <summary><c>remediator test</c>: the bundled rules' golden-file suite passes; a wrong expectation fails with a diff.</summary>
public sealed class RuleTestSuiteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("remediator-rule-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_bundled_rules_pass_their_suite()
    {
        var run = await CliRun.RunAsync("test", RepositoryPaths.InRoot("tests", "rule-tests"), "--rules", RepositoryPaths.Rules);

        Assert.True(run.ExitCode == ExitCodes.Clean, run.Stdout + run.Stderr);
        Assert.Contains("10 passed, 0 failed, 0 unreadable", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_expectation_fails_with_a_diff_of_expected_and_actual()
    {
        var events = RepositoryPaths.InRoot("tests", "fixtures", "cloudtrail", "dynamodb", "CreateTable__1.json");
        File.WriteAllText(Path.Combine(_dir, "wrong.test.yaml"), $"""
            event: {events}
            expect:
              - rule: dynamodb-table-kms
                finding: true
                plannedActions: [dynamodb:UpdateTable, notify:slack]
            """);
        File.WriteAllText(Path.Combine(_dir, "silent.test.yaml"), $"""
            event: {events}
            expect:
              - rule: dynamodb-table-kms
                finding: false
            """);

        var run = await CliRun.RunAsync("test", _dir, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("0 passed, 2 failed", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("FAIL  " + Path.Combine(_dir, "wrong.test.yaml"), run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  - expected: finding: true, plannedActions: [dynamodb:UpdateTable, notify:slack]\n"
            + "  + actual:   finding: true, plannedActions: [dynamodb:UpdateTable, dynamodb:TagResource, notify:slack]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  - expected: finding: false\n  + actual:   finding: true", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expect:\n  - rule: dynamodb-table-kms\n    finding: true\n", "a case names an event or a template")]
    [InlineData("event: x.json\nexpect:\n  - rule: no-such-rule\n    finding: true\n", "expect names rule 'no-such-rule'")]
    [InlineData("event: x.json\nexpect:\n  - rule: dynamodb-table-kms\n    finding: maybe\n", "finding (true or false)")]
    public async Task A_broken_case_is_bad_input_with_the_reason(string text, string reason)
    {
        File.WriteAllText(Path.Combine(_dir, "broken.test.yaml"), text);

        var run = await CliRun.RunAsync("test", _dir, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
    }
}
