using Remediator.Testing;

namespace Remediator.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("remediator-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_shipped_rules_are_valid_against_the_real_registry()
    {
        var run = await CliRun.RunAsync("validate", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Clean, run.ExitCode);
        Assert.Contains("10 rule(s) valid", run.Stdout, StringComparison.Ordinal);
        foreach (var concern in Core.Concerns.All)
        {
            Assert.Contains(concern, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_built_in_rules_are_the_shipped_rule_files()
    {
        var builtIn = Remediator.Composition.BuiltInRules.Load(Remediator.Composition.GuardComposition.CreateLoader());

        Assert.True(builtIn.IsValid, string.Join('\n', builtIn.Errors));
        Assert.Equal(
            Directory.GetFiles(RepositoryPaths.Rules, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal),
            builtIn.Rules.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_user_group_approver_is_valid_with_a_warning_that_it_needs_the_bot_token()
    {
        var file = Write("grouped.yaml", """
            id: grouped-approval
            description: asks a user group
            concern: iam-broad-permissions
            severity: high
            mode: approve
            approval:
              approvers: [U0123ABCD, S0456EFGH]
            match: {source: [aws.iam]}
            detect:
              iam-broad-policy: {}
            remediate:
              - revert: {}
            """);

        var run = await CliRun.RunAsync("validate", file);

        Assert.Equal(ExitCodes.Clean, run.ExitCode);
        Assert.Contains("warning: grouped-approval: approvers S0456EFGH are Slack user groups", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("SlackBotTokenParameterName", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("U0123ABCD", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_detector_is_named_with_its_file_line_and_column()
    {
        var file = Write("bad.yaml", """
            id: bad-rule
            description: names a detector that does not exist
            concern: iam-broad-permissions
            severity: high
            mode: dry-run
            match: {source: [aws.iam]}
            detect:
              iam-broad-polcy: {}
            remediate:
              - notify: {}
            """);

        var run = await CliRun.RunAsync("validate", file);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{file}:8:3: detect.iam-broad-polcy:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("iam-broad-policy", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_pattern_and_a_bad_option_value_are_both_reported()
    {
        var file = Write("two-errors.yaml", """
            id: two-errors
            description: a pattern EventBridge refuses and a timeout beyond Lambda's limit
            concern: missing-timeout
            severity: medium
            mode: enforce
            match:
              source: [aws.lambda]
              detail:
                eventName: [{prefix: 5}]
            detect:
              lambda-timeout: {maximumSeconds: 901}
            remediate:
              - revert: {}
            """);

        var run = await CliRun.RunAsync("validate", file);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("detail.eventName[0]", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("detect.lambda-timeout.maximumSeconds", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", run.Stderr, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
