using System.Globalization;
using System.Text;
using Remediator.Core;
using Remediator.Core.Engine;

namespace Remediator.Cli.Output;

/// <summary>Where replay writes each event's decision: a table for people or JSON Lines for tools.</summary>
public interface IReplayReport
{
    Task EventAsync(EventEvaluation evaluation, string file, string position);

    Task ErrorAsync(string message, string file, string position);
}

/// <summary>
/// One JSON object per line for each event a rule matched (every event with <c>showUnmatched</c>); errors as
/// <c>{"error", "file", "position"}</c> lines in the same stream.
/// </summary>
public sealed class JsonReplayReport(TextWriter output, bool showUnmatched) : IReplayReport
{
    public Task EventAsync(EventEvaluation evaluation, string file, string position) =>
        evaluation.Rules.Count == 0 && evaluation.Skipped is null && !showUnmatched
            ? Task.CompletedTask
            : output.WriteLineAsync(EvaluationJson.EventLine(evaluation, file, position));

    public Task ErrorAsync(string message, string file, string position) =>
        output.WriteLineAsync(EvaluationJson.ErrorLine(message, file, position));
}

/// <summary>
/// Events that matched a rule, each with its findings and planned steps, indented for reading. Events no rule
/// matched are left out unless asked for: in a real trail they are nearly all.
/// </summary>
public sealed class TableReplayReport(TextWriter output, bool showUnmatched) : IReplayReport
{
    public async Task EventAsync(EventEvaluation evaluation, string file, string position)
    {
        var e = evaluation.Event;
        if (evaluation.Rules.Count == 0 && evaluation.Skipped is null && !showUnmatched)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{file} ({position})\n");
        text.Append(CultureInfo.InvariantCulture, $"  {e.EventName} on {e.EventSource}  event {e.EventId ?? "(no id)"}  by {e.Identity.Arn ?? e.Identity.PrincipalArn ?? e.Identity.InvokedBy ?? "(unknown)"}\n");
        if (evaluation.Skipped is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  skipped: {evaluation.Skipped}\n");
        }
        else if (evaluation.Rules.Count == 0)
        {
            text.Append("  no rule matched\n");
        }

        foreach (var rule in evaluation.Rules)
        {
            var head = $"  rule {rule.Rule.Id} [{EvaluationJson.ModeName(rule.Mode)}]";
            if (rule.Error is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{head}: ERROR {rule.Error}\n");
            }
            else if (rule.NotApplied is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{head}: not applied, {rule.NotApplied}\n");
            }
            else if (rule.Findings.Count == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{head}: matched, nothing found\n");
            }

            foreach (var decision in rule.Findings)
            {
                var f = decision.Finding;
                text.Append(CultureInfo.InvariantCulture, $"{head}: {f.Severity.ToName().ToUpperInvariant()} {f.Concern} {f.Check}\n");
                text.Append(CultureInfo.InvariantCulture, $"      resource: {f.Resource}\n");
                text.Append(CultureInfo.InvariantCulture, $"      {f.Summary}\n");
                foreach (var item in f.Evidence)
                {
                    text.Append(CultureInfo.InvariantCulture, $"      evidence: {item}\n");
                }

                var outcome = decision.Outcome == FindingOutcome.Planned ? "planned" : EvaluationJson.OutcomeName(decision.Outcome);
                text.Append(CultureInfo.InvariantCulture, $"      {outcome}{(decision.Reason is null ? "" : $" ({decision.Reason})")}:\n");
                foreach (var action in decision.PlannedActions)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        {action.Action,-10} {action.Operation,-32} {action.Description}\n");
                }
            }
        }

        await output.WriteLineAsync(text.ToString()).ConfigureAwait(false);
    }

    public Task ErrorAsync(string message, string file, string position) =>
        output.WriteLineAsync($"{file} ({position})\n  ERROR {message}\n");
}

/// <summary>Counts for the closing line of a replay.</summary>
public sealed class ReplaySummary
{
    private readonly SortedDictionary<string, int> _byConcern = new(StringComparer.Ordinal);

    public long Events { get; private set; }

    public long Matched { get; private set; }

    public long Skipped { get; private set; }

    public long Findings { get; private set; }

    public long Errors { get; set; }

    public long Notes { get; set; }

    /// <summary>An event no rule matched, counted from its bytes.</summary>
    public void AddNotWanted() => Events++;

    /// <summary>
    /// The one precedence a CI gate can rely on: malformed input (2) is never hidden by findings (1); 0 is neither.
    /// </summary>
    public int ExitCode() => Errors > 0 ? ExitCodes.BadInput : Findings > 0 ? ExitCodes.Findings : ExitCodes.Clean;

    public void Add(EventEvaluation evaluation)
    {
        Events++;
        Skipped += evaluation.Skipped is null ? 0 : 1;
        Matched += evaluation.Rules.Count > 0 ? 1 : 0;
        foreach (var decision in evaluation.Findings)
        {
            Findings++;
            _byConcern[decision.Finding.Concern] = _byConcern.GetValueOrDefault(decision.Finding.Concern) + 1;
        }
    }

    public string Describe(string ruleSource)
    {
        var concerns = _byConcern.Count == 0 ? "" : " (" + string.Join(", ", _byConcern.Select(c => $"{c.Value} {c.Key}")) + ")";
        return $"{Events} events read, {Matched} matched a rule, {Findings} finding(s){concerns}, {Skipped} skipped, " +
            $"{Errors} malformed, {Notes} note(s); rules from {ruleSource}; dry-run: nothing was changed.";
    }
}
