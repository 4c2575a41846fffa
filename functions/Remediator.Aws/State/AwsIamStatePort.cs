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
    /// A role's inline policy names and attached policies (ListRolePolicies + ListAttachedRolePolicies: 2 calls, more
    /// when paged). Users and groups answer null for now: listing their inline policies and a user's groups needs
    /// ListUserPolicies, ListGroupPolicies and ListGroupsForUser, which the IAM client does not speak yet, and a partial
    /// answer would look complete; the detector then says it could not read them.
    /// </summary>
    public async ValueTask<IamPrincipalPolicies?> GetPrincipalPoliciesAsync(
        Core.Ports.IamPrincipalKind kind, string principalName, CancellationToken cancellationToken)
    {
        if (kind != Core.Ports.IamPrincipalKind.Role)
        {
            return null;
        }

        var inline = await Missing.AsNullAsync(() => _iam.ListRolePoliciesAsync(principalName, cancellationToken)).ConfigureAwait(false);
        var attached = await Missing.AsNullAsync(() => _iam.ListAttachedPoliciesAsync(IamPrincipal.Role(principalName), cancellationToken)).ConfigureAwait(false);
        return inline is null || attached is null
            ? null
            : new IamPrincipalPolicies(inline, attached.Select(a => a.PolicyArn).ToArray(), []);
    }

    public async ValueTask<string?> GetInlinePolicyAsync(
        Core.Ports.IamPrincipalKind kind, string principalName, string policyName, CancellationToken cancellationToken)
    {
        var principal = kind switch
        {
            Core.Ports.IamPrincipalKind.Role => IamPrincipal.Role(principalName),
            Core.Ports.IamPrincipalKind.User => IamPrincipal.User(principalName),
            _ => IamPrincipal.Group(principalName),
        };
        var policy = await Missing.AsNullAsync(() => _iam.GetInlinePolicyAsync(principal, policyName, cancellationToken)).ConfigureAwait(false);
        return policy?.Document;
    }
}
