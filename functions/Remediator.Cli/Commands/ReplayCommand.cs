using System.CommandLine;
using Remediator.Cli.Output;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Patterns;
using Remediator.Core.Ports.Offline;
using Remediator.Composition;

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
            Description = "Event files or folders (*.json, *.jsonl, *.json.gz, *.zip below them), or - for standard input. " +
                "Any shape: EventBridge envelopes, raw CloudTrail records, S3 log files {\"Records\": [...]}, JSON Lines, " +
                "SNS/SQS-wrapped envelopes, LookupEvents output.",
            Arity = ArgumentArity.OneOrMore,
        };
        var rules = RulesOption();
        var format = new Option<string>("--format")
        {
            Description = "table (for people) or json (one JSON object per line for each event a rule matched, or every event with --all; errors as {\"error\", \"file\", \"position\"}).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        var own = OwnPrincipalOption();
        var all = new Option<bool>("--all")
        {
            Description = "Also list events that matched no rule (both formats). Without it they are counted from their bytes, not parsed.",
        };

        var command = new Command(
            "replay",
            "Replay recorded CloudTrail events against the rules in dry-run: for each event the rules that matched, the " +
            "findings and the planned actions, then a summary. Reads the current state of nothing (offline): detectors " +
            "judge what the event says. A malformed event is reported with file and position, and the rest is processed.\n" +
            "Exit code, first that applies: 2 bad rules, unreadable input or any malformed event (even when there are findings: " +
            "bad input is never hidden), 1 findings (gate CI on it), 0 neither.\n" +
            "  remediator replay tests/fixtures/cloudtrail\n" +
            "  remediator replay trail-logs/ --rules rules/ --format json > findings.jsonl\n" +
            "  aws cloudtrail lookup-events --max-results 50 | remediator replay -")
        {
            paths, rules, format, own, all,
        };
        command.SetAction((parse, cancel) => RunAsync(
            new ReplayRequest(parse.GetValue(paths)!, parse.GetValue(rules), parse.GetValue(format) == "json", parse.GetValue(own) ?? [], parse.GetValue(all)),
            stdout,
            stderr,
            cancel));
        return command;
    }

    /// <summary>What one replay was asked to do.</summary>
    private sealed record ReplayRequest(string[] Paths, string[]? Rules, bool Json, string[] OwnPrincipals, bool All);

    private static async Task<int> RunAsync(ReplayRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var ruleSet = RuleSources.Load(GuardComposition.CreateLoader(), request.Rules, out var source);
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
            options = new GuardOptions { OwnPrincipals = request.OwnPrincipals }.Validated();
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"remediator replay: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var engine = GuardComposition.CreateEngine(ruleSet.Rules, OfflineStatePorts.Create(), options);
        using var progress = request.Json ? null : ProgressBar.ForTerminal(stderr);

        // Unless every event is to be listed, events no rule matches are counted from their bytes, never parsed.
        var interest = request.All ? null : new EventInterest(ruleSet.Rules.Select(r => EventPattern.Parse(r.Match)));
        var reader = new EventReader(new EventReaderOptions { Progress = progress, Interest = interest });
        var report = request.Json ? (IReplayReport)new JsonReplayReport(stdout, request.All) : new TableReplayReport(stdout, request.All);
        var summary = new ReplaySummary();

        foreach (var result in reader.Read(request.Paths))
        {
            cancel.ThrowIfCancellationRequested();
            switch (result)
            {
                case EventNotWanted:
                    summary.AddNotWanted();
                    break;
                case EventRead read:
                    EventEvaluation evaluation;
                    try
                    {
                        evaluation = await engine.EvaluateAsync(read.Event, cancel).ConfigureAwait(false);
                    }
                    catch (MalformedEventException e)
                    {
                        // Read, but not matchable (e.g. a lone surrogate escape deep in the request): one error line.
                        summary.Errors++;
                        await report.ErrorAsync(e.Message, read.File, read.Position).ConfigureAwait(false);
                        break;
                    }

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
        return summary.ExitCode();
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
