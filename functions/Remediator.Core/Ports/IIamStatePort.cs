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
}
