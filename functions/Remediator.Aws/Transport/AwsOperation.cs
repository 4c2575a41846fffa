namespace Remediator.Aws.Transport;

/// <summary>
/// One API operation as this project calls it: the wire name, the IAM action a function's role needs to call it,
/// and for REST services the HTTP method and URI template of the AWS model. Each client lists its operations so a
/// template test can check every function's role against the actions its code calls.
/// </summary>
/// <param name="Name">The operation name in the AWS model, e.g. <c>DeleteRolePolicy</c>.</param>
/// <param name="RequiredPermission">The IAM action, e.g. <c>iam:DeleteRolePolicy</c>, <c>apigateway:PATCH</c>.</param>
/// <param name="Method">The HTTP method (POST for Query and JSON protocols).</param>
/// <param name="UriTemplate">The request URI template of the model, e.g. <c>/2017-03-31/tags/{Resource}</c>.</param>
public sealed record AwsOperation(string Name, string RequiredPermission, HttpMethod Method, string UriTemplate)
{
    /// <summary>A Query or JSON-protocol operation: POST to <c>/</c>, permission <c>prefix:Name</c>.</summary>
    public static AwsOperation Rpc(string permissionPrefix, string name) => new(name, $"{permissionPrefix}:{name}", HttpMethod.Post, "/");

    public override string ToString() => Name;
}
