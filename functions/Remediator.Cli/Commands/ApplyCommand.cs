using System.CommandLine;
using Remediator.Cli.Output;
using Remediator.Core.Audit;
using Remediator.Core.Events;
using Remediator.Core.Execution;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator apply</c>: the guard's decision and its remediation, from the command line: re-reads each resource,
/// carries out the plans of enforce-mode rules, records every decision in the audit trail (exactly once per event and
/// rule, however often the same event is applied).
/// </summary>
public static class ApplyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Event files or folders (any shape replay reads), or - for standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var run = new GuardRunOptions(
            "apply",
            "enforce or dry-run: overrides every rule's mode (e.g. enforce everything in a sandbox account). " +
            "Default: each rule's own mode; dry-run rules are recorded, not applied.",
            "table (for people) or json (one audit record per line).");

        var command = new Command(
            "apply",
            "Evaluate events against the rules with the CURRENT state of each resource read from AWS, carry out the plans of " +
            "enforce-mode rules (revert, quarantine, tag), and record every decision in the audit trail — dry-run ones too. " +
            "The same event applied twice changes nothing and records nothing the second time; an apply killed mid-fix leaves its " +
            "record in progress for 5 minutes, after which the next apply of the event takes it over and finishes the fix.\n" +
            "Exit code: 0 no findings, 1 findings (handled), 2 bad input, 3 a change failed or was only partly made.\n" +
            "  remediator apply events/ --mode dry-run --region eu-west-1\n" +
            "  remediator apply event.json --mode enforce --endpoint-url http://127.0.0.1:5000 --audit-file audit.jsonl")
        {
            paths, run.Rules, run.Mode, run.Format, run.Own,
        };
        run.Aws.AddTo(command);
        command.SetAction((parse, cancel) => RunAsync(parse, parse.GetValue(paths)!, run, stdout, stderr, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string[] paths, GuardRunOptions run, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (await run.RulesAsync(parse, stderr).ConfigureAwait(false) is not { } rules)
        {
            return ExitCodes.BadInput;
        }

        GuardRun guard;
        try
        {
            guard = await run.OpenAsync(parse, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (GuardRunOptions.IsBadInput(e))
        {
            return await run.BadInputAsync(stderr, e).ConfigureAwait(false);
        }

        using (guard)
        {
            var applier = new EventApplier(rules.Rules, guard.Clients, guard.Store, guard.Options);
            var json = run.Json(parse);
            var tally = new ApplyTally();
            foreach (var result in new EventReader(new EventReaderOptions()).Read(paths))
            {
                switch (result)
                {
                    case EventRead read:
                        IReadOnlyList<AuditRecord> records;
                        try
                        {
                            records = await applier.ApplyAsync(read.Event, cancel).ConfigureAwait(false);
                        }
                        catch (StepOutcomeUnknownException e)
                        {
                            // Neither failed nor done can be said: the record stays in progress for a later apply.
                            tally.Unknown++;
                            await stderr.WriteLineAsync(
                                $"{read.Event.EventId}: {e.Message}. Its record stays in progress: apply this event again after {RecordLease.WithoutDeadline.TotalMinutes:0} minutes to finish it.").ConfigureAwait(false);
                            break;
                        }

                        foreach (var record in records)
                        {
                            tally.Add(record);
                            await stdout.WriteLineAsync(json ? AuditJson.ToJson(record) : AuditText.Line(record)).ConfigureAwait(false);
                        }

                        break;
                    case EventReadError error:
                        tally.Errors++;
                        await stderr.WriteLineAsync($"{error.File} ({error.Position}): {error.Message}").ConfigureAwait(false);
                        break;
                }
            }

            await stderr.WriteLineAsync(tally.Describe(rules.Source, guard.Store)).ConfigureAwait(false);
            return tally.ExitCode;
        }
    }

    private sealed class ApplyTally
    {
        private readonly SortedDictionary<string, int> _outcomes = new(StringComparer.Ordinal);

        public int Errors { get; set; }

        private int Findings { get; set; }

        private int Failed { get; set; }

        public void Add(AuditRecord record)
        {
            var name = record.IsDuplicateDelivery ? "duplicate" : record.Outcome.ToName();
            _outcomes[name] = _outcomes.GetValueOrDefault(name) + 1;
            if (record.Outcome is AuditOutcome.Failed or AuditOutcome.PartiallyApplied)
            {
                Failed++;
            }

            // A finding (a record with a check) counts even on a second delivery: the problem was there.
            Findings += record.Check is null ? 0 : 1;
        }

        /// <summary>Events whose fix may or may not have been made (left in progress for a later apply).</summary>
        public int Unknown { get; set; }

        public int ExitCode =>
            Failed > 0 || Unknown > 0 ? ExitCodes.RemediationFailed
            : Findings > 0 ? ExitCodes.Findings
            : Errors > 0 ? ExitCodes.BadInput
            : ExitCodes.Clean;

        public string Describe(string ruleSource, IAuditStore store)
        {
            var where = store is JsonLinesAuditStore file ? file.Path : "the DynamoDB audit table";
            var outcomes = _outcomes.Count == 0 ? "no records" : string.Join(", ", _outcomes.Select(o => $"{o.Value} {o.Key}"));
            var unknown = Unknown == 0 ? string.Empty : $"; {Unknown} left in progress (outcome unknown)";
            return $"{outcomes}{unknown}; {Errors} malformed; rules from {ruleSource}; recorded in {where}.";
        }
    }
}
