namespace Remediator.Cli;

/// <summary>
/// Where the CLI reads environment variables (AWS_REGION and friends): the process environment, unless
/// <see cref="CliApp.RunAsync(string[], TextWriter, TextWriter, Func{string, string?}?)"/> was given another source.
/// The source flows with the run (an <see cref="AsyncLocal{T}"/>), so runs in one process with different
/// environments (tests in parallel) never see each other's, and no test has to change the process environment.
/// </summary>
public static class CliEnvironment
{
    private static readonly AsyncLocal<Func<string, string?>?> Source = new();

    public static string? Read(string name) => (Source.Value ?? Environment.GetEnvironmentVariable)(name);

    internal static void Use(Func<string, string?>? source) => Source.Value = source;
}
