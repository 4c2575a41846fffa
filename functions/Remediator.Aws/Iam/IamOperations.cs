using Remediator.Aws.Transport;

namespace Remediator.Aws.Iam;

/// <summary>The IAM operations <see cref="IamClient"/> calls, each with the IAM action it needs.</summary>
public static class IamOperations
{
    public const string ApiVersion = "2010-05-08";

    public static readonly AwsOperation GetPolicy = Op("GetPolicy");
    public static readonly AwsOperation GetPolicyVersion = Op("GetPolicyVersion");
    public static readonly AwsOperation ListPolicyVersions = Op("ListPolicyVersions");
    public static readonly AwsOperation CreatePolicyVersion = Op("CreatePolicyVersion");
    public static readonly AwsOperation DeletePolicyVersion = Op("DeletePolicyVersion");
    public static readonly AwsOperation SetDefaultPolicyVersion = Op("SetDefaultPolicyVersion");
    public static readonly AwsOperation GetRole = Op("GetRole");
    public static readonly AwsOperation GetRolePolicy = Op("GetRolePolicy");
    public static readonly AwsOperation GetUserPolicy = Op("GetUserPolicy");
    public static readonly AwsOperation GetGroupPolicy = Op("GetGroupPolicy");
    public static readonly AwsOperation PutRolePolicy = Op("PutRolePolicy");
    public static readonly AwsOperation PutUserPolicy = Op("PutUserPolicy");
    public static readonly AwsOperation PutGroupPolicy = Op("PutGroupPolicy");
    public static readonly AwsOperation DeleteRolePolicy = Op("DeleteRolePolicy");
    public static readonly AwsOperation DeleteUserPolicy = Op("DeleteUserPolicy");
    public static readonly AwsOperation DeleteGroupPolicy = Op("DeleteGroupPolicy");
    public static readonly AwsOperation AttachRolePolicy = Op("AttachRolePolicy");
    public static readonly AwsOperation AttachUserPolicy = Op("AttachUserPolicy");
    public static readonly AwsOperation AttachGroupPolicy = Op("AttachGroupPolicy");
    public static readonly AwsOperation DetachRolePolicy = Op("DetachRolePolicy");
    public static readonly AwsOperation DetachUserPolicy = Op("DetachUserPolicy");
    public static readonly AwsOperation DetachGroupPolicy = Op("DetachGroupPolicy");
    public static readonly AwsOperation ListAttachedRolePolicies = Op("ListAttachedRolePolicies");
    public static readonly AwsOperation ListRolePolicies = Op("ListRolePolicies");
    public static readonly AwsOperation UpdateAssumeRolePolicy = Op("UpdateAssumeRolePolicy");
    public static readonly AwsOperation PutRolePermissionsBoundary = Op("PutRolePermissionsBoundary");
    public static readonly AwsOperation PutUserPermissionsBoundary = Op("PutUserPermissionsBoundary");
    public static readonly AwsOperation TagRole = Op("TagRole");
    public static readonly AwsOperation TagUser = Op("TagUser");
    public static readonly AwsOperation TagPolicy = Op("TagPolicy");
    public static readonly AwsOperation ListRoleTags = Op("ListRoleTags");
    public static readonly AwsOperation ListUserTags = Op("ListUserTags");

    // Read before-states and undo what the guard did (quarantine, tags).
    public static readonly AwsOperation GetUser = Op("GetUser");
    public static readonly AwsOperation ListAttachedUserPolicies = Op("ListAttachedUserPolicies");
    public static readonly AwsOperation ListAttachedGroupPolicies = Op("ListAttachedGroupPolicies");

    // Judge a user or group as a whole: its inline policies and, for a user, its groups'.
    public static readonly AwsOperation ListUserPolicies = Op("ListUserPolicies");
    public static readonly AwsOperation ListGroupPolicies = Op("ListGroupPolicies");
    public static readonly AwsOperation ListGroupsForUser = Op("ListGroupsForUser");
    public static readonly AwsOperation DeleteRolePermissionsBoundary = Op("DeleteRolePermissionsBoundary");
    public static readonly AwsOperation DeleteUserPermissionsBoundary = Op("DeleteUserPermissionsBoundary");
    public static readonly AwsOperation UntagRole = Op("UntagRole");
    public static readonly AwsOperation UntagUser = Op("UntagUser");
    public static readonly AwsOperation UntagPolicy = Op("UntagPolicy");

    // Test set-up only: no guard function's role should ever need these.
    public static readonly AwsOperation CreateRole = Op("CreateRole");
    public static readonly AwsOperation CreateUser = Op("CreateUser");
    public static readonly AwsOperation CreateGroup = Op("CreateGroup");
    public static readonly AwsOperation CreatePolicy = Op("CreatePolicy");
    public static readonly AwsOperation CreateAccessKey = Op("CreateAccessKey");
    public static readonly AwsOperation AddUserToGroup = Op("AddUserToGroup");

    /// <summary>Every operation above, for permission checks.</summary>
    public static readonly IReadOnlyList<AwsOperation> All =
    [
        GetPolicy, GetPolicyVersion, ListPolicyVersions, CreatePolicyVersion, DeletePolicyVersion, SetDefaultPolicyVersion,
        GetRole, GetRolePolicy, GetUserPolicy, GetGroupPolicy, PutRolePolicy, PutUserPolicy, PutGroupPolicy,
        DeleteRolePolicy, DeleteUserPolicy, DeleteGroupPolicy, AttachRolePolicy, AttachUserPolicy, AttachGroupPolicy,
        DetachRolePolicy, DetachUserPolicy, DetachGroupPolicy, ListAttachedRolePolicies, ListRolePolicies,
        UpdateAssumeRolePolicy, PutRolePermissionsBoundary, PutUserPermissionsBoundary, TagRole, TagUser, TagPolicy,
        ListRoleTags, ListUserTags, GetUser, ListAttachedUserPolicies, ListAttachedGroupPolicies,
        DeleteRolePermissionsBoundary, DeleteUserPermissionsBoundary, UntagRole, UntagUser, UntagPolicy,
        ListUserPolicies, ListGroupPolicies, ListGroupsForUser,
        CreateRole, CreateUser, CreateGroup, CreatePolicy, CreateAccessKey, AddUserToGroup,
    ];

    private static AwsOperation Op(string name) => AwsOperation.Rpc("iam", name);
}
