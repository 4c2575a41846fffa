namespace Remediator.Core.Ports;

/// <summary>The three kinds of IAM identity that can hold inline and attached policies.</summary>
public enum IamPrincipalKind
{
    User,
    Group,
    Role,
}

/// <summary>One version of a managed policy, as GetPolicy + GetPolicyVersion return it.</summary>
/// <param name="PolicyArn">The managed policy.</param>
/// <param name="VersionId">e.g. <c>v3</c>.</param>
/// <param name="Document">The policy document, plain JSON or URL-encoded as IAM returns it; readers decode it.</param>
public sealed record IamPolicyVersion(string PolicyArn, string VersionId, string Document);

/// <summary>Where a principal's permissions come from, as IAM lists them now.</summary>
/// <param name="InlinePolicyNames">List{Role,User,Group}Policies.</param>
/// <param name="AttachedPolicyArns">ListAttached{Role,User,Group}Policies.</param>
/// <param name="Groups">ListGroupsForUser, for a user; empty for roles and groups.</param>
public sealed record IamPrincipalPolicies(IReadOnlyList<string> InlinePolicyNames, IReadOnlyList<string> AttachedPolicyArns, IReadOnlyList<string> Groups);

/// <summary>
/// Reads IAM state for the detectors (see <see cref="ResourceStatePorts"/>). Every method answers null for
/// "unknown or not found": offline, the entity is gone, or no earlier state was recorded.
/// <para>
/// The <c>Previous*</c> methods answer "what was true just before <paramref name="before"/>": IAM itself keeps no
/// history of inline or trust policies, nor which version was default before, so an adapter answers them from a
/// record of earlier state (the audit store's before-images, the sweep's snapshots, or earlier CloudTrail events).
/// They exist so that a revert can restore exactly what was there rather than delete.
/// </para>
/// </summary>
public interface IIamStatePort
{
    /// <summary>The managed policy's current default version and its document (GetPolicy, then GetPolicyVersion).</summary>
    ValueTask<IamPolicyVersion?> GetPolicyDefaultVersionAsync(string policyArn, CancellationToken cancellationToken);

    /// <summary>The version id that was the policy's default before <paramref name="before"/>.</summary>
    ValueTask<string?> GetPreviousDefaultVersionIdAsync(string policyArn, DateTimeOffset? before, CancellationToken cancellationToken);

    /// <summary>
    /// The inline policy's document before <paramref name="before"/> (as GetRolePolicy, GetUserPolicy or GetGroupPolicy
    /// returned it then); null when it did not exist or is unknown.
    /// </summary>
    ValueTask<string?> GetPreviousInlinePolicyAsync(
        IamPrincipalKind kind, string principalName, string policyName, DateTimeOffset? before, CancellationToken cancellationToken);

    /// <summary>The role's trust policy before <paramref name="before"/> (as GetRole's AssumeRolePolicyDocument returned it then).</summary>
    ValueTask<string?> GetPreviousAssumeRolePolicyAsync(string roleName, DateTimeOffset? before, CancellationToken cancellationToken);

    // Per-principal reads: the IAM judgement judges a principal's policies together (an escalation split across two
    // policies of one role, or a user's policy plus its group's). Default bodies answer "unknown", so adapters that
    // cannot read them (offline replay) stay correct and the detector says what it could not read.

    /// <summary>The principal's inline policy names, attached policy ARNs and (for a user) groups; null when unknown.</summary>
    ValueTask<IamPrincipalPolicies?> GetPrincipalPoliciesAsync(IamPrincipalKind kind, string principalName, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IamPrincipalPolicies?>(null);

    /// <summary>The inline policy's current document (Get{Role,User,Group}Policy); null when unknown or absent.</summary>
    ValueTask<string?> GetInlinePolicyAsync(IamPrincipalKind kind, string principalName, string policyName, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);

    /// <summary>
    /// The role's current trust policy (GetRole's AssumeRolePolicyDocument); null when unknown or the role is gone.
    /// Read when a trust-policy change arrives without its document (CloudTrail omits oversized parameters).
    /// </summary>
    ValueTask<string?> GetAssumeRolePolicyAsync(string roleName, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);
}
