using System.Text.Json;
using System.Text.RegularExpressions;
using Remediator.Core.Registry;

namespace Remediator.Core.Rules;

/// <summary>Reads one rule mapping into a <see cref="Rule"/>, reporting every problem it finds (not just the first).</summary>
internal sealed partial class RuleReader(ElementRegistry registry, IPatternValidator patterns, YamlFields fields)
{
    public static IReadOnlyList<string> Keys { get; } =
        ["id", "description", "concern", "severity", "mode", "match", "detect", "exempt", "remediate", "approval"];

    public static IReadOnlyList<string> ExemptKeys { get; } = ["tag", "principals", "resources", "accounts", "regions", "guardRoles"];

    public static IReadOnlyList<string> ModeNames { get; } = ["enforce", "dry-run", "approve"];

    public static IReadOnlyList<string> ApprovalKeys { get; } = ["approvers", "expiresAfter", "onExpiry", "contain"];

    /// <summary>The rule, or null when it has errors (added to the shared list).</summary>
    public Rule? Read(YamlMapping rule, string path)
    {
        var before = fields.Errors.Count;
        fields.RejectUnknownKeys(rule, Keys, path);

        var id = Required(rule, "id", path, "the rule's unique name", node => ReadId(node, RulePaths.Member(path, "id")));
        var description = Required(rule, "description", path, "what the rule guards against", node => fields.Text(node, RulePaths.Member(path, "description")));
        var concern = Required(rule, "concern", path, string.Join(", ", Concerns.All), node => ReadConcern(node, RulePaths.Member(path, "concern")));
        var severity = Required<Severity?>(rule, "severity", path, string.Join(", ", SeverityNames.All), node => ReadSeverity(node, RulePaths.Member(path, "severity")));
        var mode = Required<RuleMode?>(rule, "mode", path, "enforce, dry-run or approve", node => ReadMode(node, RulePaths.Member(path, "mode")));
        var match = Required<JsonElement?>(rule, "match", path, "an EventBridge event pattern", node => ReadMatch(rule.KeyNamed("match")!, node, RulePaths.Member(path, "match")));
        var detect = Required(rule, "detect", path, "one detector name mapped to its options", node => ReadDetect(node, RulePaths.Member(path, "detect"), concern));
        var remediate = Required(rule, "remediate", path, "a list of actions", node => ReadRemediate(node, RulePaths.Member(path, "remediate")));
        var exempt = rule["exempt"] is { } exemptNode ? ReadExempt(exemptNode, RulePaths.Member(path, "exempt")) : Exemptions.None;
        var approval = rule["approval"] is { } approvalNode ? ReadApproval(approvalNode, RulePaths.Member(path, "approval")) : null;
        if (mode == RuleMode.Approve && rule["approval"] is null)
        {
            fields.Add(rule, RulePaths.Member(path, "approval"), "mode approve needs an 'approval' block with at least one approver (approvers: [U0123ABCD])");
        }

        if (fields.Errors.Count > before
            || id is null || description is null || concern is null || severity is null || mode is null
            || match is null || detect is null || remediate is null || exempt is null)
        {
            return null;
        }

        return new Rule(id, description, concern, severity.Value, mode.Value, match.Value, detect, exempt, remediate, rule.Location) { Approval = approval };
    }

    private T? Required<T>(YamlMapping rule, string key, string path, string expected, Func<YamlNode, T?> read)
    {
        if (rule[key] is { } node)
        {
            return read(node);
        }

        fields.Add(rule, RulePaths.Member(path, key), $"required key is missing ({expected})");
        return default;
    }

    private string? ReadId(YamlNode node, string path)
    {
        var id = fields.Text(node, path);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            fields.Add(node, path, $"'{id}' is not a valid id: 3 to 64 characters, lower-case letters, digits and '-', not starting with '-'");
            return null;
        }

        return id;
    }

    private string? ReadConcern(YamlNode node, string path) =>
        OneOf(node, path, Concerns.All) is { } concern ? concern : null;

    private Severity? ReadSeverity(YamlNode node, string path) =>
        OneOf(node, path, SeverityNames.All) is { } name && SeverityNames.TryParse(name, out var severity) ? severity : null;

    private RuleMode? ReadMode(YamlNode node, string path) => OneOf(node, path, ModeNames) switch
    {
        "enforce" => RuleMode.Enforce,
        "dry-run" => RuleMode.DryRun,
        "approve" => RuleMode.Approve,
        _ => null,
    };

    private string? OneOf(YamlNode node, string path, IReadOnlyList<string> allowed)
    {
        var text = fields.Text(node, path);
        if (text is null || allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        fields.Add(node, path, $"'{text}' is not one of {string.Join(", ", allowed)}{NameSuggestions.DidYouMean(text, allowed)}");
        return null;
    }

    /// <summary>The pattern as JSON. Pattern errors point at the <c>match:</c> key: the matcher's message names the path inside.</summary>
    private JsonElement? ReadMatch(YamlScalar key, YamlNode node, string path)
    {
        if (fields.Mapping(node, path) is not { } mapping)
        {
            return null;
        }

        if (mapping.Entries.Count == 0)
        {
            fields.Add(node, path, "an empty pattern would match every event");
            return null;
        }

        if (YamlJson.ToJson(mapping, path, fields.Errors) is not { } json)
        {
            return null;
        }

        if (patterns.Validate(json) is { } problem)
        {
            fields.Add(key, path, $"invalid event pattern: {problem}");
            return null;
        }

        return json;
    }

    private DetectorUse? ReadDetect(YamlNode node, string path, string? ruleConcern)
    {
        if (SingleEntry(node, path, "detector", "names one detector, mapped to its options") is not (var name, var options))
        {
            return null;
        }

        var detectorPath = RulePaths.Member(path, name.Value);
        if (!registry.TryGetDetector(name.Value, out var descriptor))
        {
            var known = registry.Detectors.Select(d => d.Name).ToList();
            fields.Add(name, detectorPath,
                $"no detector named '{name.Value}'{NameSuggestions.Hint(name.Value, known)}");
            return null;
        }

        var concernMatches = ruleConcern is null || descriptor.Concern == ruleConcern;
        if (!concernMatches)
        {
            fields.Add(name, detectorPath,
                $"detector '{descriptor.Name}' serves concern '{descriptor.Concern}', but the rule's concern is '{ruleConcern}'");
        }

        if (fields.MappingOrNull(options, detectorPath) is not { } optionsMapping)
        {
            return null;
        }

        var bound = OptionReader.ReadAndBind(optionsMapping, descriptor.Options, descriptor.BindOptions, detectorPath, fields);
        return bound is not null && concernMatches ? new DetectorUse(descriptor, bound) : null;
    }

    private List<ActionUse>? ReadRemediate(YamlNode node, string path)
    {
        if (node is not YamlSequence sequence)
        {
            fields.Add(node, path, $"expected a list of actions (e.g. '- notify: {{channel: slack}}'), got {node.KindName}");
            return null;
        }

        if (sequence.Items.Count == 0)
        {
            fields.Add(node, path, "at least one action is needed (e.g. '- notify: {channel: slack}')");
            return null;
        }

        var actions = new List<ActionUse>();
        var valid = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (ReadAction(sequence.Items[i], RulePaths.Index(path, i)) is { } action)
            {
                actions.Add(action);
            }
            else
            {
                valid = false;
            }
        }

        return valid ? actions : null;
    }

    private ActionUse? ReadAction(YamlNode node, string path)
    {
        if (SingleEntry(node, path, "action", "is one action name mapped to its options, e.g. 'revert: {}'") is not (var name, var options))
        {
            return null;
        }

        var actionPath = RulePaths.Member(path, name.Value);
        if (!registry.TryGetAction(name.Value, out var descriptor))
        {
            var known = registry.Actions.Select(a => a.Name).ToList();
            fields.Add(name, actionPath,
                $"no action named '{name.Value}'{NameSuggestions.Hint(name.Value, known)}");
            return null;
        }

        if (fields.MappingOrNull(options, actionPath) is not { } optionsMapping)
        {
            return null;
        }

        var bound = OptionReader.ReadAndBind(optionsMapping, descriptor.Options, descriptor.BindOptions, actionPath, fields);
        return bound is null ? null : new ActionUse(descriptor, bound);
    }

    /// <summary>The one key and value of a single-key mapping (<c>detect</c>, a <c>remediate</c> item).</summary>
    private (YamlScalar Name, YamlNode Value)? SingleEntry(YamlNode node, string path, string what, string shape)
    {
        if (node is YamlScalar { IsNull: false } scalar)
        {
            fields.Add(node, path, $"expected '{scalar.Value}: {{}}' ({path} {shape}), got a bare name");
            return null;
        }

        if (fields.Mapping(node, path) is not { } mapping)
        {
            return null;
        }

        switch (mapping.Entries.Count)
        {
            case 0:
                fields.Add(node, path, $"names no {what} ({path} {shape})");
                return null;
            case > 1:
                var extra = mapping.Entries[1].Key;
                fields.Add(extra, RulePaths.Member(path, extra.Value), $"only one {what} per entry; '{mapping.Entries[0].Key.Value}' is already named");
                return null;
            default:
                return (mapping.Entries[0].Key, mapping.Entries[0].Value);
        }
    }

    private Exemptions? ReadExempt(YamlNode node, string path)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return Exemptions.None;
        }

        if (fields.Mapping(node, path) is not { } mapping)
        {
            return null;
        }

        var before = fields.Errors.Count;
        fields.RejectUnknownKeys(mapping, ExemptKeys, path);
        var tag = mapping["tag"] is { } tagNode ? fields.Text(tagNode, RulePaths.Member(path, "tag")) : null;
        var principals = List(mapping, "principals", path, null, null);
        var resources = List(mapping, "resources", path, null, null);
        var accounts = List(mapping, "accounts", path, AccountPattern(), "a 12-digit account id");
        var regions = List(mapping, "regions", path, RegionPattern(), "a region name such as us-east-1");
        var guardRoles = mapping["guardRoles"] is { } guardRolesNode ? fields.Boolean(guardRolesNode, RulePaths.Member(path, "guardRoles")) : false;
        return fields.Errors.Count > before ? null : new Exemptions(tag, principals, resources, accounts, regions) { GuardRoles = guardRoles ?? false };
    }

    /// <summary>The <c>approval:</c> block; an empty approver list is an error, never "anyone in the channel".</summary>
    private Approvals.ApprovalPolicy? ReadApproval(YamlNode node, string path)
    {
        if (fields.Mapping(node, path) is not { } mapping)
        {
            return null;
        }

        var before = fields.Errors.Count;
        fields.RejectUnknownKeys(mapping, ApprovalKeys, path);
        var approversPath = RulePaths.Member(path, "approvers");
        var approvers = mapping["approvers"] is { } approverNode ? fields.TextList(approverNode, approversPath) ?? [] : [];
        if (approvers.Count == 0)
        {
            fields.Add(mapping["approvers"] ?? (YamlNode)mapping, approversPath,
                "at least one approver is needed (Slack user ids U…/W… or user-group ids S…); an empty list would let nobody decide");
        }

        for (var i = 0; i < approvers.Count; i++)
        {
            if (!Approvals.ApprovalPolicy.IsApproverId(approvers[i]))
            {
                fields.Add(((YamlSequence)mapping["approvers"]!).Items[i], RulePaths.Index(approversPath, i),
                    $"'{approvers[i]}' is not a Slack user id (U…, W…) or user-group id (S…)");
            }
        }

        var expiresAfter = Approvals.ApprovalPolicy.DefaultExpiresAfter;
        if (mapping["expiresAfter"] is { } expiresNode && fields.Text(expiresNode, RulePaths.Member(path, "expiresAfter")) is { } expiresText)
        {
            if (ParseDuration(expiresText) is { } duration && duration >= TimeSpan.FromMinutes(5) && duration <= TimeSpan.FromDays(30))
            {
                expiresAfter = duration;
            }
            else
            {
                fields.Add(expiresNode, RulePaths.Member(path, "expiresAfter"), $"'{expiresText}' is not a duration between 5m and 30d (e.g. 30m, 24h, 7d)");
            }
        }

        var onExpiry = Approvals.ExpiryOutcome.Notify;
        if (mapping["onExpiry"] is { } expiryNode && OneOf(expiryNode, RulePaths.Member(path, "onExpiry"), Approvals.ApprovalPolicy.ExpiryNames) is { } expiryName)
        {
            onExpiry = Approvals.ApprovalPolicy.TryParseExpiry(expiryName, out var parsed) ? parsed : onExpiry;
        }

        var contain = false;
        if (mapping["contain"] is YamlScalar containNode)
        {
            switch (containNode.Value)
            {
                case "true":
                    contain = true;
                    break;
                case "false":
                    break;
                default:
                    fields.Add(containNode, RulePaths.Member(path, "contain"), $"'{containNode.Value}' is not true or false");
                    break;
            }
        }

        return fields.Errors.Count > before ? null : new Approvals.ApprovalPolicy(approvers, expiresAfter, onExpiry, contain);
    }

    /// <summary>A number followed by m, h or d.</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        return text[^1] switch
        {
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
    }

    private IReadOnlyList<string> List(YamlMapping mapping, string key, string path, Regex? pattern, string? expected)
    {
        if (mapping[key] is not { } node)
        {
            return [];
        }

        var listPath = RulePaths.Member(path, key);
        var list = fields.TextList(node, listPath) ?? [];
        for (var i = 0; i < list.Count && pattern is not null; i++)
        {
            if (!pattern.IsMatch(list[i]))
            {
                fields.Add(((YamlSequence)node).Items[i], RulePaths.Index(listPath, i), $"'{list[i]}' is not {expected}");
            }
        }

        return list;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
