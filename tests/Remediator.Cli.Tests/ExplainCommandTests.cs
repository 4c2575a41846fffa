using Remediator.Testing;

namespace Remediator.Cli.Tests;

public sealed class ExplainCommandTests
{
    [Fact]
    public async Task Explains_field_by_field_why_rules_match_or_not_and_what_was_found()
    {
        var run = await CliRun.RunAsync(
            "explain", Path.Combine(RepositoryPaths.Fixtures, "cloudtrail", "lambda", "CreateFunction20150331__1.json"), "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("MATCH    lambda-timeout", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("no match dynamodb-table-kms", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("NOT detail.eventSource: expected \"dynamodb.amazonaws.com\", got \"lambda.amazonaws.com\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("would revert: lambda:UpdateFunctionConfiguration", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_an_event_is_bad_input()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "[]");
            var run = await CliRun.RunAsync("explain", file, "--rules", RepositoryPaths.Rules);

            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Contains("no event", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
