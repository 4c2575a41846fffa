using Remediator.Core.Audit;
using Remediator.Core.Registry;

namespace Remediator.Notifier.Stream;

/// <summary>
/// Which changes of the audit table are worth telling, and to whom. A record is told once, when it first reaches a
/// final outcome someone should know about:
/// <list type="bullet">
/// <item>told: <c>applied</c>, <c>partially-applied</c>, <c>failed</c> (a change was attempted and someone must look),
/// <c>notify-only</c> (the brake held the guard back: a person has to act), <c>planned</c> (dry-run: what the
/// guard would have done, the point of a dry run), <c>pending</c> (approve mode: the question, with its buttons) and
/// <c>decided</c> (a decision that changed nothing, from the CLI or the expiry);</item>
/// <item>silent: <c>in-progress</c> (not final; its completion is told), <c>skipped</c> (nothing was looked at),
/// <c>exempt</c> (left alone on purpose), <c>undone</c> (a person did it with the CLI and knows), and every REMOVE
/// (TTL expiry).</item>
/// </list>
/// A MODIFY is told only when the old image's outcome was not itself told: the stores overwrite a record only while it
/// is in progress (completion, lease take-over) or to mark it undone, so "old not told, new told" happens exactly once
/// per record. Without an old image (a stream of view type NEW_IMAGE) a MODIFY into a told outcome can only be a
/// completion, and is told.
/// </summary>
public static class NotificationPolicy
{
    public const string Slack = "slack";
    public const string Sns = "sns";

    private const string NotifyOperationPrefix = "notify:";

    public static bool IsWorthTelling(AuditOutcome outcome) =>
        outcome is AuditOutcome.Applied or AuditOutcome.PartiallyApplied or AuditOutcome.Failed or AuditOutcome.NotifyOnly or AuditOutcome.Planned
            or AuditOutcome.Pending or AuditOutcome.Decided;

    /// <summary>Null when the change is to be told; otherwise why it is not (for a debug line).</summary>
    public static string? WhySilent(string eventName, AuditOutcome? newOutcome, AuditOutcome? oldOutcome)
    {
        switch (eventName)
        {
            case "REMOVE":
                return "the record was removed (TTL expiry or clean-up)";
            case "INSERT" or "MODIFY":
                break;
            default:
                return $"unknown stream event '{eventName}'";
        }

        if (newOutcome is not { } outcome)
        {
            return "the new image carries no outcome";
        }

        if (!IsWorthTelling(outcome))
        {
            return $"outcome '{outcome.ToName()}' is not told";
        }

        if (eventName == "MODIFY" && oldOutcome is { } old && IsWorthTelling(old))
        {
            return $"already told when it became '{old.ToName()}'";
        }

        return null;
    }

    /// <summary>The channels of the record's <c>notify:&lt;channel&gt;</c> steps, each once, in plan order.</summary>
    public static IReadOnlyList<string> ChannelsOf(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var channels = new List<string>();
        foreach (var action in record.Actions)
        {
            if (action.Action == ActionNames.Notify
                && action.Operation.StartsWith(NotifyOperationPrefix, StringComparison.Ordinal)
                && action.Operation[NotifyOperationPrefix.Length..] is { Length: > 0 } channel
                && !channels.Contains(channel))
            {
                channels.Add(channel);
            }
        }

        return channels;
    }
}
