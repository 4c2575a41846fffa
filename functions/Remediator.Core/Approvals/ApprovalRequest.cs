using System.Text.Json.Serialization;

namespace Remediator.Core.Approvals;

/// <summary>
/// The question a record asks people, written into the record by the guard from the rule's <see cref="ApprovalPolicy"/>:
/// the approvers are copied so that the Slack function can authorise a click from the record alone (no rule files at
/// its cold start), and a later change of the rule file does not change who may decide an open question.
/// </summary>
/// <param name="DecideBy">When a pending decision lapses and its <see cref="OnExpiry"/> outcome is taken.</param>
/// <param name="Contain">The guard already contained the finding; the question is whether to keep that or restore.</param>
public sealed record ApprovalRequest(IReadOnlyList<string> Approvers, [property: JsonRequired] DateTimeOffset DecideBy, ExpiryOutcome OnExpiry, bool Contain)
{
    public static ApprovalRequest From(ApprovalPolicy policy, DateTimeOffset now) =>
        new(policy.Approvers, now + policy.ExpiresAfter, policy.OnExpiry, policy.Contain);

    /// <summary>The approvers that are Slack user groups (S…): deciding through one needs its members looked up.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> GroupApprovers => [.. Approvers.Where(ApprovalPolicy.IsGroupId)];

    /// <summary>
    /// Whether <paramref name="userId"/> may decide. Only a listed user id authorises; a listed user group (S…) needs
    /// its members, which the click does not carry: <paramref name="groupsOfUser"/> supplies them when known.
    /// </summary>
    public bool Allows(string userId, IReadOnlyCollection<string>? groupsOfUser = null) =>
        !string.IsNullOrEmpty(userId)
        && (Approvers.Contains(userId, StringComparer.Ordinal)
            || (groupsOfUser is not null && Approvers.Any(a => ApprovalPolicy.IsGroupId(a) && groupsOfUser.Contains(a, StringComparer.Ordinal))));
}
