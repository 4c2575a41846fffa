using System.CommandLine;
using Remediator.Operations;
using Remediator.Cli.Output;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Cli.Commands;

/// <summary><c>remediator undo</c>: put a resource back as it was before an automatic change, from its audit record.</summary>
public static class UndoCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("audit-id") { Description = "The audit record's id (remediator audit shows it; Slack messages carry it)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the steps that would restore the before-state; change nothing." };
        var aws = new AwsCommandOptions();
        var command = new Command(
            "undo",
            "Restore the before-state of an automatic change, step by step in reverse order, and record the undo in the audit " +
            "trail (the original is marked undone). Refuses records that changed nothing, that are already undone, or whose " +
            "before-state was not captured.\n" +
            "Exit code: 0 restored, 2 refused or not found, 3 a step failed.\n" +
            "  remediator undo 'e0b3.../iam-admin-wildcard' --audit-table remediator-audit --region us-east-1")
        {
            id, dryRun,
        };
        aws.AddTo(command);
        command.SetAction((parse, cancel) => RunAsync(parse, stdout, stderr, id, dryRun, aws, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, Argument<string> id, Option<bool> dryRun, AwsCommandOptions aws, CancellationToken cancel)
    {
        try
        {
            var options = aws.ClientOptions(parse);
            var store = aws.Store(parse, () => options);
            using var clients = await aws.ClientsAsync(parse, options, cancel).ConfigureAwait(false);
            var service = new UndoService(store, AwsStepExecutor.Bound(clients, account: null), new UndoPlanner(OperationCatalogue.Index), TimeProvider.System);
            var result = await service.UndoAsync(parse.GetValue(id)!, parse.GetValue(dryRun), cancel).ConfigureAwait(false);
            if (result.Refused is not null)
            {
                await stderr.WriteLineAsync($"remediator undo: {result.Refused}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            if (result.Undo is not null)
            {
                await stdout.WriteLineAsync(AuditText.Block(result.Undo)).ConfigureAwait(false);
            }

            if (parse.GetValue(dryRun))
            {
                return ExitCodes.Clean;
            }

            return result.Succeeded ? ExitCodes.Clean : ExitCodes.RemediationFailed;
        }
        catch (Exception e) when (e is ArgumentException or Amazon.Runtime.AmazonServiceException)
        {
            await stderr.WriteLineAsync($"remediator undo: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
    }
}
