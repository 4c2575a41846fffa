namespace Remediator.Cli.Tests;

/// <summary>The root <c>--help</c> is where a new user starts: it must name every command the CLI has.</summary>
public sealed class RootHelpTests
{
    [Fact]
    public async Task The_root_help_names_every_command_in_its_description_and_lists_them_all()
    {
        var run = await CliRun.RunAsync("--help");

        var description = run.Stdout.Split("Usage:", 2)[0];
        var listed = run.Stdout[run.Stdout.IndexOf("Commands:", StringComparison.Ordinal)..]
            .Split('\n')
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0])
            .ToList();

        Assert.Superset(new HashSet<string> { "validate", "replay", "explain", "match", "apply", "audit", "undo", "redrive", "schema", "synth", "check-template" }, listed.ToHashSet());
        Assert.All(listed, command => Assert.Contains(command, description, StringComparison.Ordinal));
    }
}
