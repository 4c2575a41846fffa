using System.Text.Json.Nodes;
using Remediator.Core.Registry;
using Remediator.Core.Remediation;

namespace Remediator.Detectors.Actions;

/// <summary>
/// The tagging API call for a resource, by CloudFormation type: each service names its call, its parameters and the
/// shape of its tags differently (IAM and EventBridge/DynamoDB take a list of Key/Value, Lambda and API Gateway a map).
/// </summary>
public static class TaggingCalls
{
    /// <summary>
    /// One <c>tag</c> step for the resource, or null when the type cannot be tagged (e.g. an inline policy, an unknown
    /// type) or the ARN does not name the resource the way the type needs.
    /// </summary>
    public static PlannedAction? For(string resourceType, string resourceArn, string key, string value)
    {
        var description = $"Tag {resourceType} '{resourceArn}' with {key}={value}.";
        switch (resourceType)
        {
            case "AWS::IAM::Role" when IamName(resourceArn, "role/") is { } roleName:
                return Step("iam:TagRole", resourceArn, description, new JsonObject { ["RoleName"] = roleName, ["Tags"] = TagList(key, value) });
            case "AWS::IAM::User" when IamName(resourceArn, "user/") is { } userName:
                return Step("iam:TagUser", resourceArn, description, new JsonObject { ["UserName"] = userName, ["Tags"] = TagList(key, value) });
            case "AWS::IAM::ManagedPolicy" or "AWS::IAM::Policy" when IamName(resourceArn, "policy/") is not null:
                return Step("iam:TagPolicy", resourceArn, description, new JsonObject { ["PolicyArn"] = resourceArn, ["Tags"] = TagList(key, value) });
            case "AWS::Events::EventBus" when ResourceArns.IsArn(resourceArn):
                return Step("events:TagResource", resourceArn, description, new JsonObject { ["ResourceARN"] = resourceArn, ["Tags"] = TagList(key, value) });
            case "AWS::Lambda::Function" when ResourceArns.IsArn(resourceArn):
                return Step("lambda:TagResource", resourceArn, description, new JsonObject { ["Resource"] = resourceArn, ["Tags"] = TagMap(key, value) });
            case "AWS::DynamoDB::Table" when ResourceArns.IsArn(resourceArn):
                return Step("dynamodb:TagResource", resourceArn, description, new JsonObject { ["ResourceArn"] = resourceArn, ["Tags"] = TagList(key, value) });
            case "AWS::ApiGateway::RestApi" when ResourceArns.IsArn(resourceArn):
                // REST API TagResource is PUT /tags/{resource_arn}; API Gateway permissions are HTTP verbs on resource paths.
                return Step("apigateway:TagResource", TagsPath(resourceArn), description,
                    new JsonObject { ["resourceArn"] = resourceArn, ["tags"] = TagMap(key, value) }, "apigateway:PUT");
            case "AWS::ApiGatewayV2::Api" when ResourceArns.IsArn(resourceArn):
                // HTTP/WebSocket API TagResource is POST /v2/tags/{resource-arn}.
                return Step("apigateway:TagResource", TagsPath(resourceArn), description,
                    new JsonObject { ["ResourceArn"] = resourceArn, ["Tags"] = TagMap(key, value) }, "apigateway:POST");
            default:
                return null;
        }
    }

    private static PlannedAction Step(string operation, string resource, string description, JsonObject parameters, string? permission = null) =>
        new(ActionNames.Tag, operation, resource, description)
        {
            Parameters = parameters,
            Permissions = [permission ?? operation],
        };

    /// <summary>The name after <c>role/</c>, <c>user/</c> or <c>policy/</c> and any path: the last segment.</summary>
    private static string? IamName(string arn, string kind)
    {
        var resource = ResourceArns.ResourceOf(arn);
        if (resource is null || !resource.StartsWith(kind, StringComparison.Ordinal))
        {
            return null;
        }

        var name = resource[(resource.LastIndexOf('/') + 1)..];
        return name.Length == 0 ? null : name;
    }

    /// <summary>API Gateway's tagging permission is on <c>arn:aws:apigateway:region::/tags/{urlencoded arn}</c>.</summary>
    private static string TagsPath(string resourceArn)
    {
        var parts = resourceArn.Split(':', 6);
        return parts.Length == 6 ? $"arn:{parts[1]}:apigateway:{parts[3]}::/tags/{Uri.EscapeDataString(resourceArn)}" : resourceArn;
    }

    private static JsonArray TagList(string key, string value) => new(new JsonObject { ["Key"] = key, ["Value"] = value });

    private static JsonObject TagMap(string key, string value) => new() { [key] = value };
}
