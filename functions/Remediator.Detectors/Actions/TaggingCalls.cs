namespace Remediator.Detectors.Actions;

/// <summary>
/// The tagging API call for a resource, by CloudFormation type: each service's tag call is
/// its own catalogue entry (<see cref="OperationCatalogue"/>), which knows its parameters and the shape of its tags.
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
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [key] = value };
        return resourceType switch
        {
            "AWS::IAM::Role" when IamName(resourceArn, "role/") is { } roleName => Step(OperationCatalogue.RoleTags, roleName, resourceArn, description, tags),
            "AWS::IAM::User" when IamName(resourceArn, "user/") is { } userName => Step(OperationCatalogue.UserTags, userName, resourceArn, description, tags),
            "AWS::IAM::ManagedPolicy" or "AWS::IAM::Policy" when IamName(resourceArn, "policy/") is not null
                => Step(OperationCatalogue.PolicyTags, resourceArn, resourceArn, description, tags),
            "AWS::Events::EventBus" when ResourceArns.IsArn(resourceArn) => Step(OperationCatalogue.EventBusTags, resourceArn, resourceArn, description, tags),
            "AWS::Lambda::Function" when ResourceArns.IsArn(resourceArn) => Step(OperationCatalogue.FunctionTags, resourceArn, resourceArn, description, tags),
            "AWS::DynamoDB::Table" when ResourceArns.IsArn(resourceArn) => Step(OperationCatalogue.TableTags, resourceArn, resourceArn, description, tags),
            // API Gateway's permissions are HTTP verbs on resource paths: the step's resource is the tags path.
            "AWS::ApiGateway::RestApi" when ResourceArns.IsArn(resourceArn) => Step(OperationCatalogue.RestApiTags, resourceArn, TagsPath(resourceArn), description, tags),
            "AWS::ApiGatewayV2::Api" when ResourceArns.IsArn(resourceArn) => Step(OperationCatalogue.HttpApiTags, resourceArn, TagsPath(resourceArn), description, tags),
            _ => null,
        };
    }

    private static PlannedAction Step<TTag, TUntag>(
        TagOperations<TTag, TUntag> operations, string target, string resource, string description, IReadOnlyDictionary<string, string> tags)
        where TTag : class, ITagParameters
        where TUntag : class, IUntagParameters =>
        operations.Tag.Plan(ActionNames.Tag, resource, description, operations.TagParameters(target, tags));

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
}
