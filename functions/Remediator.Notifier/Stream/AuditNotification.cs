using Remediator.Core.Audit;

namespace Remediator.Notifier.Stream;

/// <summary>One audit record to be told, to the channels its plan names.</summary>
/// <param name="Record">The record as stored (decoded from the item's <c>record</c> attribute).</param>
/// <param name="Channels">The channels of its <c>notify:&lt;channel&gt;</c> steps.</param>
/// <param name="AuditLink">The DynamoDB console page of its item; null when the stream record did not say where it lives.</param>
public sealed record AuditNotification(AuditRecord Record, IReadOnlyList<string> Channels, Uri? AuditLink)
{
    /// <summary>The CLI command that reverses the record's changes.</summary>
    public string UndoCommand => "remediator undo " + Record.Id;

    /// <summary>True when something was changed, so that there is something to undo.</summary>
    public bool ChangedSomething => Record.Actions.Any(a => a.Outcome is ActionOutcome.Done or ActionOutcome.Verified && !a.IsNotification);
}

/// <summary>What the notifier made of one record of a stream batch.</summary>
/// <param name="Position">Its index in the batch (the stream's order).</param>
/// <param name="ItemIdentifier">Its <c>dynamodb.SequenceNumber</c>: what a partial-batch response names to have it retried.</param>
/// <param name="Notification">Set when it is to be told.</param>
/// <param name="SilentReason">Set when it is deliberately not told.</param>
/// <param name="Problem">Set when the record could not be read (its item holds no readable audit record).</param>
public sealed record StreamRecordDecision(int Position, string ItemIdentifier, AuditNotification? Notification, string? SilentReason, string? Problem);
