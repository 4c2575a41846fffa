using System.Diagnostics;
using Remediator.Core;
using Remediator.Core.Engine;
using Remediator.Core.Rules;

namespace Remediator.Cli.Template;

/// <summary>One finding in a template, in the shape CI output needs.</summary>
public sealed record TemplateFinding(
    string File, string LogicalId, string ResourceType, string Rule, string Concern, Severity Severity, string Check,
    string Message, int Line, string EventName, IReadOnlyList<string> Evidence);

/// <summary>What checking one template gave: findings, exemptions, what was not judged, or why it could not be read.</summary>
public sealed record TemplateCheckResult(
    string File,
    IReadOnlyList<TemplateFinding> Findings,
    IReadOnlyList<string> Exempt,
    IReadOnlyList<NotJudged> NotJudged,
    IReadOnlyList<string> Errors,
    int Resources,
    int JudgedResources,
    int Events,
    TimeSpan Elapsed)
{
    /// <summary>The template could not be read (syntax, not a template): nothing in it was judged.</summary>
    public TemplateReadException? ReadError { get; init; }
}

/// <summary>
/// Runs the rules over one template: read it (JSON or YAML), turn its resources into the CloudTrail events their
/// creation would record, evaluate each with the offline engine, and keep every finding with the resource's line.
/// </summary>
public sealed class TemplateCheck(IReadOnlyList<Rule> rules, IReadOnlyDictionary<string, string> parameters, string region, GuardOptions options)
{
    public async Task<TemplateCheckResult> RunAsync(string file, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TemplateDocument document;
        TemplateEventSet set;
        TemplateContext context;
        try
        {
            document = TemplateReader.ReadFile(file);
            context = new TemplateContext(document.Root, parameters, region);
            set = TemplateEvents.From(context);
        }
        catch (TemplateReadException e)
        {
            return new TemplateCheckResult(file, [], [], [], [e.Message], 0, 0, 0, clock.Elapsed) { ReadError = e };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var error = new TemplateReadException(file, 1, 1, e.Message);
            return new TemplateCheckResult(file, [], [], [], [error.Message], 0, 0, 0, clock.Elapsed) { ReadError = error };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            // An intrinsic function this check cannot resolve (e.g. Fn::Select with a non-number index): say so, never crash.
            var error = new TemplateReadException(file, 1, 1, $"cannot resolve the template: {e.Message}");
            return new TemplateCheckResult(file, [], [], [], [error.Message], 0, 0, 0, clock.Elapsed) { ReadError = error };
        }

        var engine = Remediator.Composition.GuardComposition.CreateEngine(
            rules, Remediator.Core.Ports.Offline.OfflineStatePorts.Create(), WithGuardRolesOf(context, options));
        var findings = new List<TemplateFinding>();
        var exempt = new List<string>();
        var errors = new List<string>();
        foreach (var item in set.Events)
        {
            var evaluation = await engine.EvaluateAsync(item.Event, cancellationToken).ConfigureAwait(false);
            foreach (var rule in evaluation.Rules)
            {
                if (rule.Error is not null)
                {
                    errors.Add($"{file}: {item.LogicalId} ({item.ResourceType}) {item.Event.EventName}: {rule.Rule.Id}: {rule.Error}");
                }

                foreach (var decision in rule.Findings)
                {
                    var f = decision.Finding;
                    if (decision.Outcome == FindingOutcome.Exempt)
                    {
                        exempt.Add($"{item.LogicalId} ({item.ResourceType}) {item.Event.EventName}: {rule.Rule.Id}: {decision.Reason}");
                        continue;
                    }

                    findings.Add(new TemplateFinding(file, item.LogicalId, item.ResourceType, rule.Rule.Id, f.Concern, f.Severity, f.Check,
                        f.Summary, document.LineOf(context.OriginOf(item.LogicalId)), item.Event.EventName ?? string.Empty, f.Evidence));
                }
            }
        }

        return new TemplateCheckResult(file, findings, exempt, set.NotJudged, errors, set.ResourceCount, set.Events.Select(e => e.LogicalId).Distinct(StringComparer.Ordinal).Count(), set.Events.Count, clock.Elapsed);
    }

    /// <summary>Files named, and in folders (recursively) every *.yaml, *.yml, *.json and *.template, in a stable order.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, out IReadOnlyList<string> missing)
    {
        var files = new List<string>();
        var notFound = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".yaml" or ".yml" or ".json" or ".template")
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                notFound.Add(path);
            }
        }

        missing = notFound;
        return files;
    }

    /// <summary>
    /// The guard roles a deployed guard would be given: the exact role ARNs the template's own functions receive in
    /// <c>REMEDIATOR_GUARD_ROLES</c>, resolved like the rest of the template. A template that configures none exempts
    /// none of its roles by identity (a role named like the guard's is judged).
    /// </summary>
    private static GuardOptions WithGuardRolesOf(TemplateContext context, GuardOptions options)
    {
        var exact = new List<string>(options.GuardRoles.Exact);
        foreach (var (_, node) in context.Resources)
        {
            var variables = context.Resolve((((node as System.Text.Json.Nodes.JsonObject)?["Properties"] as System.Text.Json.Nodes.JsonObject)?["Environment"] as System.Text.Json.Nodes.JsonObject)?["Variables"]);
            if (TemplateJson.Text((variables as System.Text.Json.Nodes.JsonObject)?["REMEDIATOR_GUARD_ROLES"]) is { } roles)
            {
                exact.AddRange(roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(r => !exact.Contains(r, StringComparer.Ordinal)));
            }
        }

        return exact.Count == options.GuardRoles.Exact.Count ? options : options with { GuardRoles = options.GuardRoles with { Exact = exact } };
    }
}
