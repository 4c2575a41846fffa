using System.CommandLine;
using Remediator.Aws.Execution;
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
        var rules = ReplayCommand.RulesOption();
        var concern = new Option<string[]>("--concern")
        {
            Description = $"Sweep only these concerns ({string.Join(", ", Concerns.All)}). Repeatable. Default: all.",
            AllowMultipleArgumentsPerToken = true,
        };
        concern.AcceptOnlyFromAmong([.. Concerns.All]);
        var mode = new Option<string?>("--mode")
        {
            Description = "enforce or dry-run: overrides every rule's mode. Default: each rule's own mode.",
        };
        mode.AcceptOnlyFromAmong("enforce", "dry-run");
        var format = new Option<string>("--format")
        {
            Description = "table (for people) or json (one object per finding per line, then a summary line).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Resources described and judged at once (1-64). Default: 4.",
            DefaultValueFactory = _ => 4,
        };
        var own = ReplayCommand.OwnPrincipalOption();
        var aws = new AwsCommandOptions();

        var command = new Command(
            "sweep",
            "Judge every existing resource of the selected concerns with the same rules, detectors, exemptions and modes as " +
            "events, carry out enforce-mode plans, and record each finding once: an unchanged wrong resource is reported " +
            "'still open since ...' on later sweeps, and a finding for which no event was ever recorded counts as a missed event.\n" +
            "Exit code: 0 no findings, 1 findings, 2 bad input, 3 a change failed or a resource could not be judged.\n" +
            "  remediator sweep --mode dry-run --region eu-west-1\n" +
            "  remediator sweep --concern unencrypted-table --mode enforce --endpoint-url http://127.0.0.1:5000 --audit-file audit.jsonl")
        {
            rules, concern, mode, format, concurrency, own,
        };
        aws.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var ruleSet = RuleSources.Load(GuardComposition.CreateLoader(), parse.GetValue(rules), out var source);
            if (!ruleSet.IsValid)
            {
                foreach (var error in ruleSet.Errors)
                {
                    await stderr.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }

                return ExitCodes.BadInput;
            }

            RuleMode? modeOverride = parse.GetValue(mode) switch { "enforce" => RuleMode.Enforce, "dry-run" => RuleMode.DryRun, _ => null };
            AwsClients clients;
            AwsResourceInventory inventory;
            SweepAuditStore store;
            GuardOptions options;
            SweepOptions sweepOptions;
            try
            {
                var clientOptions = aws.ClientOptions(parse);
                sweepOptions = new SweepOptions
                {
                    Concerns = parse.GetValue(concern) is { Length: > 0 } chosen ? chosen : Concerns.All,
                    Concurrency = parse.GetValue(concurrency),
                    ModeOverride = modeOverride,
                }.Validated();
                var settings = await aws.SettingsAsync(parse, clientOptions, cancel).ConfigureAwait(false);
                clients = new AwsClients(clientOptions, settings);
                inventory = new AwsResourceInventory(clients, settings, sweepOptions.Concurrency);
                store = new SweepAuditStore(aws.Store(parse, () => clientOptions));
                options = new GuardOptions { OwnPrincipals = parse.GetValue(own) ?? [], ModeOverride = modeOverride }.Validated();
            }
            catch (Exception e) when (e is ArgumentException or Amazon.Runtime.AmazonServiceException)
            {
                await stderr.WriteLineAsync($"remediator sweep: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            using (clients)
            using (inventory)
            {
                var ports = AwsStatePorts.Create(clients);
                var history = new AuditRemediationHistory(store);
                var coordinator = new RemediationCoordinator(store, new AwsStepExecutor(clients), TimeProvider.System);
                var runner = new SweepRunner(inventory, () => GuardComposition.CreateEngine(ruleSet.Rules, ports, options, history), coordinator, store, sweepOptions);
                var json = parse.GetValue(format) == "json";
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
                    $"{summary.FailedResources} resources not judged, {summary.MissedEvents} missed events; rules from {source}; recorded in {where}.")
                    .ConfigureAwait(false);
                return summary.FailedChanges + summary.FailedResources > 0 ? ExitCodes.RemediationFailed
                    : summary.NewFindings + summary.StillOpen > 0 ? ExitCodes.Findings
                    : ExitCodes.Clean;
            }
        });
        return command;
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
