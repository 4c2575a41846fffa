namespace Remediator.Core.Approvals;

/// <summary>
/// The answer of <see cref="IApproverGroups.GroupsOfAsync"/>: the approver groups the user belongs to, or why that
/// cannot be known (then the click is refused: a group approver never means "anyone", so unknown means no).
/// </summary>
public sealed record GroupMembership(IReadOnlyCollection<string>? GroupsOfUser, string? Unavailable)
{
    public static GroupMembership Of(IReadOnlyCollection<string> groups) => new(groups, null);

    public static GroupMembership Unknown(string why) => new(null, why);
}

/// <summary>
/// Who is in a Slack user group (approvers S…). The click carries only the user id, so a group approver needs a lookup;
/// the Slack function asks Slack's <c>usergroups.users.list</c> with the optional bot token.
/// </summary>
public interface IApproverGroups
{
    /// <summary>Which of <paramref name="groupIds"/> have <paramref name="userId"/> as a member.</summary>
    Task<GroupMembership> GroupsOfAsync(string userId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken);
}

/// <summary>No way to resolve user groups (no bot token; the CLI): members of a group approver are refused, with the reason.</summary>
public sealed class UnresolvedApproverGroups(string why) : IApproverGroups
{
    public const string NoBotToken = "user-group approvers need the Slack bot token (usergroups:read), and none is configured";

    public static readonly UnresolvedApproverGroups WithoutBotToken = new(NoBotToken);

    public Task<GroupMembership> GroupsOfAsync(string userId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken) =>
        Task.FromResult(GroupMembership.Unknown(why));
}
