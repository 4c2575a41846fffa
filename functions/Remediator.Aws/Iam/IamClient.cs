using System.Xml.Linq;
using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Iam;

/// <summary>
/// The IAM calls the guard makes (Query protocol, global endpoint). Policy documents come back URL-encoded
/// (RFC 3986) and are returned decoded. Listings follow <c>Marker</c> to the last page.
/// </summary>
public sealed class IamClient : AwsServiceClient
{
    // A listing longer than this many pages means something is wrong; stop instead of looping forever.
    private const int MaxPages = 100;

    private readonly QueryProtocol _query;

    public IamClient(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.Iam, options, settings)
    {
        _query = new QueryProtocol(Transport, IamOperations.ApiVersion);
    }

    public async Task<IamPolicy> GetPolicyAsync(string policyArn, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(IamOperations.GetPolicy, policyArn, new QueryParameters().Add("PolicyArn", policyArn), cancellationToken).ConfigureAwait(false);
        return ReadPolicy(Xml.Child(result, "Policy"));
    }

    public async Task<IamPolicyVersion> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("PolicyArn", policyArn).Add("VersionId", versionId);
        var result = await CallAsync(IamOperations.GetPolicyVersion, $"{policyArn} version {versionId}", parameters, cancellationToken).ConfigureAwait(false);
        return ReadVersion(Xml.Child(result, "PolicyVersion"));
    }

    /// <summary>All versions of a managed policy, without documents.</summary>
    public async Task<IReadOnlyList<IamPolicyVersion>> ListPolicyVersionsAsync(string policyArn, CancellationToken cancellationToken = default)
    {
        var versions = new List<IamPolicyVersion>();
        await ForEachPageAsync(IamOperations.ListPolicyVersions, policyArn, new QueryParameters().Add("PolicyArn", policyArn),
            page => versions.AddRange(Xml.Members(page, "Versions").Select(ReadVersion)), cancellationToken).ConfigureAwait(false);
        return versions;
    }

    public async Task<IamPolicyVersion> CreatePolicyVersionAsync(string policyArn, string document, bool setAsDefault, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("PolicyArn", policyArn).Add("PolicyDocument", document).Add("SetAsDefault", setAsDefault);
        var result = await CallAsync(IamOperations.CreatePolicyVersion, policyArn, parameters, cancellationToken).ConfigureAwait(false);
        return ReadVersion(Xml.Child(result, "PolicyVersion"));
    }

    public Task DeletePolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.DeletePolicyVersion, $"{policyArn} version {versionId}",
            new QueryParameters().Add("PolicyArn", policyArn).Add("VersionId", versionId), cancellationToken);

    public Task SetDefaultPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.SetDefaultPolicyVersion, $"{policyArn} version {versionId}",
            new QueryParameters().Add("PolicyArn", policyArn).Add("VersionId", versionId), cancellationToken);

    public async Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(IamOperations.GetRole, IamPrincipal.Role(roleName).ToString(), new QueryParameters().Add("RoleName", roleName), cancellationToken).ConfigureAwait(false);
        return ReadRole(Xml.Child(result, "Role"));
    }

    /// <summary>GetRolePolicy, GetUserPolicy or GetGroupPolicy.</summary>
    public async Task<IamInlinePolicy> GetInlinePolicyAsync(IamPrincipal principal, string policyName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = ByKind(principal, IamOperations.GetRolePolicy, IamOperations.GetUserPolicy, IamOperations.GetGroupPolicy);
        var result = await CallAsync(operation, $"{principal} policy {policyName}", Named(principal).Add("PolicyName", policyName), cancellationToken).ConfigureAwait(false);
        return new IamInlinePolicy(principal, Xml.Text(result, "PolicyName") ?? policyName, Decode(Xml.Text(result, "PolicyDocument")));
    }

    /// <summary>PutRolePolicy, PutUserPolicy or PutGroupPolicy: creates or replaces the inline policy.</summary>
    public Task PutInlinePolicyAsync(IamPrincipal principal, string policyName, string document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = ByKind(principal, IamOperations.PutRolePolicy, IamOperations.PutUserPolicy, IamOperations.PutGroupPolicy);
        return CallAsync(operation, $"{principal} policy {policyName}", Named(principal).Add("PolicyName", policyName).Add("PolicyDocument", document), cancellationToken);
    }

    /// <summary>DeleteRolePolicy, DeleteUserPolicy or DeleteGroupPolicy.</summary>
    public Task DeleteInlinePolicyAsync(IamPrincipal principal, string policyName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = ByKind(principal, IamOperations.DeleteRolePolicy, IamOperations.DeleteUserPolicy, IamOperations.DeleteGroupPolicy);
        return CallAsync(operation, principal.ToString(), Named(principal).Add("PolicyName", policyName), cancellationToken);
    }

    /// <summary>AttachRolePolicy, AttachUserPolicy or AttachGroupPolicy.</summary>
    public Task AttachPolicyAsync(IamPrincipal principal, string policyArn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = ByKind(principal, IamOperations.AttachRolePolicy, IamOperations.AttachUserPolicy, IamOperations.AttachGroupPolicy);
        return CallAsync(operation, $"{principal} policy {policyArn}", Named(principal).Add("PolicyArn", policyArn), cancellationToken);
    }

    /// <summary>DetachRolePolicy, DetachUserPolicy or DetachGroupPolicy.</summary>
    public Task DetachPolicyAsync(IamPrincipal principal, string policyArn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = ByKind(principal, IamOperations.DetachRolePolicy, IamOperations.DetachUserPolicy, IamOperations.DetachGroupPolicy);
        return CallAsync(operation, $"{principal} policy {policyArn}", Named(principal).Add("PolicyArn", policyArn), cancellationToken);
    }

    public async Task<IReadOnlyList<IamAttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken = default)
    {
        var policies = new List<IamAttachedPolicy>();
        await ForEachPageAsync(IamOperations.ListAttachedRolePolicies, IamPrincipal.Role(roleName).ToString(), new QueryParameters().Add("RoleName", roleName),
            page => policies.AddRange(Xml.Members(page, "AttachedPolicies").Select(member => new IamAttachedPolicy(Xml.Text(member, "PolicyName") ?? "", Xml.Text(member, "PolicyArn") ?? ""))),
            cancellationToken).ConfigureAwait(false);
        return policies;
    }

    /// <summary>ListAttachedRolePolicies, ListAttachedUserPolicies or ListAttachedGroupPolicies.</summary>
    public async Task<IReadOnlyList<IamAttachedPolicy>> ListAttachedPoliciesAsync(IamPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = ByKind(principal, IamOperations.ListAttachedRolePolicies, IamOperations.ListAttachedUserPolicies, IamOperations.ListAttachedGroupPolicies);
        var policies = new List<IamAttachedPolicy>();
        await ForEachPageAsync(operation, principal.ToString(), Named(principal),
            page => policies.AddRange(Xml.Members(page, "AttachedPolicies").Select(member => new IamAttachedPolicy(Xml.Text(member, "PolicyName") ?? "", Xml.Text(member, "PolicyArn") ?? ""))),
            cancellationToken).ConfigureAwait(false);
        return policies;
    }

    /// <summary>A user and its permissions boundary.</summary>
    public async Task<IamUserDetails> GetUserAsync(string userName, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(IamOperations.GetUser, IamPrincipal.User(userName).ToString(), new QueryParameters().Add("UserName", userName), cancellationToken).ConfigureAwait(false);
        var user = Xml.Child(result, "User");
        return new IamUserDetails(
            new IamUser(Xml.Text(user, "UserName") ?? userName, Xml.Text(user, "UserId") ?? "", Xml.Text(user, "Arn") ?? ""),
            Xml.Text(Xml.Child(user, "PermissionsBoundary"), "PermissionsBoundaryArn"));
    }

    /// <summary>DeleteRolePermissionsBoundary or DeleteUserPermissionsBoundary: the undo of a boundary quarantine.</summary>
    public Task DeletePermissionsBoundaryAsync(IamPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = principal.Kind switch
        {
            IamPrincipalKind.Role => IamOperations.DeleteRolePermissionsBoundary,
            IamPrincipalKind.User => IamOperations.DeleteUserPermissionsBoundary,
            _ => throw new ArgumentException($"{principal}: only roles and users have a permissions boundary", nameof(principal)),
        };
        return CallAsync(operation, principal.ToString(), Named(principal), cancellationToken);
    }

    public Task UntagRoleAsync(string roleName, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.UntagRole, IamPrincipal.Role(roleName).ToString(), AddList(new QueryParameters().Add("RoleName", roleName), "TagKeys", tagKeys), cancellationToken);

    public Task UntagUserAsync(string userName, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.UntagUser, IamPrincipal.User(userName).ToString(), AddList(new QueryParameters().Add("UserName", userName), "TagKeys", tagKeys), cancellationToken);

    public Task UntagPolicyAsync(string policyArn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.UntagPolicy, policyArn, AddList(new QueryParameters().Add("PolicyArn", policyArn), "TagKeys", tagKeys), cancellationToken);

    /// <summary>The names of a role's inline policies.</summary>
    public async Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        await ForEachPageAsync(IamOperations.ListRolePolicies, IamPrincipal.Role(roleName).ToString(), new QueryParameters().Add("RoleName", roleName),
            page => names.AddRange(Xml.Members(page, "PolicyNames").Select(member => member.Value)), cancellationToken).ConfigureAwait(false);
        return names;
    }

    /// <summary>ListRolePolicies, ListUserPolicies or ListGroupPolicies: the names of the principal's inline policies.</summary>
    public async Task<IReadOnlyList<string>> ListInlinePolicyNamesAsync(IamPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = ByKind(principal, IamOperations.ListRolePolicies, IamOperations.ListUserPolicies, IamOperations.ListGroupPolicies);
        var names = new List<string>();
        await ForEachPageAsync(operation, principal.ToString(), Named(principal),
            page => names.AddRange(Xml.Members(page, "PolicyNames").Select(member => member.Value)), cancellationToken).ConfigureAwait(false);
        return names;
    }

    /// <summary>ListGroupsForUser: the names of the groups the user is in (their policies are the user's too).</summary>
    public async Task<IReadOnlyList<string>> ListGroupsForUserAsync(string userName, CancellationToken cancellationToken = default)
    {
        var groups = new List<string>();
        await ForEachPageAsync(IamOperations.ListGroupsForUser, IamPrincipal.User(userName).ToString(), new QueryParameters().Add("UserName", userName),
            page => groups.AddRange(Xml.Members(page, "Groups").Select(member => Xml.Text(member, "GroupName") ?? "").Where(name => name.Length > 0)),
            cancellationToken).ConfigureAwait(false);
        return groups;
    }

    public Task UpdateAssumeRolePolicyAsync(string roleName, string document, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.UpdateAssumeRolePolicy, IamPrincipal.Role(roleName).ToString(),
            new QueryParameters().Add("RoleName", roleName).Add("PolicyDocument", document), cancellationToken);

    /// <summary>PutRolePermissionsBoundary or PutUserPermissionsBoundary (groups have no boundary).</summary>
    public Task PutPermissionsBoundaryAsync(IamPrincipal principal, string boundaryPolicyArn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var operation = principal.Kind switch
        {
            IamPrincipalKind.Role => IamOperations.PutRolePermissionsBoundary,
            IamPrincipalKind.User => IamOperations.PutUserPermissionsBoundary,
            _ => throw new ArgumentException($"{principal}: only roles and users have a permissions boundary", nameof(principal)),
        };
        return CallAsync(operation, principal.ToString(), Named(principal).Add("PermissionsBoundary", boundaryPolicyArn), cancellationToken);
    }

    public Task TagRoleAsync(string roleName, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.TagRole, IamPrincipal.Role(roleName).ToString(), new QueryParameters().Add("RoleName", roleName).AddTags("Tags", tags), cancellationToken);

    public Task TagUserAsync(string userName, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.TagUser, IamPrincipal.User(userName).ToString(), new QueryParameters().Add("UserName", userName).AddTags("Tags", tags), cancellationToken);

    public Task TagPolicyAsync(string policyArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.TagPolicy, policyArn, new QueryParameters().Add("PolicyArn", policyArn).AddTags("Tags", tags), cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> ListRoleTagsAsync(string roleName, CancellationToken cancellationToken = default) =>
        ListTagsAsync(IamOperations.ListRoleTags, IamPrincipal.Role(roleName), cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> ListUserTagsAsync(string userName, CancellationToken cancellationToken = default) =>
        ListTagsAsync(IamOperations.ListUserTags, IamPrincipal.User(userName), cancellationToken);

    /// <summary>Test set-up.</summary>
    public async Task<IamRole> CreateRoleAsync(string roleName, string assumeRolePolicyDocument, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("RoleName", roleName).Add("AssumeRolePolicyDocument", assumeRolePolicyDocument);
        var result = await CallAsync(IamOperations.CreateRole, IamPrincipal.Role(roleName).ToString(), parameters, cancellationToken).ConfigureAwait(false);
        return ReadRole(Xml.Child(result, "Role"));
    }

    /// <summary>Test set-up.</summary>
    public async Task<IamUser> CreateUserAsync(string userName, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(IamOperations.CreateUser, IamPrincipal.User(userName).ToString(), new QueryParameters().Add("UserName", userName), cancellationToken).ConfigureAwait(false);
        var user = Xml.Child(result, "User");
        return new IamUser(Xml.Text(user, "UserName") ?? userName, Xml.Text(user, "UserId") ?? "", Xml.Text(user, "Arn") ?? "");
    }

    /// <summary>Test set-up.</summary>
    public async Task<IamGroup> CreateGroupAsync(string groupName, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(IamOperations.CreateGroup, IamPrincipal.Group(groupName).ToString(), new QueryParameters().Add("GroupName", groupName), cancellationToken).ConfigureAwait(false);
        var group = Xml.Child(result, "Group");
        return new IamGroup(Xml.Text(group, "GroupName") ?? groupName, Xml.Text(group, "GroupId") ?? "", Xml.Text(group, "Arn") ?? "");
    }

    /// <summary>Test set-up.</summary>
    public Task AddUserToGroupAsync(string groupName, string userName, CancellationToken cancellationToken = default) =>
        CallAsync(IamOperations.AddUserToGroup, IamPrincipal.Group(groupName).ToString(),
            new QueryParameters().Add("GroupName", groupName).Add("UserName", userName), cancellationToken);

    /// <summary>Test set-up.</summary>
    public async Task<IamPolicy> CreatePolicyAsync(string policyName, string document, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("PolicyName", policyName).Add("PolicyDocument", document);
        var result = await CallAsync(IamOperations.CreatePolicy, $"policy/{policyName}", parameters, cancellationToken).ConfigureAwait(false);
        return ReadPolicy(Xml.Child(result, "Policy"));
    }

    /// <summary>Test set-up (the signature test signs with a user's own key).</summary>
    public async Task<IamAccessKey> CreateAccessKeyAsync(string userName, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(IamOperations.CreateAccessKey, IamPrincipal.User(userName).ToString(), new QueryParameters().Add("UserName", userName), cancellationToken).ConfigureAwait(false);
        var key = Xml.Child(result, "AccessKey");
        return new IamAccessKey(Xml.Text(key, "UserName") ?? userName, Xml.Text(key, "AccessKeyId") ?? "", Xml.Text(key, "SecretAccessKey") ?? "");
    }

    /// <summary>IAM returns documents RFC 3986-encoded; <c>+</c> is a literal plus there, so not a form decoder.</summary>
    public static string Decode(string? encoded) => encoded is null ? "" : Uri.UnescapeDataString(encoded);

    private Task<XElement> CallAsync(AwsOperation operation, string resource, QueryParameters parameters, CancellationToken cancellationToken) =>
        _query.CallAsync(operation, resource, parameters, cancellationToken);

    private async Task ForEachPageAsync(AwsOperation operation, string resource, QueryParameters first, Action<XElement> readPage, CancellationToken cancellationToken)
    {
        string? marker = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var parameters = new QueryParameters();
            foreach (var (name, value) in first.Members)
            {
                parameters.Add(name, value);
            }

            var result = await CallAsync(operation, resource, parameters.Add("Marker", marker), cancellationToken).ConfigureAwait(false);
            readPage(result);
            marker = Xml.Bool(result, "IsTruncated") ? Xml.Text(result, "Marker") : null;
            if (string.IsNullOrEmpty(marker))
            {
                return;
            }
        }

        throw new InvalidOperationException($"iam:{operation.Name} on {resource}: more than {MaxPages} pages");
    }

    private async Task<IReadOnlyDictionary<string, string>> ListTagsAsync(AwsOperation operation, IamPrincipal principal, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        await ForEachPageAsync(operation, principal.ToString(), Named(principal), page =>
        {
            foreach (var (key, value) in Xml.Tags(page))
            {
                tags[key] = value;
            }
        }, cancellationToken).ConfigureAwait(false);
        return tags;
    }

    private static QueryParameters AddList(QueryParameters parameters, string name, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < values.Count; i++)
        {
            parameters.Add($"{name}.member.{i + 1}", values[i]);
        }

        return parameters;
    }

    private static QueryParameters Named(IamPrincipal principal) => new QueryParameters().Add(principal.Kind switch
    {
        IamPrincipalKind.Role => "RoleName",
        IamPrincipalKind.User => "UserName",
        _ => "GroupName",
    }, principal.Name);

    private static AwsOperation ByKind(IamPrincipal principal, AwsOperation role, AwsOperation user, AwsOperation group) => principal.Kind switch
    {
        IamPrincipalKind.Role => role,
        IamPrincipalKind.User => user,
        _ => group,
    };

    private static IamPolicy ReadPolicy(XElement? policy) => new(
        Xml.Text(policy, "Arn") ?? "",
        Xml.Text(policy, "PolicyName") ?? "",
        Xml.Text(policy, "PolicyId") ?? "",
        Xml.Text(policy, "Path") ?? "/",
        Xml.Text(policy, "DefaultVersionId") ?? "",
        Xml.Int(policy, "AttachmentCount") ?? 0,
        Xml.Tags(policy));

    private static IamPolicyVersion ReadVersion(XElement? version) => new(
        Xml.Text(version, "VersionId") ?? "",
        Xml.Bool(version, "IsDefaultVersion"),
        Xml.Text(version, "Document") is { } document ? Decode(document) : null,
        Xml.Date(version, "CreateDate"));

    private static IamRole ReadRole(XElement? role) => new(
        Xml.Text(role, "RoleName") ?? "",
        Xml.Text(role, "RoleId") ?? "",
        Xml.Text(role, "Arn") ?? "",
        Xml.Text(role, "Path") ?? "/",
        Decode(Xml.Text(role, "AssumeRolePolicyDocument")),
        Xml.Text(Xml.Child(role, "PermissionsBoundary"), "PermissionsBoundaryArn"),
        Xml.Tags(role));
}
