using Remediator.Aws.Iam;
using Remediator.Core.Ports;
using PortPolicyVersion = Remediator.Core.Ports.IamPolicyVersion;

namespace Remediator.Aws.State;

/// <summary>
/// IAM state read live. IAM keeps no history, so the <c>Previous*</c> answers are limited to what is certain:
/// <list type="bullet">
/// <item>Previous default version: only when the policy has exactly two versions and the non-default one was created
/// before the event time. Then it was the only version that could have been default before the event (one version is
/// default at any moment). With three or more versions, or without an event time, or when the other version is newer
/// than the event, the answer is null: the guard never guesses a revert target. (One case this cannot see: a
/// SetDefaultPolicyVersion that re-set the version that already was default; the revert then picks the other one,
/// whose document the detector has judged anyway.)</item>
/// <item>Previous inline and trust policy documents: always null. After the event IAM only shows the new document;
/// an earlier one can come only from a record of earlier state (the audit store's before-images), not from IAM.</item>
/// </list>
/// </summary>
public sealed class AwsIamStatePort : IIamStatePort
{
    private readonly IamClient _iam;

    public AwsIamStatePort(IamClient iam)
    {
        ArgumentNullException.ThrowIfNull(iam);
        _iam = iam;
    }

    public ValueTask<PortPolicyVersion?> GetPolicyDefaultVersionAsync(string policyArn, CancellationToken cancellationToken) =>
        Missing.AsNullAsync(async () =>
        {
            var policy = await _iam.GetPolicyAsync(policyArn, cancellationToken).ConfigureAwait(false);
            var version = await _iam.GetPolicyVersionAsync(policyArn, policy.DefaultVersionId, cancellationToken).ConfigureAwait(false);
            return new PortPolicyVersion(policyArn, version.VersionId, version.Document ?? string.Empty);
        });

    public async ValueTask<string?> GetPreviousDefaultVersionIdAsync(string policyArn, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        if (before is null)
        {
            return null;
        }

        var versions = await Missing.AsNullAsync(() => _iam.ListPolicyVersionsAsync(policyArn, cancellationToken)).ConfigureAwait(false);
        if (versions is not { Count: 2 })
        {
            return null;
        }

        var other = versions.SingleOrDefault(v => !v.IsDefaultVersion);
        return other is { CreateDate: { } created } && created < before.Value ? other.VersionId : null;
    }

    public ValueTask<string?> GetPreviousInlinePolicyAsync(
        Core.Ports.IamPrincipalKind kind, string principalName, string policyName, DateTimeOffset? before, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);

    public ValueTask<string?> GetPreviousAssumeRolePolicyAsync(string roleName, DateTimeOffset? before, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);

    /// <summary>
    /// Where the principal's permissions come from: inline policy names (List{Role,User,Group}Policies), attached
    /// policies (ListAttached{Role,User,Group}Policies) and, for a user, its groups (ListGroupsForUser): 2 calls for a
    /// role or group, 3 for a user, one more per extra page. Any list that cannot be read makes the whole answer null:
    /// a partial listing would look complete, and the detector then says what it could not read instead.
    /// </summary>
    public async ValueTask<IamPrincipalPolicies?> GetPrincipalPoliciesAsync(
        Core.Ports.IamPrincipalKind kind, string principalName, CancellationToken cancellationToken)
    {
        var principal = ToPrincipal(kind, principalName);
        var inline = await Missing.AsNullAsync(() => _iam.ListInlinePolicyNamesAsync(principal, cancellationToken)).ConfigureAwait(false);
        if (inline is null)
        {
            return null;
        }

        var attached = await Missing.AsNullAsync(() => _iam.ListAttachedPoliciesAsync(principal, cancellationToken)).ConfigureAwait(false);
        if (attached is null)
        {
            return null;
        }

        IReadOnlyList<string> groups = [];
        if (kind == Core.Ports.IamPrincipalKind.User)
        {
            var listed = await Missing.AsNullAsync(() => _iam.ListGroupsForUserAsync(principalName, cancellationToken)).ConfigureAwait(false);
            if (listed is null)
            {
                return null;
            }

            groups = listed;
        }

        return new IamPrincipalPolicies(inline, attached.Select(a => a.PolicyArn).ToArray(), groups);
    }

    /// <summary>GetRole's AssumeRolePolicyDocument, decoded; null when the role does not exist.</summary>
    public async ValueTask<string?> GetAssumeRolePolicyAsync(string roleName, CancellationToken cancellationToken)
    {
        var role = await Missing.AsNullAsync(() => _iam.GetRoleAsync(roleName, cancellationToken)).ConfigureAwait(false);
        return role is null || string.IsNullOrEmpty(role.AssumeRolePolicyDocument) ? null : role.AssumeRolePolicyDocument;
    }

    public async ValueTask<string?> GetInlinePolicyAsync(
        Core.Ports.IamPrincipalKind kind, string principalName, string policyName, CancellationToken cancellationToken)
    {
        var principal = ToPrincipal(kind, principalName);
        var policy = await Missing.AsNullAsync(() => _iam.GetInlinePolicyAsync(principal, policyName, cancellationToken)).ConfigureAwait(false);
        return policy?.Document;
    }

    private static IamPrincipal ToPrincipal(Core.Ports.IamPrincipalKind kind, string principalName) => kind switch
    {
        Core.Ports.IamPrincipalKind.Role => IamPrincipal.Role(principalName),
        Core.Ports.IamPrincipalKind.User => IamPrincipal.User(principalName),
        _ => IamPrincipal.Group(principalName),
    };
}
