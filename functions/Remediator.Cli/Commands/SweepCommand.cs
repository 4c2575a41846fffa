using System.CommandLine;
using Remediator.Operations;
using Remediator.Aws.Inventory;
using Remediator.Aws.State;
using Remediator.Cli.Output;
using Remediator.Core;
using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Execution;
using Remediator.Core.Rules;
using Remediator.Core.Sweep;
using Remediator.Composition;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator sweep</c>: the same rules over what exists now, for the changes whose events never arrived. Each
/// resource the account holds goes through the engine and coordinator exactly as its event would (see
/// <see cref="SweepRunner"/>); a wrong resource is recorded once and reported "still open since" on later sweeps.
/// </summary>
public static class SweepCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var run = new GuardRunOptions(
            "sweep",
            "enforce or dry-run: overrides every rule's mode. Default: each rule's own mode.",
            "table (for people) or json (one object per finding per line, then a summary line).");
        var concern = new Option<string[]>("--concern")
        {
            Description = $"Sweep only these concerns ({string.Join(", ", Concerns.All)}). Repeatable. Default: all.",
            AllowMultipleArgumentsPerToken = true,
        };
        concern.AcceptOnlyFromAmong([.. Concerns.All]);
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Resources described and judged at once (1-64). Default: 4.",
            DefaultValueFactory = _ => 4,
        };

        var command = new Command(
            "sweep",
            "Judge every existing resource of the selected concerns with the same rules, detectors, exemptions and modes as " +
            "events, carry out enforce-mode plans, and record each finding once: an unchanged wrong resource is reported " +
            "'still open since ...' on later sweeps, and a finding for which no event was ever recorded counts as a missed event.\n" +
            "Exit code: 0 no findings, 1 findings, 2 bad input, 3 a change failed or a resource could not be judged.\n" +
            "  remediator sweep --mode dry-run --region eu-west-1\n" +
            "  remediator sweep --concern unencrypted-table --mode enforce --endpoint-url http://127.0.0.1:5000 --audit-file audit.jsonl")
        {
            run.Rules, concern, run.Mode, run.Format, concurrency, run.Own,
        };
        run.Aws.AddTo(command);
        command.SetAction((parse, cancel) => RunAsync(parse, parse.GetValue(concern), parse.GetValue(concurrency), run, stdout, stderr, cancel));
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parse, string[]? concerns, int concurrency, GuardRunOptions run, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (await run.RulesAsync(parse, stderr).ConfigureAwait(false) is not { } rules)
        {
            return ExitCodes.BadInput;
        }

        GuardRun guard;
        AwsResourceInventory inventory;
        SweepAuditStore store;
        SweepOptions sweepOptions;
        try
        {
            sweepOptions = new SweepOptions
            {
                Concerns = concerns is { Length: > 0 } chosen ? chosen : Concerns.All,
                Concurrency = concurrency,
                ModeOverride = run.ModeOverride(parse),
            }.Validated();
            guard = await run.OpenAsync(parse, cancel).ConfigureAwait(false);
            inventory = new AwsResourceInventory(guard.Clients, guard.Settings, sweepOptions.Concurrency);
            store = new SweepAuditStore(guard.Store);
        }
        catch (Exception e) when (GuardRunOptions.IsBadInput(e))
        {
            return await run.BadInputAsync(stderr, e).ConfigureAwait(false);
        }

        using (guard)
        using (inventory)
        {
            var clients = guard.Clients;
            var ports = AwsStatePorts.Create(clients);
            var history = new AuditRemediationHistory(store);
            var coordinator = new RemediationCoordinator(store, AwsStepExecutor.Bound(clients, account: null), TimeProvider.System);
            var runner = new SweepRunner(inventory, () => GuardComposition.CreateEngine(rules.Rules, ports, guard.Options, history), coordinator, store, sweepOptions);
            var json = run.Json(parse);
            var output = new SemaphoreSlim(1);
            var progress = SweepProgress.ForTerminal(stderr);
            SweepSummary summary;
            string account;
            try
            {
                account = await inventory.AccountAsync(cancel).ConfigureAwait(false);
                summary = await runner.RunAsync(async result =>
                {
                    await output.WaitAsync(cancel).ConfigureAwait(false);
                    try
                    {
                        progress?.Report(result);
                        await WriteAsync(stdout, result, json).ConfigureAwait(false);
                    }
                    finally
                    {
                        output.Release();
                    }
                }, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or Aws.Transport.AwsServiceException or HttpRequestException)
            {
                progress?.Dispose();
                await stderr.WriteLineAsync($"remediator sweep: {e.Message}").ConfigureAwait(false);
                return ExitCodes.RemediationFailed;
            }

            progress?.Dispose();
            if (json)
            {
                await stdout.WriteLineAsync(SweepJson.Summary(summary, account, inventory.Region)).ConfigureAwait(false);
            }

            var where = store.Inner is JsonLinesAuditStore file ? file.Path : "the DynamoDB audit table";
            await stderr.WriteLineAsync(
                $"swept {summary.Resources} resources in account {account}, {inventory.Region}: {summary.NewFindings} new findings, " +
                $"{summary.StillOpen} still open, {summary.Applied} fixed, {summary.FailedChanges} failed changes, " +
                $"{summary.FailedResources} resources not judged, {summary.MissedEvents} missed events; rules from {rules.Source}; recorded in {where}.")
                .ConfigureAwait(false);
            return summary.FailedChanges + summary.FailedResources > 0 ? ExitCodes.RemediationFailed
                : summary.NewFindings + summary.StillOpen > 0 ? ExitCodes.Findings
                : ExitCodes.Clean;
        }
    }

    private static async Task WriteAsync(TextWriter stdout, SweepResourceResult result, bool json)
    {
        if (result.Error is not null)
        {
            await stdout.WriteLineAsync(json ? SweepJson.Failure(result) : $"{"FAILED",-18} {result.Concern,-34} {result.Resource}  ({result.Error})").ConfigureAwait(false);
        }

        foreach (var finding in result.Findings)
        {
            if (json)
            {
                await stdout.WriteLineAsync(SweepJson.Finding(finding)).ConfigureAwait(false);
            }
            else if (finding.IsNew)
            {
                var line = AuditText.Line(finding.Record);
                await stdout.WriteLineAsync(finding.Record.MissedEvent == true ? line + "\n" + new string(' ', 18) + " missed event: no event for this change was ever recorded" : line).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync(
                    $"{"STILL OPEN",-18} {finding.Record.Rule,-34} {finding.Record.Resource}  since {AuditJson.FormatTime(finding.OpenSince!.Value)} ({finding.Record.Outcome.ToName()}, id {finding.Record.Id})")
                    .ConfigureAwait(false);
            }
        }
    }
}
