using Remediator.Cli;

namespace Remediator.Cli.Tests;

/// <summary>Runs the CLI in-process, as a user would from a shell, and keeps what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static Task<CliRun> RunAsync(params string[] args) => RunWithEnvironmentAsync(null, args);

    /// <summary>Runs with environment variables read from <paramref name="environment"/> (null: the process's), never changing the process's.</summary>
    public static async Task<CliRun> RunWithEnvironmentAsync(Func<string, string?>? environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, environment);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public IEnumerable<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
