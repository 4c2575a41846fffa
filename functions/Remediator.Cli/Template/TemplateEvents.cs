using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Core.Events;

namespace Remediator.Cli.Template;

/// <summary>One CloudTrail event that deploying a template resource would cause.</summary>
public sealed record TemplateEvent(string LogicalId, string ResourceType, CloudTrailEvent Event);

/// <summary>A resource, or part of one, that the rules do not see, and why: listed, never silently passed.</summary>
/// <param name="NoRuleForType">True when simply no rule covers the type (an S3 bucket): summarised rather than listed one by one.</param>
public sealed record NotJudged(string LogicalId, string ResourceType, string Why)
{
    public bool NoRuleForType { get; init; }
}

/// <summary>What a template's deployment would record, and what of it the rules cannot judge.</summary>
public sealed record TemplateEventSet(IReadOnlyList<TemplateEvent> Events, IReadOnlyList<NotJudged> NotJudged, int ResourceCount);

/// <summary>
/// The CloudTrail events that creating a template's resources would record, in CloudTrail's own shapes (member names
/// with their first letter lower-cased, documents as JSON text), so the guard's rules judge a template exactly as they
/// would judge the deployment:
/// <list type="bullet">
/// <item>AWS::IAM::Role → CreateRole (trust policy, tags), one PutRolePolicy per inline policy, one AttachRolePolicy per managed policy ARN;
/// AWS::IAM::User/Group → one Put{User,Group}Policy per inline policy;</item>
/// <item>AWS::IAM::ManagedPolicy → CreatePolicy; AWS::IAM::Policy → Put{Role,User,Group}Policy per principal it names
/// (what CloudFormation really calls for that type: it is an inline policy);</item>
/// <item>AWS::Lambda::Function and AWS::Serverless::Function (with Globals.Function) → CreateFunction20150331, with
/// <c>timeout</c> only when the template sets one;</item>
/// <item>AWS::DynamoDB::Table → CreateTable with <c>sSESpecification</c> {enabled, sSEType, kMSMasterKeyId};</item>
/// <item>AWS::Events::EventBusPolicy → PutPermission (the statement form as <c>policy</c>, the legacy form as
/// action/principal/condition); AWS::Events::EventBus with a Policy → CreateEventBus;</item>
/// <item>AWS::ApiGateway::Method's Integration → PutIntegration; AWS::ApiGatewayV2::Integration → CreateIntegration.</item>
/// </list>
/// Other types cause no event the rules look at and are counted as not checked.
/// </summary>
public static class TemplateEvents
{
    private const string EventTime = "2025-01-01T00:00:00Z";

    /// <summary>Resource types no bundled rule looks at by design, with the reason; everything else unknown is "no rule covers it".</summary>
    private static readonly Dictionary<string, string> ElsewhereJudged = new(StringComparer.Ordinal)
    {
        ["AWS::CloudFormation::Stack"] = "a nested stack: check its template on its own",
        ["AWS::Serverless::Application"] = "a nested application: check its template on its own",
        ["AWS::CloudFormation::StackSet"] = "a stack set: check its template on its own",
    };

    public static TemplateEventSet From(TemplateContext context)
    {
        var events = new List<TemplateEvent>();
        var notJudged = new List<NotJudged>(context.NotJudged);
        var globals = context.FunctionGlobals;
        var resources = 0;
        foreach (var (logicalId, node) in context.Resources)
        {
            resources++;
            if (node is not JsonObject resource)
            {
                notJudged.Add(new NotJudged(logicalId, "?", "the resource is not a mapping"));
                continue;
            }

            var type = context.TypeOf(logicalId);
            if (!context.Exists(resource))
            {
                notJudged.Add(new NotJudged(logicalId, type, $"its condition {TemplateJson.Text(resource["Condition"])} is false with these parameters, so it would not be created"));
                continue;
            }

            if (resource.ToJsonString().Contains("\"Fn::Transform\"", StringComparison.Ordinal))
            {
                notJudged.Add(new NotJudged(logicalId, type, "Fn::Transform runs a macro at deploy time; what it inserts is not seen (the rest is judged as written)"));
            }

            var properties = context.Resolve(resource["Properties"]) as JsonObject ?? [];
            var notes = new List<string>();
            var calls = Calls(context, logicalId, type, properties, globals, notes).ToList();
            notJudged.AddRange(notes.Select(why => new NotJudged(logicalId, type, why)));
            if (calls.Count == 0 && notes.Count == 0)
            {
                notJudged.Add(ElsewhereJudged.TryGetValue(type, out var why)
                    ? new NotJudged(logicalId, type, why)
                    : new NotJudged(logicalId, type, $"no rule looks at {type}") { NoRuleForType = true });
            }

            var n = 0;
            foreach (var (source, name, request, response) in calls)
            {
                var record = Record(context, logicalId, ++n, source, name, request, response);
                using var document = JsonDocument.Parse(TemplateJson.Compact(record));
                var e = CloudTrailEvent.TryCreate(document.RootElement, default, out var problem)
                    ?? throw new InvalidOperationException($"{logicalId}: {problem}");
                events.Add(new TemplateEvent(logicalId, type, e));
            }
        }

        return new TemplateEventSet(events, notJudged, resources);
    }

    private static IEnumerable<(string Source, string Name, JsonObject Request, JsonObject? Response)> Calls(
        TemplateContext context, string logicalId, string type, JsonObject p, JsonObject? globals, List<string> notes)
    {
        const string Iam = "iam.amazonaws.com";
        switch (type)
        {
            case "AWS::IAM::Role":
                var roleName = context.PhysicalName(logicalId);
                var create = new JsonObject { ["roleName"] = roleName, ["assumeRolePolicyDocument"] = Document(p["AssumeRolePolicyDocument"]) };
                CopyIfSet(p, "Path", create, "path");
                if (p["Tags"] is JsonArray tags)
                {
                    create["tags"] = new JsonArray(tags.OfType<JsonObject>().Select(t => (JsonNode)new JsonObject { ["key"] = t["Key"]?.DeepClone(), ["value"] = t["Value"]?.DeepClone() }).ToArray());
                }

                yield return (Iam, "CreateRole", create, new JsonObject { ["role"] = new JsonObject { ["roleName"] = roleName, ["arn"] = context.Arn(logicalId) } });
                foreach (var call in InlinePolicies(p, "Role", roleName))
                {
                    yield return call;
                }

                foreach (var arn in (p["ManagedPolicyArns"] as JsonArray ?? []).Select(TemplateJson.Text).OfType<string>())
                {
                    yield return (Iam, "AttachRolePolicy", new JsonObject { ["roleName"] = roleName, ["policyArn"] = arn }, null);
                }

                break;
            case "AWS::IAM::User" or "AWS::IAM::Group":
                var kind = type == "AWS::IAM::User" ? "User" : "Group";
                foreach (var call in InlinePolicies(p, kind, context.PhysicalName(logicalId)))
                {
                    yield return call;
                }

                break;
            case "AWS::IAM::ManagedPolicy":
                var policyName = context.PhysicalName(logicalId);
                var createPolicy = new JsonObject { ["policyName"] = policyName, ["policyDocument"] = Document(p["PolicyDocument"]) };
                CopyIfSet(p, "Path", createPolicy, "path");
                yield return (Iam, "CreatePolicy", createPolicy, new JsonObject { ["policy"] = new JsonObject { ["policyName"] = policyName, ["arn"] = context.Arn(logicalId) } });
                break;
            case "AWS::IAM::Policy":
                foreach (var (member, noun) in new[] { ("Roles", "Role"), ("Users", "User"), ("Groups", "Group") })
                {
                    foreach (var principal in (p[member] as JsonArray ?? []).Select(TemplateJson.Text).OfType<string>())
                    {
                        yield return (Iam, $"Put{noun}Policy", new JsonObject
                        {
                            [char.ToLowerInvariant(noun[0]) + noun[1..] + "Name"] = principal,
                            ["policyName"] = p["PolicyName"]?.DeepClone(),
                            ["policyDocument"] = Document(p["PolicyDocument"]),
                        }, null);
                    }
                }

                break;
            case "AWS::Lambda::Function" or "AWS::Serverless::Function":
                var function = p;
                if (type == "AWS::Serverless::Function" && globals is not null)
                {
                    function = (JsonObject)p.DeepClone();
                    foreach (var (key, value) in globals)
                    {
                        if (!function.ContainsKey(key))
                        {
                            function[key] = value?.DeepClone();
                        }
                    }
                }

                var functionName = context.PhysicalName(logicalId);
                var request = new JsonObject { ["functionName"] = functionName };
                CopyIfSet(function, "Runtime", request, "runtime");
                CopyIfSet(function, "Role", request, "role");
                CopyIfSet(function, "Handler", request, "handler");
                CopyIfSet(function, "Timeout", request, "timeout");
                CopyIfSet(function, "MemorySize", request, "memorySize");
                // SAM's Tags is a map, as CreateFunction's: an exemption tag set in the template is honoured as on AWS.
                CopyIfSet(function, "Tags", request, "tags");
                yield return ("lambda.amazonaws.com", "CreateFunction20150331", request,
                    new JsonObject { ["functionName"] = functionName, ["functionArn"] = context.Arn(logicalId) });
                if (type == "AWS::Serverless::Function")
                {
                    foreach (var call in SamRole(context, logicalId, function, "lambda.amazonaws.com", notes))
                    {
                        yield return call;
                    }

                    foreach (var call in SamApiEvents(logicalId, function))
                    {
                        yield return call;
                    }
                }

                break;
            case "AWS::Serverless::StateMachine":
                foreach (var call in SamRole(context, logicalId, p, "states.amazonaws.com", notes))
                {
                    yield return call;
                }

                if (p["Role"] is not null)
                {
                    notes.Add("uses the role given in Role (judged where that role is defined); a state machine itself has nothing else the rules look at");
                }

                break;
            case "AWS::IAM::RolePolicy" or "AWS::IAM::UserPolicy" or "AWS::IAM::GroupPolicy":
                var principalKind = type["AWS::IAM::".Length..^"Policy".Length];
                var principalMember = char.ToLowerInvariant(principalKind[0]) + principalKind[1..] + "Name";
                yield return (Iam, $"Put{principalKind}Policy", new JsonObject
                {
                    [principalMember] = p[principalKind + "Name"]?.DeepClone(),
                    ["policyName"] = p["PolicyName"]?.DeepClone(),
                    ["policyDocument"] = Document(p["PolicyDocument"]),
                }, null);
                break;
            case "AWS::Serverless::SimpleTable":
                // SAM writes an AWS::DynamoDB::Table with SSESpecification copied as given (absent: the AWS-owned key).
                var simple = new JsonObject { ["tableName"] = context.PhysicalName(logicalId) };
                if (p["SSESpecification"] is JsonObject simpleSse)
                {
                    var specification = new JsonObject();
                    CopyIfSet(simpleSse, "SSEEnabled", specification, "enabled");
                    simple["sSESpecification"] = specification;
                }

                yield return ("dynamodb.amazonaws.com", "CreateTable", simple, null);
                break;
            case "AWS::DynamoDB::GlobalTable":
                // SSEEnabled and SSEType are set once for the table; the KMS key per replica (this region's, else the first).
                var global = new JsonObject { ["tableName"] = context.PhysicalName(logicalId) };
                if (p["SSESpecification"] is JsonObject globalSse)
                {
                    var specification = new JsonObject();
                    CopyIfSet(globalSse, "SSEEnabled", specification, "enabled");
                    CopyIfSet(globalSse, "SSEType", specification, "sSEType");
                    var replicas = (p["Replicas"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                    var replica = replicas.FirstOrDefault(r => TemplateJson.Text(r["Region"]) == context.Region) ?? replicas.FirstOrDefault();
                    if (replica?["SSESpecification"]?["KMSMasterKeyId"] is { } key)
                    {
                        specification["kMSMasterKeyId"] = key.DeepClone();
                    }

                    global["sSESpecification"] = specification;
                }

                yield return ("dynamodb.amazonaws.com", "CreateTable", global, null);
                break;
            case "AWS::DynamoDB::Table":
                var table = new JsonObject { ["tableName"] = context.PhysicalName(logicalId) };
                if (p["SSESpecification"] is JsonObject sse)
                {
                    var specification = new JsonObject();
                    CopyIfSet(sse, "SSEEnabled", specification, "enabled");
                    CopyIfSet(sse, "SSEType", specification, "sSEType");
                    CopyIfSet(sse, "KMSMasterKeyId", specification, "kMSMasterKeyId");
                    table["sSESpecification"] = specification;
                }

                yield return ("dynamodb.amazonaws.com", "CreateTable", table, null);
                break;
            case "AWS::Events::EventBusPolicy":
                var permission = new JsonObject();
                CopyIfSet(p, "EventBusName", permission, "eventBusName");
                CopyIfSet(p, "StatementId", permission, "statementId");
                if (p["Statement"] is JsonObject statement)
                {
                    var withSid = (JsonObject)statement.DeepClone();
                    withSid["Sid"] ??= p["StatementId"]?.DeepClone();
                    permission["policy"] = TemplateJson.Compact(new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(withSid) });
                }
                else
                {
                    CopyIfSet(p, "Action", permission, "action");
                    CopyIfSet(p, "Principal", permission, "principal");
                    if (p["Condition"] is JsonObject condition)
                    {
                        permission["condition"] = new JsonObject { ["type"] = condition["Type"]?.DeepClone(), ["key"] = condition["Key"]?.DeepClone(), ["value"] = condition["Value"]?.DeepClone() };
                    }
                }

                yield return ("events.amazonaws.com", "PutPermission", permission, null);
                break;
            case "AWS::Events::EventBus" when p["Policy"] is { } busPolicy:
                yield return ("events.amazonaws.com", "CreateEventBus", new JsonObject { ["name"] = p["Name"]?.DeepClone(), ["policy"] = Document(busPolicy) }, null);
                break;
            case "AWS::ApiGateway::Method" when p["Integration"] is JsonObject integration:
                var put = new JsonObject
                {
                    ["restApiId"] = p["RestApiId"]?.DeepClone() ?? "restapi",
                    ["resourceId"] = p["ResourceId"]?.DeepClone() ?? "resource",
                    ["httpMethod"] = p["HttpMethod"]?.DeepClone() ?? "ANY",
                };
                CopyIfSet(integration, "Type", put, "type");
                CopyIfSet(integration, "TimeoutInMillis", put, "timeoutInMillis");
                if (string.Equals(TemplateJson.Text(integration["Type"]), "MOCK", StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add("a MOCK integration has no backend, so no timeout applies");
                }
                yield return ("apigateway.amazonaws.com", "PutIntegration", put, null);
                break;
            case "AWS::ApiGatewayV2::Integration":
                var createIntegration = new JsonObject { ["apiId"] = p["ApiId"]?.DeepClone() ?? "api" };
                CopyIfSet(p, "IntegrationType", createIntegration, "integrationType");
                CopyIfSet(p, "TimeoutInMillis", createIntegration, "timeoutInMillis");
                foreach (var (member, target) in new[] { ("PassthroughBehavior", "passthroughBehavior"), ("TemplateSelectionExpression", "templateSelectionExpression"), ("ContentHandlingStrategy", "contentHandlingStrategy"), ("RequestTemplates", "requestTemplates") })
                {
                    CopyIfSet(p, member, createIntegration, target);
                }

                if (string.Equals(TemplateJson.Text(p["IntegrationType"]), "MOCK", StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add("a MOCK integration has no backend, so no timeout applies");
                }
                yield return ("apigateway.amazonaws.com", "CreateIntegration", createIntegration, new JsonObject { ["integrationId"] = logicalId.ToLowerInvariant() });
                break;
        }
    }

    /// <summary>
    /// The role SAM generates for a function or state machine without <c>Role</c>: <c>{LogicalId}Role</c>, trusted by the
    /// service, with AWSLambdaBasicExecutionRole (functions) and one attachment or inline policy per <c>Policies</c>
    /// entry: a managed policy name or ARN, an inline document (<c>Statement</c>), or a SAM policy template.
    /// </summary>
    private static IEnumerable<(string, string, JsonObject, JsonObject?)> SamRole(
        TemplateContext context, string logicalId, JsonObject p, string service, List<string> notes)
    {
        if (p["Role"] is not null)
        {
            if (p["Policies"] is not null)
            {
                notes.Add("Policies are ignored by SAM because Role is set; the role given is judged where it is defined");
            }

            yield break;
        }

        const string Iam = "iam.amazonaws.com";
        var roleName = $"{TemplateContext.StackName}-{logicalId}Role";
        var trust = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = service },
                ["Action"] = "sts:AssumeRole",
            }),
        };
        yield return (Iam, "CreateRole", new JsonObject { ["roleName"] = roleName, ["assumeRolePolicyDocument"] = TemplateJson.Compact(trust) },
            new JsonObject { ["role"] = new JsonObject { ["roleName"] = roleName, ["arn"] = $"arn:{context.Partition}:iam::{TemplateContext.AccountId}:role/{roleName}" } });
        if (service == "lambda.amazonaws.com")
        {
            yield return (Iam, "AttachRolePolicy", new JsonObject { ["roleName"] = roleName, ["policyArn"] = ManagedPolicyArn(context, "AWSLambdaBasicExecutionRole") }, null);
        }

        var policies = p["Policies"] switch
        {
            null => [],
            JsonArray list => list.ToList(),
            var single => [single],
        };
        var index = 0;
        foreach (var policy in policies)
        {
            switch (policy)
            {
                case JsonValue value when TemplateJson.Text(value) is { Length: > 0 } name:
                    yield return (Iam, "AttachRolePolicy", new JsonObject { ["roleName"] = roleName, ["policyArn"] = name.StartsWith("arn:", StringComparison.Ordinal) ? name : ManagedPolicyArn(context, name) }, null);
                    break;
                case JsonObject document when document.ContainsKey("Statement"):
                    yield return (Iam, "PutRolePolicy", new JsonObject
                    {
                        ["roleName"] = roleName,
                        ["policyName"] = $"{logicalId}RolePolicy{index++}",
                        ["policyDocument"] = Document(document),
                    }, null);
                    break;
                case JsonObject { Count: 1 } template:
                    var (templateName, values) = template.First();
                    var expanded = SamPolicyTemplates.Expand(templateName, values as JsonObject, out var problem);
                    if (expanded is null)
                    {
                        notes.Add($"policy template not expanded: {problem}");
                        break;
                    }

                    yield return (Iam, "PutRolePolicy", new JsonObject
                    {
                        ["roleName"] = roleName,
                        ["policyName"] = $"{logicalId}RolePolicy{index++}",
                        ["policyDocument"] = Document(context.Resolve(expanded)),
                    }, null);
                    break;
                default:
                    notes.Add($"a Policies entry that is neither a policy name, a document nor a policy template: {TemplateJson.Compact(policy ?? JsonValue.Create("null")!)}");
                    break;
            }
        }
    }

    /// <summary>AWS-managed policies SAM users name by name; the Lambda execution roles live under service-role/.</summary>
    private static string ManagedPolicyArn(TemplateContext context, string name) =>
        name.StartsWith("AWSLambda", StringComparison.Ordinal) && name.EndsWith("ExecutionRole", StringComparison.Ordinal)
            ? $"arn:{context.Partition}:iam::aws:policy/service-role/{name}"
            : $"arn:{context.Partition}:iam::aws:policy/{name}";

    /// <summary>
    /// SAM's implicit integrations: each <c>Api</c> event is an AWS_PROXY integration on the REST API it names (else
    /// ServerlessRestApi), each <c>HttpApi</c> event one on the HTTP API it names (else ServerlessHttpApi); without
    /// <c>TimeoutInMillis</c> on the event SAM sets none, so the service default applies (29 s REST, 30 s HTTP).
    /// </summary>
    private static IEnumerable<(string, string, JsonObject, JsonObject?)> SamApiEvents(
        string logicalId, JsonObject function)
    {
        foreach (var (eventName, node) in function["Events"] as JsonObject ?? [])
        {
            var properties = node?["Properties"] as JsonObject ?? [];
            switch (TemplateJson.Text(node?["Type"]))
            {
                case "Api":
                    var put = new JsonObject
                    {
                        ["restApiId"] = properties["RestApiId"]?.DeepClone() ?? "ServerlessRestApi",
                        ["resourceId"] = properties["Path"]?.DeepClone() ?? "/",
                        ["httpMethod"] = (TemplateJson.Text(properties["Method"]) ?? "ANY").ToUpperInvariant(),
                        ["type"] = "AWS_PROXY",
                    };
                    CopyIfSet(properties, "TimeoutInMillis", put, "timeoutInMillis");
                    yield return ("apigateway.amazonaws.com", "PutIntegration", put, null);
                    break;
                case "HttpApi":
                    var create = new JsonObject
                    {
                        ["apiId"] = properties["ApiId"]?.DeepClone() ?? "ServerlessHttpApi",
                        ["integrationType"] = "AWS_PROXY",
                    };
                    CopyIfSet(properties, "TimeoutInMillis", create, "timeoutInMillis");
                    yield return ("apigateway.amazonaws.com", "CreateIntegration", create,
                        new JsonObject { ["integrationId"] = $"{logicalId}{eventName}".ToLowerInvariant() });
                    break;
            }
        }
    }

    private static IEnumerable<(string, string, JsonObject, JsonObject?)> InlinePolicies(JsonObject p, string noun, string principalName)
    {
        foreach (var policy in (p["Policies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return ("iam.amazonaws.com", $"Put{noun}Policy", new JsonObject
            {
                [char.ToLowerInvariant(noun[0]) + noun[1..] + "Name"] = principalName,
                ["policyName"] = policy["PolicyName"]?.DeepClone(),
                ["policyDocument"] = Document(policy["PolicyDocument"]),
            }, null);
        }
    }

    /// <summary>CloudTrail records IAM documents as JSON text.</summary>
    private static JsonNode? Document(JsonNode? document) =>
        document is null ? null : TemplateJson.Text(document) ?? (JsonNode)TemplateJson.Compact(document);

    private static void CopyIfSet(JsonObject from, string name, JsonObject destination, string target)
    {
        if (from[name] is { } value)
        {
            destination[target] = value.DeepClone();
        }
    }

    private static JsonObject Record(TemplateContext context, string logicalId, int n, string source, string name, JsonObject request, JsonObject? response) =>
        new()
        {
            ["eventVersion"] = "1.09",
            ["userIdentity"] = new JsonObject
            {
                ["type"] = "AssumedRole",
                ["arn"] = $"arn:{context.Partition}:sts::{TemplateContext.AccountId}:assumed-role/deployer/cloudformation",
                ["accountId"] = TemplateContext.AccountId,
                ["invokedBy"] = "cloudformation.amazonaws.com",
            },
            ["eventTime"] = EventTime,
            ["eventSource"] = source,
            ["eventName"] = name,
            ["awsRegion"] = context.Region,
            ["requestParameters"] = request,
            ["responseElements"] = response,
            ["eventID"] = $"template-{logicalId}-{n}",
            ["eventType"] = "AwsApiCall",
            ["recipientAccountId"] = TemplateContext.AccountId,
        };
}
