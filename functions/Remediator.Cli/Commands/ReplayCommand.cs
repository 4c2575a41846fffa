using System.CommandLine;
using Remediator.Cli.Output;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Ports.Offline;
using Remediator.Detectors;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator replay</c>: the guard's whole decision, in dry-run, over recorded CloudTrail events. Nothing is
/// changed anywhere; each rule's mode is shown so people see what an enforcing guard would do.
/// </summary>
public static class ReplayCommand
{
    private const int MaxNotesShown = 20;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Event files or folders (*.json, *.jsonl, *.json.gz below them), or - for standard input. " +
                "Any shape: EventBridge envelopes, raw CloudTrail records, S3 log files {\"Records\": [...]}, JSON Lines, " +
                "SNS/SQS-wrapped envelopes, LookupEvents output.",
            Arity = ArgumentArity.OneOrMore,
        };
        var rules = RulesOption();
        var format = new Option<string>("--format")
        {
            Description = "table (for people) or json (one JSON object per event per line; errors as {\"error\", \"file\", \"position\"}).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        var own = OwnPrincipalOption();
        var all = new Option<bool>("--all")
        {
            Description = "Table format: also list events that matched no rule.",
        };

        var command = new Command(
            "replay",
            "Replay recorded CloudTrail events against the rules in dry-run: for each event the rules that matched, the " +
            "findings and the planned actions, then a summary. Reads the current state of nothing (offline): detectors " +
            "judge what the event says. A malformed event is reported with file and position, and the rest is processed.\n" +
            "Exit code: 0 no findings, 1 findings (gate CI on it), 2 bad rules, unreadable input or malformed events.\n" +
            "  remediator replay tests/fixtures/cloudtrail\n" +
            "  remediator replay trail-logs/ --rules rules/ --format json > findings.jsonl\n" +
            "  aws cloudtrail lookup-events --max-results 50 | remediator replay -")
        {
            paths, rules, format, own, all,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var ruleSet = RuleSources.Load(GuardComposition.CreateLoader(), parse.GetValue(rules), out var source);
            if (!ruleSet.IsValid)
            {
                foreach (var error in ruleSet.Errors)
                {
                    await stderr.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }

                await stderr.WriteLineAsync($"remediator replay: {ruleSet.Errors.Count} error(s) in {source}; fix them first (remediator validate).").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            GuardOptions options;
            try
            {
                options = new GuardOptions { OwnPrincipals = parse.GetValue(own) ?? [] }.Validated();
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"remediator replay: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var engine = GuardComposition.CreateEngine(ruleSet.Rules, OfflineStatePorts.Create(), options);
            var json = parse.GetValue(format) == "json";
            using var progress = json ? null : ProgressBar.ForTerminal(stderr);
            var reader = new EventReader(new EventReaderOptions { Progress = progress });
            var report = json ? (IReplayReport)new JsonReplayReport(stdout) : new TableReplayReport(stdout, parse.GetValue(all));
            var summary = new ReplaySummary();

            foreach (var result in reader.Read(parse.GetValue(paths)!))
            {
                cancel.ThrowIfCancellationRequested();
                switch (result)
                {
                    case EventRead read:
                        var evaluation = await engine.EvaluateAsync(read.Event, cancel).ConfigureAwait(false);
                        summary.Add(evaluation);
                        await report.EventAsync(evaluation, read.File, read.Position).ConfigureAwait(false);
                        if (progress is not null)
                        {
                            progress.Events = summary.Events;
                        }

                        break;
                    case EventReadError error:
                        summary.Errors++;
                        await report.ErrorAsync(error.Message, error.File, error.Position).ConfigureAwait(false);
                        break;
                    case EventReadNote note:
                        // A bus log can hold thousands of non-CloudTrail events: show the first notes, count the rest.
                        if (++summary.Notes <= MaxNotesShown)
                        {
                            await stderr.WriteLineAsync($"note: {note.File} ({note.Position}): {note.Message}").ConfigureAwait(false);
                        }

                        break;
                }
            }

            progress?.Dispose();
            await stderr.WriteLineAsync(summary.Describe(source)).ConfigureAwait(false);
            return summary.Findings > 0 ? ExitCodes.Findings : summary.Errors > 0 ? ExitCodes.BadInput : ExitCodes.Clean;
        });
        return command;
    }

    internal static Option<string[]> RulesOption() => new("--rules")
    {
        Description = "Rule files or folders. Default: ./rules when it exists, else the default rules built into remediator.",
        AllowMultipleArgumentsPerToken = true,
    };

    internal static Option<string[]> OwnPrincipalOption() => new("--own-principal")
    {
        Description = "ARN pattern (* allowed) of the guard's own principals, whose changes are never judged. Repeatable.",
    };
}
