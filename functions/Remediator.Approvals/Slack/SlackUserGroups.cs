using System.Collections.Concurrent;
using Remediator.Core.Approvals;

namespace Remediator.Approvals.Slack;

/// <summary>
/// User-group approvers resolved through Slack's <c>usergroups.users.list</c>, each group's members kept for a short
/// while (a burst of clicks makes one call per group; a member removed from the group loses the right within
/// <see cref="CacheFor"/>). Any failure to resolve is an answer of "unknown", which the decision service refuses.
/// </summary>
public sealed class SlackUserGroups(SlackWebApi slack, TimeProvider clock) : IApproverGroups
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, (HashSet<string> Members, DateTimeOffset Until)> _members = new(StringComparer.Ordinal);

    public async Task<GroupMembership> GroupsOfAsync(string userId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken)
    {
        var of = new List<string>();
        foreach (var group in groupIds)
        {
            var now = clock.GetUtcNow();
            if (!_members.TryGetValue(group, out var cached) || now >= cached.Until)
            {
                var answer = await slack.UserGroupMembersAsync(group, cancellationToken).ConfigureAwait(false);
                if (!answer.Ok)
                {
                    return GroupMembership.Unknown($"Slack usergroups.users.list for {group}: {answer.Error}");
                }

                cached = (new HashSet<string>(answer.Users, StringComparer.Ordinal), now + CacheFor);
                _members[group] = cached;
            }

            if (cached.Members.Contains(userId))
            {
                of.Add(group);
            }
        }

        return GroupMembership.Of(of);
    }
}
