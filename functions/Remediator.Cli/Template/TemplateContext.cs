using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Remediator.Cli.Template;

/// <summary>
/// A template with its intrinsic functions resolved symbolically: <c>Ref</c>, <c>Fn::GetAtt</c> and <c>Fn::Sub</c> become
/// placeholder strings built from a real-looking account, region and partition, so that ARNs in policies look like the
/// ARNs CloudFormation would produce; conditions are evaluated so that resources and <c>Fn::If</c> branches that would
/// not exist are left out. Parameters take the values given, else their defaults, else a placeholder.
/// </summary>
public sealed class TemplateContext
{
    public const string AccountId = "123456789012";
    public const string DefaultRegion = "us-east-1";
    public const string StackName = "remediator-check";

    /// <summary>What a KMS key's Ref returns: a key id of the right shape.</summary>
    public const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";

    /// <summary>Transforms CloudFormation runs itself and whose effect this check models (SAM, ForEach).</summary>
    private static readonly HashSet<string> ModelledTransforms = new(StringComparer.Ordinal) { "AWS::Serverless-2016-10-31", "AWS::LanguageExtensions" };

    private JsonObject _template;
    private readonly List<NotJudged> _notJudged = [];
    private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);

    public TemplateContext(JsonObject template, IReadOnlyDictionary<string, string>? parameters = null, string region = DefaultRegion)
    {
        _template = template;
        _parameters = parameters ?? new Dictionary<string, string>(StringComparer.Ordinal);
        Region = region;
        Partition = region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
            : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
        var transforms = _template["Transform"] switch
        {
            JsonArray list => list.Select(Text).OfType<string>().ToList(),
            var one => Text(one) is { } name ? [name] : [],
        };
        foreach (var macro in transforms.Where(t => !ModelledTransforms.Contains(t)))
        {
            _notJudged.Add(new NotJudged("(Transform)", macro, $"the macro {macro} may add or change resources at deploy time; what it produces is not seen"));
        }

        if (_template[nameof(Resources)] is JsonObject resources && resources.Any(r => r.Key.StartsWith(ForEachExpander.Prefix, StringComparison.Ordinal)))
        {
            // Expanded on a copy: the caller's template is left as written.
            _template = (JsonObject)_template.DeepClone();
            _template[nameof(Resources)] = ForEachExpander.Expand((JsonObject)_template[nameof(Resources)]!, this, _notJudged, _origins);
        }
    }

    /// <summary>Parts of the template this check cannot see (macros, loops it could not expand).</summary>
    public IReadOnlyList<NotJudged> NotJudged => _notJudged;

    /// <summary>The key a resource is written under: its own logical id, or the Fn::ForEach that produced it.</summary>
    public string OriginOf(string logicalId) => _origins.GetValueOrDefault(logicalId, logicalId);

    /// <summary>Names of the template's parameters, to check <c>--parameter</c> against.</summary>
    public IEnumerable<string> ParameterNames => (_template["Parameters"] as JsonObject ?? []).Select(p => p.Key);

    public string Region { get; }

    public string Partition { get; }

    public JsonObject Resources => _template[nameof(Resources)] as JsonObject ?? [];

    /// <summary>SAM's <c>Globals.Function</c>, resolved: properties every AWS::Serverless::Function inherits unless it sets its own.</summary>
    public JsonObject? FunctionGlobals => Resolve((_template["Globals"] as JsonObject)?["Function"]) as JsonObject;

    /// <summary>False when the resource carries a <c>Condition</c> that evaluates to false here.</summary>
    public bool Exists(JsonObject resource) =>
        TemplateJson.Text(resource["Condition"]) is not { } name || Condition(name);

    public string TypeOf(string logicalId) => TemplateJson.Text((Resources[logicalId] as JsonObject)?["Type"]) ?? string.Empty;

    /// <summary>A resolved copy of <paramref name="node"/>; null where it resolves to <c>AWS::NoValue</c>.</summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && IsIntrinsic(obj.First().Key):
                var (name, argument) = obj.First();
                return Intrinsic(name, argument);
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var resolved = Resolve(value);
                    if (resolved is not null || value is null)
                    {
                        copy[key] = resolved;
                    }
                }

                return copy;
            case JsonArray list:
                var items = new JsonArray();
                foreach (var item in list)
                {
                    var resolved = Resolve(item);
                    if (resolved is not null || item is null)
                    {
                        items.Add(resolved);
                    }
                }

                return items;
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>The name CloudFormation would give the resource: its name property, else stack-logicalId.</summary>
    public string PhysicalName(string logicalId)
    {
        var properties = (Resources[logicalId] as JsonObject)?["Properties"] as JsonObject;
        var nameProperty = TypeOf(logicalId) switch
        {
            "AWS::IAM::Role" => "RoleName",
            "AWS::IAM::User" => "UserName",
            "AWS::IAM::Group" => "GroupName",
            "AWS::IAM::ManagedPolicy" => "ManagedPolicyName",
            "AWS::IAM::Policy" => "PolicyName",
            "AWS::Lambda::Function" or "AWS::Serverless::Function" => "FunctionName",
            "AWS::DynamoDB::Table" or "AWS::DynamoDB::GlobalTable" or "AWS::Serverless::SimpleTable" => "TableName",
            "AWS::SQS::Queue" => "QueueName",
            "AWS::Events::Rule" or "AWS::Events::EventBus" => "Name",
            "AWS::Logs::LogGroup" => "LogGroupName",
            _ => null,
        };
        if (nameProperty is not null && properties?[nameProperty] is { } value && Text(Resolve(value)) is { Length: > 0 } name)
        {
            return name;
        }

        return $"{StackName}-{logicalId}";
    }

    /// <summary>What <c>Ref</c> returns for a resource (a name for most types, an ARN, URL or id for some).</summary>
    public string RefOf(string logicalId) =>
        TypeOf(logicalId) switch
        {
            "AWS::IAM::ManagedPolicy" => Arn(logicalId),
            "AWS::SQS::Queue" => $"https://sqs.{Region}.amazonaws.com/{AccountId}/{PhysicalName(logicalId)}",
            "AWS::KMS::Key" => KeyId,
            _ => PhysicalName(logicalId),
        };

    public string Arn(string logicalId)
    {
        var name = PhysicalName(logicalId);
        var path = Text(Resolve(((Resources[logicalId] as JsonObject)?["Properties"] as JsonObject)?["Path"])) ?? "/";
        return TypeOf(logicalId) switch
        {
            "AWS::IAM::Role" => $"arn:{Partition}:iam::{AccountId}:role{path}{name}",
            "AWS::IAM::User" => $"arn:{Partition}:iam::{AccountId}:user{path}{name}",
            "AWS::IAM::Group" => $"arn:{Partition}:iam::{AccountId}:group{path}{name}",
            "AWS::IAM::ManagedPolicy" => $"arn:{Partition}:iam::{AccountId}:policy{path}{name}",
            "AWS::Lambda::Function" or "AWS::Serverless::Function" => $"arn:{Partition}:lambda:{Region}:{AccountId}:function:{name}",
            "AWS::DynamoDB::Table" or "AWS::DynamoDB::GlobalTable" or "AWS::Serverless::SimpleTable" => $"arn:{Partition}:dynamodb:{Region}:{AccountId}:table/{name}",
            "AWS::SQS::Queue" => $"arn:{Partition}:sqs:{Region}:{AccountId}:{name}",
            "AWS::KMS::Key" => $"arn:{Partition}:kms:{Region}:{AccountId}:key/{KeyId}",
            "AWS::Events::Rule" => $"arn:{Partition}:events:{Region}:{AccountId}:rule/{name}",
            "AWS::Events::EventBus" => $"arn:{Partition}:events:{Region}:{AccountId}:event-bus/{name}",
            "AWS::Logs::LogGroup" => $"arn:{Partition}:logs:{Region}:{AccountId}:log-group:{name}:*",
            var type => $"arn:{Partition}:{ServiceOf(type)}:{Region}:{AccountId}:{logicalId}",
        };
    }

    private static string ServiceOf(string type)
    {
        var parts = type.Split("::");
        return parts.Length > 1 ? parts[1].ToLowerInvariant() : "unknown";
    }

    private static bool IsIntrinsic(string key) => key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private JsonNode? Intrinsic(string name, JsonNode? argument)
    {
        switch (name)
        {
            case "Ref":
                return Ref(Text(argument) ?? string.Empty);
            case "Fn::GetAtt":
                var (id, attribute) = argument is JsonArray { Count: 2 } pair
                    ? (Text(pair[0]) ?? string.Empty, Text(Resolve(pair[1])) ?? string.Empty)
                    : SplitOnce(Text(argument) ?? string.Empty);
                return GetAtt(id, attribute);
            case "Fn::Sub":
                return Sub(argument);
            case "Fn::Join" when argument is JsonArray { Count: 2 } join:
                var delimiter = Text(join[0]) ?? string.Empty;
                var parts = Resolve(join[1]) as JsonArray ?? [];
                return string.Join(delimiter, parts.Select(p => Text(p) ?? TemplateJson.Compact(p!)));
            case "Fn::Select" when argument is JsonArray { Count: 2 } select:
                var index = int.Parse(Text(Resolve(select[0])) ?? "0", CultureInfo.InvariantCulture);
                return Resolve(select[1]) is JsonArray list && index < list.Count ? list[index]?.DeepClone() : null;
            case "Fn::Split" when argument is JsonArray { Count: 2 } split:
                var separator = Text(split[0]) ?? ",";
                return new JsonArray((Text(Resolve(split[1])) ?? string.Empty).Split(separator).Select(s => (JsonNode)s).ToArray());
            case "Fn::If" when argument is JsonArray { Count: 3 } choice:
                var branch = Condition(Text(choice[0]) ?? string.Empty) ? choice[1] : choice[2];
                return Resolve(branch);
            case "Fn::FindInMap" when argument is JsonArray { Count: >= 3 } find:
                var keys = find.Take(3).Select(k => Text(Resolve(k)) ?? string.Empty).ToList();
                return _template["Mappings"]?[keys[0]]?[keys[1]]?[keys[2]]?.DeepClone() ?? $"mapped-{keys[2]}";
            case "Fn::GetAZs":
                return new JsonArray($"{Region}a", $"{Region}b", $"{Region}c");
            case "Fn::ImportValue":
                return $"imported-{Text(Resolve(argument))}";
            case "Fn::Base64":
                return Resolve(argument);
            case "Fn::ToJsonString":
                return TemplateJson.Compact(Resolve(argument) ?? new JsonObject());
            default:
                return $"{name}-placeholder";
        }
    }

    private JsonNode? Ref(string name)
    {
        switch (name)
        {
            case "AWS::AccountId":
                return AccountId;
            case "AWS::Region":
                return Region;
            case "AWS::Partition":
                return Partition;
            case "AWS::StackName":
                return StackName;
            case "AWS::StackId":
                return $"arn:{Partition}:cloudformation:{Region}:{AccountId}:stack/{StackName}/00000000-0000-0000-0000-000000000000";
            case "AWS::URLSuffix":
                return Partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
            case "AWS::NoValue":
                return null;
            case "AWS::NotificationARNs":
                return new JsonArray();
        }

        if (_template["Parameters"]?[name] is JsonObject parameter)
        {
            var value = _parameters.TryGetValue(name, out var given) ? given : Text(parameter["Default"]) ?? DefaultOf(parameter["Default"]) ?? $"example-{name}";
            return TemplateJson.Text(parameter["Type"]) is { } type && (type.StartsWith("List<", StringComparison.Ordinal) || type == "CommaDelimitedList")
                ? new JsonArray(value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => (JsonNode)s.Trim()).ToArray())
                : value;
        }

        return Resources.ContainsKey(name) ? RefOf(name) : $"unresolved-{name}";
    }

    private static string? DefaultOf(JsonNode? value) => value is JsonValue v ? v.ToJsonString() : null;

    private string GetAtt(string logicalId, string attribute) =>
        (TypeOf(logicalId), attribute) switch
        {
            (_, "Arn") => Arn(logicalId),
            ("AWS::DynamoDB::Table", "StreamArn") => Arn(logicalId) + "/stream/2025-01-01T00:00:00.000",
            ("AWS::SQS::Queue", "QueueUrl") => RefOf(logicalId),
            ("AWS::SQS::Queue", "QueueName") => PhysicalName(logicalId),
            ("AWS::KMS::Key", "KeyId") => KeyId,
            ("AWS::IAM::Role", "RoleId") => "AROAEXAMPLEROLEID0001",
            _ => $"{PhysicalName(logicalId)}-{attribute}",
        };

    private string Sub(JsonNode? argument)
    {
        string text;
        JsonObject? variables = null;
        if (argument is JsonArray { Count: 2 } withVariables)
        {
            text = Text(withVariables[0]) ?? string.Empty;
            variables = withVariables[1] as JsonObject;
        }
        else
        {
            text = Text(argument) ?? string.Empty;
        }

        var result = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start);
            if (start < 0 || end < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, start - i);
            var expression = text[(start + 2)..end];
            if (expression.StartsWith('!'))
            {
                result.Append("${").Append(expression[1..]).Append('}'); // ${!Literal} is written as ${Literal}
            }
            else if (variables?[expression] is { } variable)
            {
                result.Append(Text(Resolve(variable)));
            }
            else if (expression.Contains('.', StringComparison.Ordinal) && !expression.StartsWith("AWS::", StringComparison.Ordinal))
            {
                var (id, attribute) = SplitOnce(expression);
                result.Append(GetAtt(id, attribute));
            }
            else
            {
                var value = Ref(expression);
                result.Append(value is JsonArray list ? string.Join(',', list.Select(Text)) : Text(value));
            }

            i = end + 1;
        }

        return result.ToString();
    }

    private bool Condition(string name)
    {
        if (_conditions.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!_evaluating.Add(name) || _template["Conditions"]?[name] is not { } definition)
        {
            return false; // unknown or circular: CloudFormation would refuse the template; treat as absent
        }

        var value = Evaluate(definition);
        _evaluating.Remove(name);
        _conditions[name] = value;
        return value;
    }

    private bool Evaluate(JsonNode? node)
    {
        if (node is not JsonObject { Count: 1 } obj)
        {
            return string.Equals(Text(node), "true", StringComparison.OrdinalIgnoreCase);
        }

        var (name, argument) = obj.First();
        var arguments = argument as JsonArray ?? [];
        return name switch
        {
            "Condition" => Condition(Text(argument) ?? string.Empty),
            "Fn::Equals" when arguments.Count == 2 => string.Equals(Scalar(arguments[0]), Scalar(arguments[1]), StringComparison.Ordinal),
            "Fn::Not" when arguments.Count == 1 => !Evaluate(arguments[0]),
            "Fn::And" => arguments.All(Evaluate),
            "Fn::Or" => arguments.Any(Evaluate),
            _ => false,
        };
    }

    private string? Scalar(JsonNode? node)
    {
        var resolved = Resolve(node);
        return resolved is JsonArray list ? string.Join(',', list.Select(Text)) : Text(resolved) ?? DefaultOf(resolved);
    }

    private static (string, string) SplitOnce(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (text, string.Empty) : (text[..dot], text[(dot + 1)..]);
    }

    private static string? Text(JsonNode? node) => TemplateJson.Text(node);
}
