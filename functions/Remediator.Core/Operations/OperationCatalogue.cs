using System.Text.Json.Nodes;

namespace Remediator.Core.Operations;

/// <summary>
/// Every remediation operation the guards plan and undo plans, each one typed entry (<see cref="RemediationOperation"/>).
/// Planners build their steps through these entries, <see cref="Execution.UndoPlanner"/> asks them for inverses, the
/// AWS executor registers one handler per entry and refuses to start when one is missing, and the template tests check
/// the entries' permissions. Listed explicitly (no scanning: NativeAOT, and one place to read).
/// </summary>
public static class OperationCatalogue
{
    public static InlinePolicyOperations<RoleInlinePolicy> RoleInlinePolicy { get; } =
        new("Role", OperationJsonContext.Default.RoleInlinePolicy, (name, policy, document) => new RoleInlinePolicy(name, policy, document));

    public static InlinePolicyOperations<UserInlinePolicy> UserInlinePolicy { get; } =
        new("User", OperationJsonContext.Default.UserInlinePolicy, (name, policy, document) => new UserInlinePolicy(name, policy, document));

    public static InlinePolicyOperations<GroupInlinePolicy> GroupInlinePolicy { get; } =
        new("Group", OperationJsonContext.Default.GroupInlinePolicy, (name, policy, document) => new GroupInlinePolicy(name, policy, document));

    public static AttachmentOperations<RoleAttachment> RoleAttachment { get; } =
        new("Role", OperationJsonContext.Default.RoleAttachment, (name, arn) => new RoleAttachment(name, arn));

    public static AttachmentOperations<UserAttachment> UserAttachment { get; } =
        new("User", OperationJsonContext.Default.UserAttachment, (name, arn) => new UserAttachment(name, arn));

    public static AttachmentOperations<GroupAttachment> GroupAttachment { get; } =
        new("Group", OperationJsonContext.Default.GroupAttachment, (name, arn) => new GroupAttachment(name, arn));

    public static BoundaryOperations<RoleBoundary> RoleBoundary { get; } =
        new("Role", OperationJsonContext.Default.RoleBoundary, (name, boundary) => new RoleBoundary(name, boundary));

    public static BoundaryOperations<UserBoundary> UserBoundary { get; } =
        new("User", OperationJsonContext.Default.UserBoundary, (name, boundary) => new UserBoundary(name, boundary));

    public static SetDefaultPolicyVersionOperation SetDefaultPolicyVersion { get; } = new();

    public static UpdateAssumeRolePolicyOperation UpdateAssumeRolePolicy { get; } = new();

    public static TagOperations<RoleTags, RoleUntag> RoleTags { get; } = new(new(
        "iam:TagRole", "iam:UntagRole", ["iam:TagRole"], ["iam:UntagRole"], ["iam:ListRoleTags"],
        OperationJsonContext.Default.RoleTags, OperationJsonContext.Default.RoleUntag,
        (target, tags) => new RoleTags(target, TagLists.List(tags)), (target, keys) => new RoleUntag(target, keys)));

    public static TagOperations<UserTags, UserUntag> UserTags { get; } = new(new(
        "iam:TagUser", "iam:UntagUser", ["iam:TagUser"], ["iam:UntagUser"], ["iam:ListUserTags"],
        OperationJsonContext.Default.UserTags, OperationJsonContext.Default.UserUntag,
        (target, tags) => new UserTags(target, TagLists.List(tags)), (target, keys) => new UserUntag(target, keys)));

    public static TagOperations<PolicyTags, PolicyUntag> PolicyTags { get; } = new(new(
        "iam:TagPolicy", "iam:UntagPolicy", ["iam:TagPolicy"], ["iam:UntagPolicy"], ["iam:GetPolicy"],
        OperationJsonContext.Default.PolicyTags, OperationJsonContext.Default.PolicyUntag,
        (target, tags) => new PolicyTags(target, TagLists.List(tags)), (target, keys) => new PolicyUntag(target, keys)));

    public static RemovePermissionOperation RemovePermission { get; } = new();

    public static PutPermissionOperation PutPermission { get; } = new();

    public static TagOperations<EventBusTags, EventBusUntag> EventBusTags { get; } = new(new(
        "events:TagResource", "events:UntagResource", ["events:TagResource"], ["events:UntagResource"], ["events:ListTagsForResource"],
        OperationJsonContext.Default.EventBusTags, OperationJsonContext.Default.EventBusUntag,
        (target, tags) => new EventBusTags(target, TagLists.List(tags)), (target, keys) => new EventBusUntag(target, keys)));

    public static UpdateFunctionConfigurationOperation UpdateFunctionConfiguration { get; } = new();

    public static TagOperations<FunctionTags, FunctionUntag> FunctionTags { get; } = new(new(
        "lambda:TagResource", "lambda:UntagResource", ["lambda:TagResource"], ["lambda:UntagResource"], ["lambda:ListTags"],
        OperationJsonContext.Default.FunctionTags, OperationJsonContext.Default.FunctionUntag,
        (target, tags) => new FunctionTags(target, tags), (target, keys) => new FunctionUntag(target, keys)));

    public static RestUpdateIntegrationOperation RestUpdateIntegration { get; } = new();

    public static HttpUpdateIntegrationOperation HttpUpdateIntegration { get; } = new();

    public static CreateDeploymentOperation CreateDeployment { get; } = new();

    /// <summary>REST API tags: PUT and DELETE on /tags/{arn}.</summary>
    public static TagOperations<RestApiTags, RestApiUntag> RestApiTags { get; } = new(new(
        "apigateway:TagResource", "apigateway:UntagResource", ["apigateway:PUT"], ["apigateway:DELETE"], ["apigateway:GET"],
        OperationJsonContext.Default.RestApiTags, OperationJsonContext.Default.RestApiUntag,
        (target, tags) => new RestApiTags(target, tags), (target, keys) => new RestApiUntag(target, keys),
        parameters => parameters.ContainsKey("resourceArn")));

    /// <summary>HTTP/WebSocket API tags: POST and DELETE on /v2/tags/{arn}.</summary>
    public static TagOperations<HttpApiTags, HttpApiUntag> HttpApiTags { get; } = new(new(
        "apigateway:TagResource", "apigateway:UntagResource", ["apigateway:POST"], ["apigateway:DELETE"], ["apigateway:GET"],
        OperationJsonContext.Default.HttpApiTags, OperationJsonContext.Default.HttpApiUntag,
        (target, tags) => new HttpApiTags(target, tags), (target, keys) => new HttpApiUntag(target, keys),
        parameters => parameters.ContainsKey("ResourceArn")));

    public static UpdateTableOperation UpdateTable { get; } = new();

    public static TagOperations<TableTags, TableUntag> TableTags { get; } = new(new(
        "dynamodb:TagResource", "dynamodb:UntagResource", ["dynamodb:TagResource"], ["dynamodb:UntagResource"], ["dynamodb:ListTagsOfResource"],
        OperationJsonContext.Default.TableTags, OperationJsonContext.Default.TableUntag,
        (target, tags) => new TableTags(target, TagLists.List(tags)), (target, keys) => new TableUntag(target, keys)));

    /// <summary>Every entry, in a stable order.</summary>
    public static IReadOnlyList<RemediationOperation> All { get; } =
    [
        RoleInlinePolicy.Put, RoleInlinePolicy.Delete, UserInlinePolicy.Put, UserInlinePolicy.Delete, GroupInlinePolicy.Put, GroupInlinePolicy.Delete,
        RoleAttachment.Attach, RoleAttachment.Detach, UserAttachment.Attach, UserAttachment.Detach, GroupAttachment.Attach, GroupAttachment.Detach,
        RoleBoundary.Put, RoleBoundary.Delete, UserBoundary.Put, UserBoundary.Delete,
        SetDefaultPolicyVersion, UpdateAssumeRolePolicy,
        RoleTags.Tag, RoleTags.Untag, UserTags.Tag, UserTags.Untag, PolicyTags.Tag, PolicyTags.Untag,
        RemovePermission, PutPermission, EventBusTags.Tag, EventBusTags.Untag,
        UpdateFunctionConfiguration, FunctionTags.Tag, FunctionTags.Untag,
        RestUpdateIntegration, HttpUpdateIntegration, CreateDeployment, RestApiTags.Tag, RestApiTags.Untag, HttpApiTags.Tag, HttpApiTags.Untag,
        UpdateTable, TableTags.Tag, TableTags.Untag,
    ];

    private static readonly Dictionary<string, RemediationOperation[]> ByName =
        All.GroupBy(o => o.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The entry a step of <paramref name="operation"/> with these parameters belongs to; null when none.</summary>
    public static RemediationOperation? Find(string operation, JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!ByName.TryGetValue(operation, out var candidates))
        {
            return null;
        }

        return candidates.Length == 1 ? candidates[0] : Array.Find(candidates, c => c.Recognises(parameters));
    }
}
