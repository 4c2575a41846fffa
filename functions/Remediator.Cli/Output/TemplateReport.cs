using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Remediator.Cli.Template;
using Remediator.Core;
using Remediator.Core.Rules;

namespace Remediator.Cli.Output;

/// <summary>
/// check-template's three outputs: <c>table</c> for people, <c>json</c> (one array of findings) for scripts, and
/// <c>sarif</c> (SARIF 2.1.0, as GitHub code scanning reads it). Written with Utf8JsonWriter: no reflection (NativeAOT).
/// </summary>
public static class TemplateReport
{
    public const string SarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

    private static readonly JsonWriterOptions Indented = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Table(IReadOnlyList<TemplateCheckResult> results)
    {
        var text = new StringBuilder();
        foreach (var result in results)
        {
            foreach (var f in result.Findings)
            {
                text.Append(CultureInfo.InvariantCulture, $"{f.File}:{f.Line}: {f.LogicalId} ({f.ResourceType}) {f.EventName}: {f.Severity.ToName()} {f.Rule} {f.Check}: {f.Message}\n");
                foreach (var evidence in f.Evidence)
                {
                    text.Append("    ").Append(evidence).Append('\n');
                }
            }

            foreach (var exempt in result.Exempt)
            {
                text.Append(CultureInfo.InvariantCulture, $"{result.File}: exempt  {exempt}\n");
            }

            foreach (var item in result.NotJudged.Where(n => !n.NoRuleForType))
            {
                text.Append(CultureInfo.InvariantCulture, $"{result.File}: not judged: {item.LogicalId} ({item.ResourceType}): {item.Why}\n");
            }

            var byType = result.NotJudged.Where(n => n.NoRuleForType).GroupBy(n => n.ResourceType).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            if (byType.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{result.File}: not judged: {byType.Sum(g => g.Count())} resource(s) of types no rule looks at: {string.Join(", ", byType.Select(g => $"{g.Key} ({g.Count()})"))}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>One line per template for stderr: what was checked, found and left out.</summary>
    public static string Summary(TemplateCheckResult r) =>
        r.ReadError is not null
            ? $"{r.ReadError.Message}"
            : $"{r.File}: {r.Findings.Count} finding(s) in {r.Findings.Select(f => f.LogicalId).Distinct(StringComparer.Ordinal).Count()} resource(s); "
              + $"{r.Resources} resource(s), {r.JudgedResources} judged as {r.Events} CloudTrail event(s); {r.NotJudged.Count} not judged; {r.Exempt.Count} exempt.";

    public static string Json(IReadOnlyList<TemplateCheckResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartArray();
            foreach (var f in results.SelectMany(r => r.Findings))
            {
                writer.WriteStartObject();
                writer.WriteString("file", f.File);
                writer.WriteString("logicalId", f.LogicalId);
                writer.WriteString("resourceType", f.ResourceType);
                writer.WriteString("rule", f.Rule);
                writer.WriteString("concern", f.Concern);
                writer.WriteString("severity", f.Severity.ToName());
                writer.WriteString("check", f.Check);
                writer.WriteString("message", f.Message);
                writer.WriteNumber("line", f.Line);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// SARIF 2.1.0: one run; every rule loaded is a reportingDescriptor (id, description, default level); each finding a
    /// result with the template as physical location (line of the resource) and the logical id as logical location.
    /// What was not judged, and templates that could not be read, are tool execution notifications.
    /// </summary>
    public static string Sarif(IReadOnlyList<TemplateCheckResult> results, IReadOnlyList<Rule> rules, string version)
    {
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", SarifSchema);
            writer.WriteString("version", "2.1.0");
            writer.WriteStartArray("runs");
            writer.WriteStartObject();
            writer.WriteStartObject("tool");
            writer.WriteStartObject("driver");
            writer.WriteString("name", "remediator");
            writer.WriteString("version", version);
            writer.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                writer.WriteStartObject();
                writer.WriteString("id", rule.Id);
                writer.WriteString("name", rule.Id);
                writer.WriteStartObject("shortDescription");
                writer.WriteString("text", FirstSentence(rule.Description));
                writer.WriteEndObject();
                writer.WriteStartObject("fullDescription");
                writer.WriteString("text", rule.Description);
                writer.WriteEndObject();
                writer.WriteStartObject("defaultConfiguration");
                writer.WriteString("level", Level(rule.Severity));
                writer.WriteEndObject();
                writer.WriteStartObject("properties");
                writer.WriteStartArray("tags");
                writer.WriteStringValue("security");
                writer.WriteStringValue(rule.Concern);
                writer.WriteEndArray();
                writer.WriteString("security-severity", SecuritySeverity(rule.Severity));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();

            writer.WriteStartArray("invocations");
            writer.WriteStartObject();
            writer.WriteBoolean("executionSuccessful", results.All(r => r.ReadError is null && r.Errors.Count == 0));
            writer.WriteStartArray("toolExecutionNotifications");
            foreach (var r in results)
            {
                if (r.ReadError is { } error)
                {
                    Notification(writer, "error", error.Problem, r.File, error.Line, error.Column);
                }

                foreach (var n in r.NotJudged.Where(n => !n.NoRuleForType))
                {
                    Notification(writer, "note", $"not judged: {n.LogicalId} ({n.ResourceType}): {n.Why}", r.File, 1, 1);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();

            writer.WriteStartArray("results");
            foreach (var f in results.SelectMany(r => r.Findings))
            {
                writer.WriteStartObject();
                writer.WriteString("ruleId", f.Rule);
                if (ruleIndex.TryGetValue(f.Rule, out var index))
                {
                    writer.WriteNumber("ruleIndex", index);
                }

                writer.WriteString("level", Level(f.Severity));
                writer.WriteStartObject("message");
                writer.WriteString("text", $"{f.LogicalId} ({f.ResourceType}): {f.Message}");
                writer.WriteEndObject();
                writer.WriteStartArray("locations");
                writer.WriteStartObject();
                PhysicalLocation(writer, f.File, f.Line, 1);
                writer.WriteStartArray("logicalLocations");
                writer.WriteStartObject();
                writer.WriteString("name", f.LogicalId);
                writer.WriteString("fullyQualifiedName", $"Resources.{f.LogicalId}");
                writer.WriteString("kind", "resource");
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteStartObject("partialFingerprints");
                writer.WriteString("remediatorFinding/v1", $"{Uri(f.File)}|{f.LogicalId}|{f.Rule}|{f.Check}");
                writer.WriteEndObject();
                writer.WriteStartObject("properties");
                writer.WriteString("check", f.Check);
                writer.WriteString("concern", f.Concern);
                writer.WriteString("resourceType", f.ResourceType);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Notification(Utf8JsonWriter writer, string level, string text, string file, int line, int column)
    {
        writer.WriteStartObject();
        writer.WriteString("level", level);
        writer.WriteStartObject("message");
        writer.WriteString("text", text);
        writer.WriteEndObject();
        writer.WriteStartArray("locations");
        writer.WriteStartObject();
        PhysicalLocation(writer, file, line, column);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void PhysicalLocation(Utf8JsonWriter writer, string file, int line, int column)
    {
        writer.WriteStartObject("physicalLocation");
        writer.WriteStartObject("artifactLocation");
        writer.WriteString("uri", Uri(file));
        if (!Path.IsPathRooted(file))
        {
            writer.WriteString("uriBaseId", "%SRCROOT%");
        }

        writer.WriteEndObject();
        writer.WriteStartObject("region");
        writer.WriteNumber("startLine", Math.Max(1, line));
        writer.WriteNumber("startColumn", Math.Max(1, column));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Relative paths as they are (GitHub resolves them against the checkout), with '/' and URI escaping.</summary>
    private static string Uri(string file)
    {
        var normalised = file.Replace('\\', '/');
        if (normalised.StartsWith("./", StringComparison.Ordinal))
        {
            normalised = normalised[2..];
        }

        return Path.IsPathRooted(file)
            ? new Uri(Path.GetFullPath(file)).AbsoluteUri
            : string.Join('/', normalised.Split('/').Select(System.Uri.EscapeDataString));
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>GitHub's numeric scale: 9.0+ critical, 7.0+ high, 4.0+ medium, else low.</summary>
    private static string SecuritySeverity(Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        _ => "3.0",
    };

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? text[..(end + 1)] : text;
    }
}
