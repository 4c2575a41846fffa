using System.CommandLine;
using System.Text;
using Remediator.Core;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Patterns;
using Remediator.Core.Ports.Offline;
using Remediator.Composition;

namespace Remediator.Cli.Commands;

/// <summary><c>remediator explain</c>: why each rule did or did not match one event, field by field.</summary>
public static class ExplainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var eventPath = new Argument<string>("event")
        {
            Description = "A file holding the event (any shape replay reads; the first event is explained), or - for standard input.",
        };
        var rules = ReplayCommand.RulesOption();
        var command = new Command(
            "explain",
            "Explain one event: for every rule, whether its EventBridge pattern matched and why, field by field; for the " +
            "rules that matched, what the detector found and the planned actions (dry-run).\n" +
            "  remediator explain tests/fixtures/cloudtrail/iam/PutUserPolicy__2.json\n" +
            "  remediator explain event.json --rules my-rules/")
        {
            eventPath, rules,
        };
        command.SetAction((parse, cancel) => RunAsync(parse.GetValue(eventPath)!, parse.GetValue(rules), stdout, stderr, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string path, string[]? rules, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (await RuleSources.LoadValidAsync(rules, stderr).ConfigureAwait(false) is not { } ruleSet)
        {
            return ExitCodes.BadInput;
        }

        CloudTrailEvent? e = null;
        var others = 0;
        foreach (var result in new EventReader(new EventReaderOptions()).Read([path]))
        {
            switch (result)
            {
                case EventRead read when e is null:
                    e = read.Event;
                    break;
                case EventRead:
                    others++;
                    break;
                case EventReadError error:
                    await stderr.WriteLineAsync($"{error.File} ({error.Position}): {error.Message}").ConfigureAwait(false);
                    break;
            }
        }

        if (e is null)
        {
            await stderr.WriteLineAsync($"remediator explain: no event in {path}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        if (others > 0)
        {
            await stderr.WriteLineAsync($"note: {path} holds {others + 1} events; explaining the first.").ConfigureAwait(false);
        }

        var evaluation = await GuardComposition.CreateEngine(ruleSet.Rules, OfflineStatePorts.Create(), new GuardOptions())
            .EvaluateAsync(e, cancel).ConfigureAwait(false);
        await stdout.WriteAsync(Describe(e, ruleSet.Rules, evaluation, ruleSet.Source)).ConfigureAwait(false);
        return evaluation.HasFindings ? ExitCodes.Findings : ExitCodes.Clean;
    }

    private static string Describe(CloudTrailEvent e, IReadOnlyList<Core.Rules.Rule> rules, EventEvaluation evaluation, string source)
    {
        var text = new StringBuilder();
        text.AppendLine($"event {e.EventId ?? "(no id)"}: {e.EventName} on {e.EventSource}, {e.AwsRegion ?? "(no region)"}, by {e.Identity.Arn ?? e.Identity.PrincipalArn ?? "(unknown)"}");
        text.AppendLine($"rules from {source}");
        if (evaluation.Skipped is not null)
        {
            text.AppendLine($"the guard skips this event: {evaluation.Skipped}");
        }

        foreach (var rule in rules)
        {
            var pattern = EventPattern.Parse(rule.Match);
            var matched = pattern.Matches(e.Envelope);
            text.AppendLine();
            text.AppendLine($"{(matched ? "MATCH   " : "no match")} {rule.Id} ({rule.Concern})");
            foreach (var field in pattern.Explain(e.Envelope))
            {
                text.AppendLine($"  {(field.Matched ? "ok " : "NOT")} {field.Path}: expected {field.Expected}, got {field.Actual}");
            }

            var outcome = evaluation.Rules.FirstOrDefault(r => ReferenceEquals(r.Rule, rule));
            if (outcome is null)
            {
                continue;
            }

            if (outcome.NotApplied is not null)
            {
                text.AppendLine($"  not applied: {outcome.NotApplied}");
            }

            if (outcome.Error is not null)
            {
                text.AppendLine($"  detector error: {outcome.Error}");
            }

            if (outcome.Findings.Count == 0 && outcome.NotApplied is null && outcome.Error is null)
            {
                text.AppendLine($"  {rule.Detect.Descriptor.Name} found nothing");
            }

            foreach (var decision in outcome.Findings)
            {
                var f = decision.Finding;
                text.AppendLine($"  finding: {f.Severity.ToName()} {f.Check} on {f.Resource}: {f.Summary}");
                foreach (var action in decision.PlannedActions)
                {
                    text.AppendLine($"    would {action.Action}: {action.Operation} {action.Description}");
                }
            }
        }

        return text.ToString();
    }
}
