using System.CommandLine;
using System.Reflection;
using Remediator.Cli.Output;
using Remediator.Cli.Template;
using Remediator.Core.Engine;
using Remediator.Composition;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator check-template FILE...</c>: the guard's own rules run against CloudFormation/SAM templates (JSON or
/// YAML) before they are deployed, by turning each resource into the CloudTrail events its creation would record
/// (<see cref="TemplateEvents"/>). The work per template is <see cref="TemplateCheck"/>; this class parses the command
/// line, picks the output and the exit code.
/// </summary>
public static class CheckTemplateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("file")
        {
            Description = "Templates (JSON or YAML, SAM included) or folders holding *.yaml, *.yml, *.json, *.template.",
            Arity = ArgumentArity.OneOrMore,
        };
        var rules = ReplayCommand.RulesOption();
        var parameters = new Option<string[]>("--parameter")
        {
            Description = "Name=Value for a template parameter (repeatable; the name must be declared by a template checked); others take their Default, else a placeholder.",
        };
        var region = new Option<string>("--region")
        {
            Description = "The region to evaluate conditions and build ARNs in. Default: us-east-1 (where IAM events arrive).",
            DefaultValueFactory = _ => TemplateContext.DefaultRegion,
        };
        var format = new Option<string>("--format")
        {
            Description = "table (people), json (one array of {file, logicalId, resourceType, rule, concern, severity, check, message, line}) or sarif (SARIF 2.1.0 for GitHub code scanning).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", "sarif");
        var command = new Command(
            "check-template",
            "Run the rules over templates: each resource becomes the CloudTrail event(s) creating it would record " +
            "(roles and their inline policies, RolePolicy/UserPolicy/GroupPolicy, managed policies, SAM functions and state " +
            "machines with their generated roles, Policies and policy templates, Lambda functions with SAM Globals, DynamoDB " +
            "tables, SimpleTable and GlobalTable, event bus policies, API Gateway integrations, SAM's implicit Api/HttpApi " +
            $"integrations); intrinsic functions resolve to placeholder ARNs in account {TemplateContext.AccountId}. What is not " +
            "judged is listed with the reason. Findings go to stdout; one summary line per template to stderr.\n" +
            "Exit code, first that applies (as replay): 2 bad rules, usage, or a template that cannot be read (even when others " +
            "have findings: bad input is never hidden), 1 findings (gate CI on it), 0 neither.\n" +
            "  remediator check-template serverless.template\n" +
            "  remediator check-template templates/ --format sarif > remediator.sarif\n" +
            "  remediator check-template deploy/organization.template --rules my-rules/ --parameter OrganizationId=o-a1b2c3d4e5")
        {
            files, rules, parameters, region, format,
        };
        command.SetAction((parse, cancel) => RunAsync(parse, stdout, stderr, files, rules, parameters, region, format, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, Argument<string[]> files, Option<string[]> rules, Option<string[]> parameters, Option<string> region, Option<string> format, CancellationToken cancel)
    {
        if (await RuleSources.LoadValidAsync(parse.GetValue(rules), stderr).ConfigureAwait(false) is not { } ruleSet)
        {
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

        var paths = TemplateCheck.Expand(parse.GetValue(files) ?? [], out var missing);
        foreach (var path in missing)
        {
            await stderr.WriteLineAsync($"remediator check-template: {path}: no such file or folder").ConfigureAwait(false);
        }

        if (missing.Count > 0 || paths.Count == 0)
        {
            if (paths.Count == 0 && missing.Count == 0)
            {
                await stderr.WriteLineAsync("remediator check-template: no *.yaml, *.yml, *.json or *.template file in the folders given").ConfigureAwait(false);
            }

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

        var check = new TemplateCheck(ruleSet.Rules, given, parse.GetValue(region)!, options);
        var results = new List<TemplateCheckResult>();
        foreach (var path in paths)
        {
            results.Add(await check.RunAsync(path, cancel).ConfigureAwait(false));
        }

        // A parameter no template declares is a typo that would silently change nothing.
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Where((_, i) => results[i].ReadError is null))
        {
            declared.UnionWith(new TemplateContext(TemplateReader.ReadFile(path).Root).ParameterNames);
        }

        var unknown = given.Keys.Where(k => !declared.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            await stderr.WriteLineAsync(
                $"remediator check-template: --parameter {string.Join(", ", unknown)}: no template checked declares it" +
                (declared.Count > 0 ? $" (declared: {string.Join(", ", declared.Order(StringComparer.Ordinal))})" : " (they declare no parameters)")).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var output = parse.GetValue(format) switch
        {
            "json" => TemplateReport.Json(results),
            "sarif" => TemplateReport.Sarif(results, ruleSet.Rules, Version()),
            _ => TemplateReport.Table(results),
        };
        await stdout.WriteAsync(output).ConfigureAwait(false);
        foreach (var result in results)
        {
            foreach (var error in result.Errors.Where(_ => result.ReadError is null))
            {
                await stderr.WriteLineAsync(error).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync(TemplateReport.Summary(result)).ConfigureAwait(false);
        }

        var findings = results.Sum(r => r.Findings.Count);
        var failed = results.Count(r => r.ReadError is not null || r.Errors.Count > 0);
        return failed > 0 ? ExitCodes.BadInput : findings > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }

    private static string Version() =>
        typeof(CheckTemplateCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
