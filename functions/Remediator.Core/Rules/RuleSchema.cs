using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Remediator.Core.Registry;

namespace Remediator.Core.Rules;

/// <summary>
/// Writes the JSON Schema (draft 2020-12) of rule files from the registry, so that editors complete and check
/// detector and action names and options exactly as the loader does. Deterministic: same registry, same bytes.
/// </summary>
public static class RuleSchema
{
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>The schema text: indented with two spaces, '\n' line ends, elements in registration order.</summary>
    public static string Generate(ElementRegistry registry)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            // The file is read by people and editors, not embedded in HTML: keep ' < > + readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            WriteRoot(writer, registry);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteRoot(Utf8JsonWriter w, ElementRegistry registry)
    {
        w.WriteStartObject();
        w.WriteString("$schema", Draft);
        w.WriteString("title", "Remediator rule file");
        w.WriteString("description",
            "One rule (the canonical form), or several under 'rules:'. Generated from the detector and action registry; do not edit by hand.");
        w.WriteStartArray("anyOf");
        WriteRef(w, "rule");
        w.WriteStartObject();
        w.WriteString("type", "object");
        w.WriteString("description", "Several rules in one file.");
        w.WriteStartObject("properties");
        w.WriteStartObject("rules");
        w.WriteString("type", "array");
        w.WriteNumber("minItems", 1);
        w.WritePropertyName("items");
        WriteRef(w, "rule");
        w.WriteEndObject();
        w.WriteEndObject();
        WriteStrings(w, "required", ["rules"]);
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartObject("$defs");
        w.WritePropertyName("rule");
        WriteRule(w, registry);
        w.WritePropertyName("exempt");
        WriteExempt(w);
        w.WritePropertyName("detect");
        WriteDetect(w, registry);
        w.WritePropertyName("remediate");
        WriteRemediate(w, registry);
        EventPatternSchema.WriteDefinitions(w);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, ElementRegistry registry)
    {
        w.WriteStartObject();
        w.WriteString("type", "object");
        w.WriteString("description", "A rule: which events to look at, which detector judges them, what to do about findings.");
        w.WriteStartObject("properties");

        w.WriteStartObject("id");
        w.WriteString("type", "string");
        w.WriteString("description", "Unique name of the rule across all rule files; appears in findings, audit records and tags.");
        w.WriteString("pattern", "^[a-z0-9][a-z0-9-]{2,63}$");
        w.WriteEndObject();

        w.WriteStartObject("description");
        w.WriteString("type", "string");
        w.WriteString("description", "What the rule guards against, in a sentence; shown in notifications.");
        w.WriteNumber("minLength", 1);
        w.WriteEndObject();

        WriteEnum(w, "concern", "The concern this rule serves; it must be the concern of its detector.", Concerns.All);
        WriteEnum(w, "severity", "How bad a finding of this rule is.", SeverityNames.All);
        WriteEnum(w, "mode", "enforce: carry out the remediation plan. dry-run: only record and notify what would be done. approve: ask the approvers first (needs an approval block).", RuleReader.ModeNames);

        w.WritePropertyName("match");
        WriteRef(w, "eventPattern",
            "An EventBridge event pattern, written in YAML: the CloudTrail events this rule looks at. Quoted scalars stay strings; plain true, false, null and numbers become JSON literals.");
        w.WritePropertyName("detect");
        WriteRef(w, "detect");
        w.WritePropertyName("exempt");
        WriteRef(w, "exempt");
        w.WritePropertyName("remediate");
        WriteRef(w, "remediate");
        WriteApproval(w);
        w.WriteEndObject();

        WriteStrings(w, "required", ["id", "description", "concern", "severity", "mode", "match", "detect", "remediate"]);
        w.WriteBoolean("additionalProperties", false);
        WriteConcernCoupling(w, registry);
        w.WriteEndObject();
    }

    /// <summary>The <c>approval</c> block (mode approve; in enforce mode it names who may undo from Slack).</summary>
    private static void WriteApproval(Utf8JsonWriter w)
    {
        w.WriteStartObject("approval");
        w.WriteString("type", "object");
        w.WriteString("description", "Who decides from Slack or the CLI, for how long a decision stays open, and what happens when nobody decides. Required by mode approve.");
        w.WriteStartObject("properties");
        w.WriteStartObject("approvers");
        w.WriteString("type", "array");
        w.WriteString("description", "Slack user ids (U..., W...) and user-group ids (S...). Never empty.");
        w.WriteNumber("minItems", 1);
        w.WriteStartObject("items");
        w.WriteString("type", "string");
        w.WriteString("pattern", "^[UWS][A-Z0-9]{2,31}$");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("expiresAfter");
        w.WriteString("type", "string");
        w.WriteString("description", "How long a pending decision stays open: a number and m, h or d, between 5m and 30d. Default 24h.");
        w.WriteString("pattern", "^[0-9]+[mhd]$");
        w.WriteString("default", "24h");
        w.WriteEndObject();
        WriteEnum(w, "onExpiry", "What happens when nobody decides in time: notify (default; nothing changes), apply, deny.", Approvals.ApprovalPolicy.ExpiryNames);
        w.WriteStartObject("contain");
        w.WriteString("type", "boolean");
        w.WriteString("description", "Contain at once as enforce mode does, then ask whether to keep the containment or restore.");
        w.WriteBoolean("default", false);
        w.WriteEndObject();
        w.WriteEndObject();
        WriteStrings(w, "required", ["approvers"]);
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
    }

    /// <summary>For each concern: only its detectors may appear under <c>detect</c> (what the loader checks too).</summary>
    private static void WriteConcernCoupling(Utf8JsonWriter w, ElementRegistry registry)
    {
        var byConcern = Concerns.All
            .Select(c => (Concern: c, Detectors: registry.Detectors.Where(d => d.Concern == c).Select(d => d.Name).ToList()))
            .Where(c => c.Detectors.Count > 0)
            .ToList();
        if (byConcern.Count == 0)
        {
            return;
        }

        w.WriteStartArray("allOf");
        foreach (var (concern, detectors) in byConcern)
        {
            w.WriteStartObject();
            w.WriteStartObject("if");
            w.WriteStartObject("properties");
            w.WriteStartObject("concern");
            w.WriteString("const", concern);
            w.WriteEndObject();
            w.WriteEndObject();
            WriteStrings(w, "required", ["concern"]);
            w.WriteEndObject();
            w.WriteStartObject("then");
            w.WriteStartObject("properties");
            w.WriteStartObject("detect");
            w.WriteStartObject("propertyNames");
            WriteStrings(w, "enum", detectors);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteExempt(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "object");
        w.WriteString("description", "What the rule leaves alone. All keys are optional.");
        w.WriteStartObject("properties");
        w.WriteStartObject("tag");
        w.WriteString("type", "string");
        w.WriteString("description", "Resource tag key that exempts a resource; its value may be an ISO date (YYYY-MM-DD) after which the exemption lapses.");
        w.WriteEndObject();
        WriteStringList(w, "principals", "Actors (ARNs, '*' allowed) whose changes are left alone, e.g. break-glass roles.", null);
        WriteStringList(w, "resources", "Resources (ARNs or names, '*' allowed) left alone.", null);
        WriteStringList(w, "accounts", "When not empty: the rule applies only to these accounts.", "^[0-9]{12}$");
        WriteStringList(w, "regions", "When not empty: the rule applies only in these regions.", "^[a-z]{2}(-[a-z]+)+-[0-9]+$");
        w.WriteStartObject("guardRoles");
        w.WriteString("type", "boolean");
        w.WriteString("description", "true: leave the guard's own roles alone, recognised by identity (exact role ARNs the deployment configures, and the organization template's member roles outside the guard's account), never by a name pattern.");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
    }

    private static void WriteDetect(Utf8JsonWriter w, ElementRegistry registry)
    {
        w.WriteStartObject();
        w.WriteString("type", "object");
        w.WriteString("description", "Exactly one detector, mapped to its options ({} or nothing for the defaults).");
        w.WriteNumber("minProperties", 1);
        w.WriteNumber("maxProperties", 1);
        w.WriteStartObject("properties");
        foreach (var detector in registry.Detectors)
        {
            w.WritePropertyName(detector.Name);
            WriteOptions(w, $"{detector.Description} (concern: {detector.Concern})", detector.Options);
        }

        w.WriteEndObject();
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
    }

    private static void WriteRemediate(Utf8JsonWriter w, ElementRegistry registry)
    {
        w.WriteStartObject();
        w.WriteString("type", "array");
        w.WriteString("description", "Actions, in order. Each item is one action name mapped to its options, e.g. '- revert: {}'.");
        w.WriteNumber("minItems", 1);
        w.WriteStartObject("items");
        w.WriteStartArray("oneOf");
        foreach (var action in registry.Actions)
        {
            w.WriteStartObject();
            w.WriteString("type", "object");
            w.WriteString("description", action.Description);
            w.WriteStartObject("properties");
            w.WritePropertyName(action.Name);
            WriteOptions(w, action.Description, action.Options);
            w.WriteEndObject();
            WriteStrings(w, "required", [action.Name]);
            w.WriteBoolean("additionalProperties", false);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter w, string description, IReadOnlyList<OptionSpec> specs)
    {
        w.WriteStartObject();
        var required = specs.Where(s => s.Required).Select(s => s.Name).ToList();
        if (required.Count == 0)
        {
            // 'revert:' with nothing after it is null in YAML and means "defaults", like 'revert: {}'.
            WriteStrings(w, "type", ["object", "null"]);
        }
        else
        {
            w.WriteString("type", "object");
        }

        w.WriteString("description", description);
        w.WriteStartObject("properties");
        foreach (var spec in specs)
        {
            w.WritePropertyName(spec.Name);
            WriteOption(w, spec);
        }

        w.WriteEndObject();
        if (required.Count > 0)
        {
            WriteStrings(w, "required", required);
        }

        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
    }

    private static void WriteOption(Utf8JsonWriter w, OptionSpec spec)
    {
        w.WriteStartObject();
        switch (spec.Kind)
        {
            case OptionKind.String:
                w.WriteString("type", "string");
                WriteAllowed(w, spec);
                break;
            case OptionKind.Integer:
                w.WriteString("type", "integer");
                WriteRange(w, spec);
                break;
            case OptionKind.Boolean:
                w.WriteString("type", "boolean");
                break;
            case OptionKind.StringList:
                w.WriteString("type", "array");
                w.WriteStartObject("items");
                w.WriteString("type", "string");
                WriteAllowed(w, spec);
                w.WriteEndObject();
                break;
            case OptionKind.IntegerMap:
                w.WriteString("type", "object");
                w.WriteStartObject("additionalProperties");
                w.WriteString("type", "integer");
                WriteRange(w, spec);
                w.WriteEndObject();
                break;
        }

        w.WriteString("description", spec.Description);
        if (spec.Default is { } value)
        {
            w.WritePropertyName("default");
            WriteValue(w, value);
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case string s:
                w.WriteStringValue(s);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case IReadOnlyDictionary<string, long> map:
                w.WriteStartObject();
                foreach (var (key, n) in map)
                {
                    w.WriteNumber(key, n);
                }

                w.WriteEndObject();
                break;
            case IEnumerable<string> list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    w.WriteStringValue(item);
                }

                w.WriteEndArray();
                break;
            default:
                w.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void WriteAllowed(Utf8JsonWriter w, OptionSpec spec)
    {
        if (spec.AllowedValues is { } allowed)
        {
            WriteStrings(w, "enum", allowed);
        }
    }

    private static void WriteRange(Utf8JsonWriter w, OptionSpec spec)
    {
        if (spec.Minimum is { } min)
        {
            w.WriteNumber("minimum", min);
        }

        if (spec.Maximum is { } max)
        {
            w.WriteNumber("maximum", max);
        }
    }

    private static void WriteEnum(Utf8JsonWriter w, string name, string description, IReadOnlyList<string> values)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "string");
        w.WriteString("description", description);
        WriteStrings(w, "enum", values);
        w.WriteEndObject();
    }

    private static void WriteStringList(Utf8JsonWriter w, string name, string description, string? pattern)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "array");
        w.WriteString("description", description);
        w.WriteStartObject("items");
        w.WriteString("type", "string");
        if (pattern is not null)
        {
            w.WriteString("pattern", pattern);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static void WriteRef(Utf8JsonWriter w, string definition, string? description = null)
    {
        w.WriteStartObject();
        w.WriteString("$ref", $"#/$defs/{definition}");
        if (description is not null)
        {
            w.WriteString("description", description);
        }

        w.WriteEndObject();
    }

    internal static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
