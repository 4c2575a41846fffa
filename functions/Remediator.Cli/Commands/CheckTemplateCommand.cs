using System.CommandLine;
using System.Text.Json;
using Remediator.Cli.Template;
using Remediator.Core;
using Remediator.Core.Engine;
using Remediator.Core.Ports.Offline;
using Remediator.Detectors;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator check-template</c>: the guard's own rules run against a CloudFormation/SAM template before it is
/// deployed, by turning each resource into the CloudTrail events its creation would record (<see cref="TemplateEvents"/>).
/// </summary>
public static class CheckTemplateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A CloudFormation or SAM template in JSON." };
        var rules = ReplayCommand.RulesOption();
        var parameters = new Option<string[]>("--parameter")
        {
            Description = "Name=Value for a template parameter (repeatable); others take their Default, else a placeholder.",
        };
        var region = new Option<string>("--region")
        {
            Description = "The region to evaluate conditions and build ARNs in. Default: us-east-1 (where IAM events arrive).",
            DefaultValueFactory = _ => TemplateContext.DefaultRegion,
        };
        var command = new Command(
            "check-template",
            "Run the rules over a template: each resource becomes the CloudTrail event(s) creating it would record " +
            "(roles and their inline policies, managed policies, Lambda functions with SAM Globals, DynamoDB tables, event " +
            "bus policies, API Gateway integrations); Ref, Fn::GetAtt and Fn::Sub resolve to placeholder ARNs in account " +
            $"{TemplateContext.AccountId}. Prints findings per resource (logical id); exempt resources are listed, not counted.\n" +
            "Exit code: 0 nothing found, 1 findings, 2 bad rules or template.\n" +
            "  remediator check-template serverless.template\n" +
            "  remediator check-template deploy/organization.template --rules my-rules/ --parameter OrganizationId=o-a1b2c3d4e5")
        {
            file, rules, parameters, region,
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

                return ExitCodes.BadInput;
            }

            var given = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(parameters) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await stderr.WriteLineAsync($"remediator check-template: --parameter '{pair}' is not Name=Value").ConfigureAwait(false);
                    return ExitCodes.BadInput;
                }

                given[pair[..equals]] = pair[(equals + 1)..];
            }

            var path = parse.GetValue(file)!;
            IReadOnlyList<TemplateEvent> events;
            int notChecked;
            try
            {
                var template = TemplateJson.Parse(await File.ReadAllTextAsync(path, cancel).ConfigureAwait(false));
                events = TemplateEvents.From(new TemplateContext(template, given, parse.GetValue(region)!), out notChecked);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
            {
                await stderr.WriteLineAsync($"remediator check-template: {path}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            // The guard receives the template's OrganizationId parameter; so does the check, when it is given.
            GuardOptions options;
            try
            {
                options = new GuardOptions { OrganizationId = given.GetValueOrDefault("OrganizationId") is { Length: > 0 } org ? org : null }.Validated();
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"remediator check-template: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var engine = GuardComposition.CreateEngine(ruleSet.Rules, OfflineStatePorts.Create(), options);
            var findings = 0;
            var errors = 0;
            var resourcesWithFindings = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in events)
            {
                var evaluation = await engine.EvaluateAsync(item.Event, cancel).ConfigureAwait(false);
                foreach (var rule in evaluation.Rules)
                {
                    if (rule.Error is not null)
                    {
                        errors++;
                        await stderr.WriteLineAsync($"{item.LogicalId} ({item.ResourceType}) {item.Event.EventName}: {rule.Rule.Id}: {rule.Error}").ConfigureAwait(false);
                    }

                    foreach (var decision in rule.Findings)
                    {
                        var f = decision.Finding;
                        if (decision.Outcome == FindingOutcome.Exempt)
                        {
                            await stdout.WriteLineAsync($"exempt  {item.LogicalId} ({item.ResourceType}) {item.Event.EventName}: {rule.Rule.Id}: {decision.Reason}").ConfigureAwait(false);
                            continue;
                        }

                        findings++;
                        resourcesWithFindings.Add(item.LogicalId);
                        await stdout.WriteLineAsync($"{item.LogicalId} ({item.ResourceType}) {item.Event.EventName}: {f.Severity.ToName()} {rule.Rule.Id} {f.Check}: {f.Summary}").ConfigureAwait(false);
                        foreach (var evidence in f.Evidence)
                        {
                            await stdout.WriteLineAsync($"    {evidence}").ConfigureAwait(false);
                        }
                    }
                }
            }

            var checkedResources = events.Select(e => e.LogicalId).Distinct(StringComparer.Ordinal).Count();
            await stderr.WriteLineAsync(
                $"{findings} finding(s) in {resourcesWithFindings.Count} resource(s) of {path}: {checkedResources} resource(s) checked as {events.Count} " +
                $"CloudTrail event(s) against the rules in {source}; {notChecked} resource(s) of other types cause no event the rules judge.").ConfigureAwait(false);
            return findings > 0 ? ExitCodes.Findings : errors > 0 ? ExitCodes.BadInput : ExitCodes.Clean;
        });
        return command;
    }
}
