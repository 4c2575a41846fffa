using Remediator.Cli;

namespace Remediator.Cli.Tests;

/// <summary>Runs the CLI in-process, as a user would from a shell, and keeps what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public IEnumerable<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
