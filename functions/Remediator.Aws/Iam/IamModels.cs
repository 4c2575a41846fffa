namespace Remediator.Aws.Iam;

/// <summary>Which kind of IAM identity an inline or attached policy belongs to.</summary>
public enum IamPrincipalKind
{
    Role,
    User,
    Group,
}

/// <summary>A role, user or group by name.</summary>
public sealed record IamPrincipal(IamPrincipalKind Kind, string Name)
{
    public static IamPrincipal Role(string name) => new(IamPrincipalKind.Role, name);

    public static IamPrincipal User(string name) => new(IamPrincipalKind.User, name);

    public static IamPrincipal Group(string name) => new(IamPrincipalKind.Group, name);

    /// <summary>As used in error messages: <c>role/app</c>.</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}/{Name}";
}

/// <summary>A managed policy (GetPolicy, CreatePolicy).</summary>
public sealed record IamPolicy(string Arn, string PolicyName, string PolicyId, string Path, string DefaultVersionId, int AttachmentCount, IReadOnlyDictionary<string, string> Tags);

/// <summary>A version of a managed policy; <see cref="Document"/> is decoded JSON, null in listings.</summary>
public sealed record IamPolicyVersion(string VersionId, bool IsDefaultVersion, string? Document, DateTimeOffset? CreateDate);

/// <summary>An inline policy of a role, user or group; <see cref="Document"/> is decoded JSON.</summary>
public sealed record IamInlinePolicy(IamPrincipal Principal, string PolicyName, string Document);

/// <summary>A role (GetRole, CreateRole); <see cref="AssumeRolePolicyDocument"/> is decoded JSON.</summary>
public sealed record IamRole(
    string RoleName,
    string RoleId,
    string Arn,
    string Path,
    string AssumeRolePolicyDocument,
    string? PermissionsBoundaryArn,
    IReadOnlyDictionary<string, string> Tags);

public sealed record IamUser(string UserName, string UserId, string Arn);

/// <summary>A user as GetUser returns it, with its permissions boundary (null when none).</summary>
public sealed record IamUserDetails(IamUser User, string? PermissionsBoundaryArn);

public sealed record IamGroup(string GroupName, string GroupId, string Arn);

/// <summary>A managed policy attached to a role, user or group.</summary>
public sealed record IamAttachedPolicy(string PolicyName, string PolicyArn);

/// <summary>An access key (test set-up: the signature test signs with a user's own key).</summary>
public sealed record IamAccessKey(string UserName, string AccessKeyId, string SecretAccessKey);
