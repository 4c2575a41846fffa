using System.CommandLine;
using System.Text.Json;
using Remediator.Cli.Template;
using Remediator.Composition;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator synth</c>: writes each concern's EventBridge pattern (the union of its rules' <c>match</c>) into the
/// guard's template, so the rules that route events to a guard can never disagree with the rules it applies.
/// </summary>
public static class SynthCommand
{
    public const string DefaultTemplate = "serverless.template";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var rules = ReplayCommand.RulesOption();
        var template = new Option<string>("--template")
        {
            Description = $"The template to write into. Default: {DefaultTemplate}.",
            DefaultValueFactory = _ => DefaultTemplate,
        };
        var check = new Option<bool>("--check")
        {
            Description = "Change nothing: exit 1 and name the concerns whose pattern differs from what would be written (for CI).",
        };
        var command = new Command(
            "synth",
            "Write into the template, for each concern, the union of its rules' EventBridge patterns ({\"$or\": [...]} when " +
            "they cannot be merged into one), into the AWS::Events::Rule marked \"Metadata\": {\"Remediator\": {\"Concern\": ...}}. " +
            "The template is rewritten as 2-space-indented JSON. A joined pattern must fit EventBridge's default quota of 2048 characters.\n" +
            "Exit code: 0 written (or, with --check, up to date), 1 drift found by --check, 2 bad rules or template.\n" +
            "  remediator synth\n" +
            "  remediator synth --check --rules rules/ --template serverless.template")
        {
            rules, template, check,
        };
        command.SetAction(parse => RunAsync(parse, stdout, stderr, rules, template, check));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, Option<string[]> rules, Option<string> template, Option<bool> check)
    {
        if (await RuleSources.LoadValidAsync(parse.GetValue(rules), stderr).ConfigureAwait(false) is not { } ruleSet)
        {
            return ExitCodes.BadInput;
        }

        var path = parse.GetValue(template)!;
        string original;
        SynthResult result;
        try
        {
            original = await File.ReadAllTextAsync(path).ConfigureAwait(false);
            result = TemplateSynthesizer.Apply(TemplateJson.Parse(original), ruleSet.Rules);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            await stderr.WriteLineAsync($"remediator synth: {path}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        foreach (var problem in result.Problems)
        {
            await stderr.WriteLineAsync($"remediator synth: {path}: {problem}").ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            return ExitCodes.BadInput;
        }

        var upToDate = string.Equals(original, result.Text, StringComparison.Ordinal);
        if (parse.GetValue(check))
        {
            if (upToDate)
            {
                await stdout.WriteLineAsync($"{path} is up to date with the rules in {ruleSet.Source}.").ConfigureAwait(false);
                return ExitCodes.Clean;
            }

            foreach (var concern in result.Changed)
            {
                await stderr.WriteLineAsync($"drift: concern '{concern}': the template's EventBridge pattern differs from its rules in {ruleSet.Source}").ConfigureAwait(false);
            }

            if (result.Changed.Count == 0)
            {
                await stderr.WriteLineAsync($"drift: {path} is not in synth's canonical JSON form (2-space indent); the patterns themselves agree").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'remediator synth' and commit the template.").ConfigureAwait(false);
            return ExitCodes.Findings;
        }

        if (!upToDate)
        {
            await File.WriteAllTextAsync(path, result.Text).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(upToDate
            ? $"{path} was already up to date with the rules in {ruleSet.Source}."
            : $"{path}: wrote the patterns of {(result.Changed.Count == 0 ? "no concern (reformatted only)" : string.Join(", ", result.Changed))} from {ruleSet.Source}.").ConfigureAwait(false);
        return ExitCodes.Clean;
    }
}
