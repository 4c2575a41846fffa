using System.CommandLine;
using Remediator.Composition;

namespace Remediator.Cli.Commands;

/// <summary><c>remediator validate</c>: check rule files before a guard trusts them.</summary>
public static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Rule files (*.yaml) or folders of them. Default: ./rules, else the built-in rules.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(
            "validate",
            "Check rule files: YAML syntax, unknown keys, wrong types, unknown detectors and actions, option values, " +
            "invalid EventBridge patterns, duplicate ids. Every error names file:line:column and the field's path.\n" +
            "Exit code 0 when all rules are valid, 2 otherwise.\n" +
            "  remediator validate rules/\n" +
            "  remediator validate rules/iam-admin-wildcard.yaml my-rules/")
        {
            paths,
        };
        command.SetAction(parse => RunAsync(parse, stdout, stderr, paths));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, Argument<string[]> paths)
    {
        var rules = RuleSources.Load(GuardComposition.CreateLoader(), parse.GetValue(paths), out var source);
        foreach (var error in rules.Errors)
        {
            await stderr.WriteLineAsync(error.ToString()).ConfigureAwait(false);
        }

        if (!rules.IsValid)
        {
            await stderr.WriteLineAsync($"{rules.Errors.Count} error(s) in {source}; {rules.Rules.Count} rule(s) valid.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        await stdout.WriteLineAsync($"{rules.Rules.Count} rule(s) valid in {source}.").ConfigureAwait(false);
        foreach (var rule in rules.Rules)
        {
            await stdout.WriteLineAsync($"  {rule.Id,-36} {rule.Concern,-22} {rule.Severity.ToString().ToLowerInvariant(),-8} {Output.EvaluationJson.ModeName(rule.Mode),-8} {rule.Detect.Descriptor.Name}").ConfigureAwait(false);
        }

        // Valid, but only with deployment configuration the rule file cannot see: say so before it bites.
        foreach (var rule in rules.Rules.Where(r => r.Approval?.GroupApprovers.Count > 0))
        {
            await stderr.WriteLineAsync(
                $"warning: {rule.Id}: approvers {string.Join(", ", rule.Approval!.GroupApprovers)} are Slack user groups: deploy with SlackBotTokenParameterName " +
                "(a bot token with usergroups:read), or clicks by their members are refused (403).").ConfigureAwait(false);
        }

        return ExitCodes.Clean;
    }
}
