using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Core.Events;

namespace Remediator.Cli.Template;

/// <summary>One CloudTrail event that deploying a template resource would cause.</summary>
public sealed record TemplateEvent(string LogicalId, string ResourceType, CloudTrailEvent Event);

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

    public static IReadOnlyList<TemplateEvent> From(TemplateContext context, out int notChecked)
    {
        var events = new List<TemplateEvent>();
        notChecked = 0;
        var globals = context.FunctionGlobals;
        foreach (var (logicalId, node) in context.Resources)
        {
            if (node is not JsonObject resource || !context.Exists(resource))
            {
                continue;
            }

            var type = context.TypeOf(logicalId);
            var properties = context.Resolve(resource["Properties"]) as JsonObject ?? [];
            var calls = Calls(context, logicalId, type, properties, globals).ToList();
            if (calls.Count == 0)
            {
                notChecked++;
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

        return events;
    }

    private static IEnumerable<(string Source, string Name, JsonObject Request, JsonObject? Response)> Calls(
        TemplateContext context, string logicalId, string type, JsonObject p, JsonObject? globals)
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
                yield return ("apigateway.amazonaws.com", "PutIntegration", put, null);
                break;
            case "AWS::ApiGatewayV2::Integration":
                var createIntegration = new JsonObject { ["apiId"] = p["ApiId"]?.DeepClone() ?? "api" };
                CopyIfSet(p, "IntegrationType", createIntegration, "integrationType");
                CopyIfSet(p, "TimeoutInMillis", createIntegration, "timeoutInMillis");
                yield return ("apigateway.amazonaws.com", "CreateIntegration", createIntegration, new JsonObject { ["integrationId"] = logicalId.ToLowerInvariant() });
                break;
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
