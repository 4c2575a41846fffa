using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Remediator.Cli.Template;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Ports.Offline;
using Remediator.Composition;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator test CASES...</c>: golden-file tests for rule authors. Each <c>*.test.yaml</c> (or <c>*.test.json</c>)
/// names one recorded CloudTrail event or one template and the decision expected from each rule; the command runs the
/// rules offline, compares, and prints a diff for every case that does not match.
/// </summary>
public static class TestCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cases = new Argument<string[]>("cases")
        {
            Description = "Case files (*.test.yaml, *.test.json) or folders holding them.",
            Arity = ArgumentArity.OneOrMore,
        };
        var rules = ReplayCommand.RulesOption();
        var command = new Command(
            "test",
            "Golden-file tests for rules. A case file:\n" +
            "  event: events/put-admin-policy.json     # a recorded CloudTrail event (path relative to the case), or\n" +
            "  template: templates/app.yaml            # a CloudFormation/SAM template\n" +
            "  expect:\n" +
            "    - rule: iam-admin-wildcard\n" +
            "      finding: true\n" +
            "      plannedActions: [iam:DeleteRolePolicy, iam:TagRole, notify]   # events: operations (or action names), in order\n" +
            "    - rule: iam-public-trust\n" +
            "      finding: false\n" +
            "Exit code, first that applies (as replay): 2 bad rules or an unreadable case, 1 a case fails (a diff is printed), 0 all pass.\n" +
            "  remediator test tests/rule-tests/ --rules rules/")
        {
            cases, rules,
        };
        command.SetAction((parse, cancel) => RunAsync(parse.GetValue(cases) ?? [], parse.GetValue(rules), stdout, stderr, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string[] cases, string[]? rules, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (await RuleSources.LoadValidAsync(rules, stderr).ConfigureAwait(false) is not { } ruleSet)
        {
            return ExitCodes.BadInput;
        }

        var files = new List<string>();
        foreach (var path in cases)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsCase).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                await stderr.WriteLineAsync($"remediator test: {path}: no such file or folder").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        }

        var passed = 0;
        var failed = 0;
        var broken = 0;
        foreach (var file in files)
        {
            string? diff;
            try
            {
                diff = await RunCaseAsync(file, ruleSet.Rules, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TemplateReadException or IOException or InvalidDataException)
            {
                broken++;
                await stderr.WriteLineAsync($"ERROR {file}: {e.Message}").ConfigureAwait(false);
                continue;
            }

            if (diff is null)
            {
                passed++;
                await stdout.WriteLineAsync($"ok    {file}").ConfigureAwait(false);
            }
            else
            {
                failed++;
                await stdout.WriteLineAsync($"FAIL  {file}\n{diff}").ConfigureAwait(false);
            }
        }

        await stderr.WriteLineAsync($"{passed} passed, {failed} failed, {broken} unreadable ({files.Count} case(s), rules from {ruleSet.Source})").ConfigureAwait(false);
        return broken > 0 || files.Count == 0 ? ExitCodes.BadInput : failed > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }

    private static bool IsCase(string file) =>
        file.EndsWith(".test.yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".test.yml", StringComparison.OrdinalIgnoreCase)
        || file.EndsWith(".test.json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the case passes, else the diff: one "- expected" / "+ actual" pair per rule that differs.</summary>
    private static async Task<string?> RunCaseAsync(string file, IReadOnlyList<Core.Rules.Rule> rules, CancellationToken cancel)
    {
        var spec = TemplateReader.ReadData(await File.ReadAllTextAsync(file, cancel).ConfigureAwait(false), file) as JsonObject
            ?? throw new InvalidDataException("a case is a mapping with event or template, and expect");
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var expectations = (spec["expect"] as JsonArray ?? throw new InvalidDataException("expect: a list of {rule, finding, plannedActions}"))
            .Select(e => e as JsonObject ?? throw new InvalidDataException("each expect entry is a mapping")).ToList();
        foreach (var e in expectations)
        {
            if (TemplateJson.Text(e["rule"]) is not { } id || e["finding"] is not JsonValue finding || !finding.TryGetValue<bool>(out _))
            {
                throw new InvalidDataException($"each expect entry needs rule (text) and finding (true or false): {e.ToJsonString()}");
            }

            if (rules.All(r => r.Id != id))
            {
                throw new InvalidDataException($"expect names rule '{id}', which is not among the rules loaded");
            }
        }

        Dictionary<string, List<IReadOnlyList<string>>> actual; // rule → planned actions of each finding
        if (TemplateJson.Text(spec["event"]) is { } eventPath)
        {
            actual = await EventDecisionsAsync(Path.Combine(folder, eventPath), rules, cancel).ConfigureAwait(false);
        }
        else if (TemplateJson.Text(spec["template"]) is { } templatePath)
        {
            var result = await new TemplateCheck(rules, new Dictionary<string, string>(), TemplateContext.DefaultRegion, new GuardOptions().Validated())
                .RunAsync(Path.Combine(folder, templatePath), cancel).ConfigureAwait(false);
            if (result.ReadError is not null)
            {
                throw result.ReadError;
            }

            actual = result.Findings.GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Select(_ => (IReadOnlyList<string>)[]).ToList(), StringComparer.Ordinal);
        }
        else
        {
            throw new InvalidDataException("a case names an event or a template");
        }

        var diff = new StringBuilder();
        foreach (var e in expectations)
        {
            var id = TemplateJson.Text(e["rule"])!;
            var wantFinding = e["finding"]!.GetValue<bool>();
            var found = actual.TryGetValue(id, out var plans) && plans.Count > 0;
            var wantActions = (e["plannedActions"] as JsonArray)?.Select(TemplateJson.Text).OfType<string>().ToList();
            var gotActions = plans?.FirstOrDefault() ?? [];
            var actionsMatch = wantActions is null || !wantFinding
                || (wantActions.Count == gotActions.Count && wantActions.Zip(gotActions).All(p => p.Second.Split(' ').Contains(p.First)));
            if (wantFinding != found || !actionsMatch)
            {
                diff.Append("  rule ").Append(id).Append('\n');
                diff.Append("  - expected: finding: ").Append(wantFinding ? "true" : "false");
                if (wantActions is not null)
                {
                    diff.Append(", plannedActions: [").Append(string.Join(", ", wantActions)).Append(']');
                }

                diff.Append("\n  + actual:   finding: ").Append(found ? "true" : "false");
                if (found && spec["event"] is not null)
                {
                    diff.Append(", plannedActions: [").Append(string.Join(", ", gotActions.Select(a => a.Split(' ')[0]))).Append(']');
                }

                diff.Append('\n');
            }
        }

        return diff.Length == 0 ? null : diff.ToString().TrimEnd('\n');
    }

    /// <summary>Each rule's findings on the event, each as its planned actions ("operation action", so either name matches).</summary>
    private static async Task<Dictionary<string, List<IReadOnlyList<string>>>> EventDecisionsAsync(
        string path, IReadOnlyList<Core.Rules.Rule> rules, CancellationToken cancel)
    {
        var engine = GuardComposition.CreateEngine(rules, OfflineStatePorts.Create(), new GuardOptions().Validated());
        var decisions = new Dictionary<string, List<IReadOnlyList<string>>>(StringComparer.Ordinal);
        var events = 0;
        foreach (var result in new EventReader(new EventReaderOptions()).Read([path]))
        {
            switch (result)
            {
                case EventRead read:
                    events++;
                    var evaluation = await engine.EvaluateAsync(read.Event, cancel).ConfigureAwait(false);
                    foreach (var rule in evaluation.Rules)
                    {
                        var list = decisions.TryGetValue(rule.Rule.Id, out var existing) ? existing : decisions[rule.Rule.Id] = [];
                        list.AddRange(rule.Findings.Where(f => f.Outcome != FindingOutcome.Exempt)
                            .Select(f => (IReadOnlyList<string>)f.PlannedActions.Select(a => $"{a.Operation} {a.Action}").ToList()));
                    }

                    break;
                case EventReadError error:
                    throw new InvalidDataException($"{error.File} {error.Position}: {error.Message}");
            }
        }

        return events == 0 ? throw new InvalidDataException($"{path}: no CloudTrail event in it") : decisions;
    }
}
