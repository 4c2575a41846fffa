using System.CommandLine;
using Remediator.Cli.Commands;

namespace Remediator.Cli;

/// <summary>The <c>remediator</c> command line: one sub-command per file in Commands/.</summary>
public static class CliApp
{
    /// <param name="environment">Reads environment variables; null: the process environment (see <see cref="CliEnvironment"/>).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?>? environment = null)
    {
        CliEnvironment.Use(environment);
        var root = new RootCommand(
            "Remediator: a continuous compliance guard for AWS accounts. validate checks rule files; replay and explain " +
            "run CloudTrail events against them in dry-run; match runs the EventBridge pattern matcher alone; apply acts " +
            "as the guard does and records in the audit trail; sweep judges what exists; audit reads the trail; undo " +
            "restores a change; pending, approve and deny handle fixes that wait for approval; redrive re-runs the " +
            "failure queue; schema writes the rules' JSON Schema; synth writes the template's event patterns; " +
            "check-template runs the rules over a CloudFormation template.");
        foreach (var command in Commands(stdout, stderr))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"remediator: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'remediator --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await parsed.InvokeAsync(config).ConfigureAwait(false);
    }

    private static IEnumerable<Command> Commands(TextWriter stdout, TextWriter stderr)
    {
        yield return ValidateCommand.Create(stdout, stderr);
        yield return ReplayCommand.Create(stdout, stderr);
        yield return ExplainCommand.Create(stdout, stderr);
        yield return ApplyCommand.Create(stdout, stderr);
        yield return SweepCommand.Create(stdout, stderr);
        yield return AuditCommand.Create(stdout, stderr);
        yield return UndoCommand.Create(stdout, stderr);
        yield return DecisionCommands.Pending(stdout, stderr);
        yield return DecisionCommands.Approve(stdout, stderr);
        yield return DecisionCommands.Deny(stdout, stderr);
        yield return MatchCommand.Create(stdout, stderr);
        yield return SchemaCommand.Create(stdout, stderr);
        yield return SynthCommand.Create(stdout, stderr);
        yield return CheckTemplateCommand.Create(stdout, stderr);
        yield return RedriveCommand.Create(stdout, stderr);
        yield return TestCommand.Create(stdout, stderr);
    }
}
