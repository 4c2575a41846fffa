namespace Remediator.Core.Approvals;

/// <summary>What happens to a pending decision nobody took before it expired.</summary>
public enum ExpiryOutcome
{
    /// <summary>Tell the channel that the decision lapsed; change nothing (the default: silence never acts).</summary>
    Notify,

    /// <summary>Apply the planned fix, as if an approver had pressed Apply.</summary>
    Apply,

    /// <summary>Keep the resource as it is and record the denial.</summary>
    Deny,
}

/// <summary>
/// A rule's <c>approval:</c> block: who may decide, for how long a decision stays open, what happens when nobody
/// decides, and whether the guard contains the finding at once and asks afterwards (<c>contain: true</c>).
/// </summary>
/// <param name="Approvers">Slack user ids (U…, W…) and user-group ids (S…). Never empty: an empty list is a validation error, never "anyone in the channel".</param>
public sealed record ApprovalPolicy(IReadOnlyList<string> Approvers, TimeSpan ExpiresAfter, ExpiryOutcome OnExpiry, bool Contain)
{
    public static readonly TimeSpan DefaultExpiresAfter = TimeSpan.FromHours(24);

    public static IReadOnlyList<string> ExpiryNames { get; } = ["notify", "apply", "deny"];

    public static string NameOf(ExpiryOutcome outcome) => ExpiryNames[(int)outcome];

    public static bool TryParseExpiry(string? text, out ExpiryOutcome outcome)
    {
        var index = text is null ? -1 : ExpiryNamesIndex(text);
        outcome = index < 0 ? ExpiryOutcome.Notify : (ExpiryOutcome)index;
        return index >= 0;
    }

    /// <summary>Slack user ids start with U or W, user-group ids with S; then upper-case letters and digits.</summary>
    public static bool IsApproverId(string text) =>
        text.Length is >= 3 and <= 32 && text[0] is 'U' or 'W' or 'S' && text.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));

    /// <summary>A user-group id (S…), as opposed to a user id: its members are looked up at click time.</summary>
    public static bool IsGroupId(string approver) => approver.StartsWith('S');

    /// <summary>The user-group approvers of the policy (<c>remediator validate</c> warns that they need the bot token).</summary>
    public IReadOnlyList<string> GroupApprovers => [.. Approvers.Where(IsGroupId)];

    private static int ExpiryNamesIndex(string text)
    {
        for (var i = 0; i < ExpiryNames.Count; i++)
        {
            if (string.Equals(ExpiryNames[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
