using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Rules;

namespace Remediator.Core.Audit;

/// <summary>
/// One decision of the guard on one event and one rule: what was found, what was decided, what was done (with before
/// and after), and why. The <see cref="Id"/> is derived from the event and the rule only, so that EventBridge's
/// repeated deliveries of one event map onto one record and the store's conditional write lets exactly one through.
/// Stored as it is (see <see cref="AuditJson"/>): the members below are written in the order they are declared.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>Stands for the rule in the record of an event that no rule looked at.</summary>
    public const string NoRule = "-";

    /// <summary>Between the event id and the delivery digest in the key of a record whose plain id another record holds.</summary>
    public const char DeliverySeparator = '~';

    /// <summary><c>&lt;eventId&gt;/&lt;rule&gt;</c>, then <c>/&lt;n&gt;</c> for a rule's n-th finding (n ≥ 2), <c>/undo</c> for an undo.</summary>
    public required string Id { get; init; }

    /// <summary>CloudTrail's <c>eventID</c>, or a digest of the record when it has none (see <see cref="EventKey"/>).</summary>
    public required string EventId { get; init; }

    public DateTimeOffset? EventTime { get; init; }

    public string? Account { get; init; }

    public string? Region { get; init; }

    /// <summary>ARN of the identity that made the call (<c>userIdentity.arn</c>).</summary>
    public string? Actor { get; init; }

    public required string Rule { get; init; }

    public string Concern { get; init; } = string.Empty;

    public string Resource { get; init; } = string.Empty;

    public string ResourceType { get; init; } = string.Empty;

    public Severity? Severity { get; init; }

    public string? Check { get; init; }

    public string? Summary { get; init; }

    public IReadOnlyList<string> Evidence { get; init; } = [];

    public required RuleMode Mode { get; init; }

    public required AuditOutcome Outcome { get; init; }

    /// <summary>Why the outcome is what it is when that is not obvious: exemption, brake, skip reason, error.</summary>
    public string? Reason { get; init; }

    public IReadOnlyList<AuditAction> Actions { get; init; } = [];

    /// <summary>When the record was begun: the order of the trail, and its owner's token while in progress.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// While <see cref="AuditOutcome.InProgress"/>: until when the owner may work on it. After that a new delivery
    /// may take the record over, so that an invocation that crashed mid-way does not block the event forever.
    /// </summary>
    public DateTimeOffset? InProgressUntil { get; init; }

    /// <summary>Id of the record this one reverses.</summary>
    public string? UndoOf { get; init; }

    /// <summary>Id of the record that reversed this one.</summary>
    public string? UndoneBy { get; init; }

    /// <summary>The question this record asks its approvers (approve mode, or who may undo from Slack); null when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Approvals.ApprovalRequest? Approval { get; init; }

    /// <summary>On a decision record (<c>&lt;id&gt;/decision</c>): what was decided, by whom, when, why.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Approvals.DecisionTaken? Decision { get; init; }

    /// <summary>On a decision record: id of the record decided.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DecisionOf { get; init; }

    /// <summary>When the store may forget the record (DynamoDB TTL); set by the store from its retention.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// A sweep finding for which the event path never recorded anything on this resource and rule: the change's event
    /// was lost (CloudTrail delivers to EventBridge on a best-effort basis) or its invocation failed past its retries.
    /// Null on records of the event path.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? MissedEvent { get; init; }

    /// <summary>
    /// What tells this record's event from a different record that shares its event id (hand-made and test data do
    /// this): a digest of <see cref="CloudTrailEvent.DeliveryKey"/>, the key the engine already uses to recognise a
    /// true redelivery. Null for events without an id (their key is a digest of the record already), for sweep events
    /// (their id is the digest of what was judged) and for records written before the field existed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Delivery { get; init; }

    [JsonIgnore]
    public bool IsInProgress => Outcome == AuditOutcome.InProgress;

    /// <summary>
    /// True when <paramref name="stored"/>, the record holding this one's id, came from a different CloudTrail record
    /// than this one (not a redelivery of the same): both carry a <see cref="Delivery"/> and they differ. Unknown
    /// (either null) counts as the same record: doing nothing is the safe side of a doubt.
    /// </summary>
    public bool IsDifferentRecordThan(AuditRecord stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Delivery is not null && stored.Delivery is not null && !string.Equals(Delivery, stored.Delivery, StringComparison.Ordinal);
    }

    /// <summary>
    /// This record under the key of its own CloudTrail record, for when a different record holds its plain id:
    /// <c>&lt;eventId&gt;~&lt;delivery&gt;/&lt;rule…&gt;</c>. Deterministic, so a redelivery of this record maps onto it
    /// again and is recognised as a duplicate there.
    /// </summary>
    public AuditRecord KeyedByDelivery()
    {
        if (Delivery is null)
        {
            throw new InvalidOperationException($"audit record '{Id}' has no delivery digest to be keyed by.");
        }

        var key = EventId + DeliverySeparator + Delivery;
        return this with { Id = key + "/" + RulePart, EventId = key };
    }

    /// <summary>In progress with its lease run out: its owner died before finishing; a retry of the event may take it over.</summary>
    public bool IsAbandonedAt(DateTimeOffset now) => IsInProgress && InProgressUntil is { } until && until <= now;

    /// <summary>
    /// A report of a repeated delivery of an event whose record exists already (recognised by the engine, or by the
    /// store refusing the begin): nothing was executed or written. Decided once, where it is recognised, and never
    /// stored: the trail holds the first delivery's record.
    /// </summary>
    [JsonIgnore]
    public bool IsDuplicateDelivery { get; init; }

    /// <summary>
    /// The event's identity for idempotency: <c>detail.eventID</c>; for a record without one (hand-made input), a
    /// digest of the record itself, so that the same input still maps onto the same key.
    /// </summary>
    public static string EventKey(CloudTrailEvent cloudTrailEvent)
    {
        if (!string.IsNullOrEmpty(cloudTrailEvent.EventId))
        {
            return cloudTrailEvent.EventId;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(cloudTrailEvent.Detail.GetRawText()));
        return "sha256-" + Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }

    /// <summary>The <see cref="Delivery"/> digest of an event's records (null when the event id alone identifies it).</summary>
    public static string? DeliveryOf(CloudTrailEvent cloudTrailEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudTrailEvent);
        if (cloudTrailEvent.DeliveryKey is not { } key || Sweep.SweepEvents.IsSweepEventId(cloudTrailEvent.EventId))
        {
            return null;
        }

        return key.RecordDigest.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The record of one finding and the engine's decision on it.</summary>
    /// <remarks>
    /// Enforced plans that change the resource begin <see cref="AuditOutcome.InProgress"/> (the executor completes
    /// them); everything else is final from the start: dry-run plans are <c>planned</c>, exempt resources
    /// <c>exempt</c>, brakes <c>notify-only</c>. Notifications stay <c>planned</c> actions: the notifier sends them.
    /// </remarks>
    /// <param name="evaluation">The event's evaluation (for the event's identity and details).</param>
    /// <param name="ruleEvaluation">The rule that decided.</param>
    /// <param name="index">Which of the rule's decisions: the first keeps the plain id, later ones get <c>/2</c>, <c>/3</c>…</param>
    /// <param name="now">When the record is made.</param>
    public static AuditRecord From(EventEvaluation evaluation, RuleEvaluation ruleEvaluation, int index, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(ruleEvaluation);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ruleEvaluation.Findings.Count);
        var decision = ruleEvaluation.Findings[index];
        var finding = decision.Finding;
        var actions = decision.PlannedActions.Select(AuditAction.From).ToList();
        var approval = ruleEvaluation.Rule.Approval;
        var outcome = decision.Outcome switch
        {
            FindingOutcome.Exempt => AuditOutcome.Exempt,
            FindingOutcome.NotifyOnly => AuditOutcome.NotifyOnly,
            _ when decision.Mode == RuleMode.DryRun => AuditOutcome.Planned,
            _ when actions.TrueForAll(a => a.IsNotification) => AuditOutcome.NotifyOnly,
            // Approve mode asks first; with contain it acts at once (as enforce) and asks whether to keep it.
            _ when decision.Mode == RuleMode.Approve && approval?.Contain != true => AuditOutcome.Pending,
            _ => AuditOutcome.InProgress,
        };

        var key = EventKey(evaluation.Event);
        var id = index == 0 ? IdFor(key, ruleEvaluation.Rule.Id) : IdFor(key, ruleEvaluation.Rule.Id) + "/" + (index + 1).ToString(CultureInfo.InvariantCulture);
        return Base(evaluation.Event, key, id, ruleEvaluation.Rule.Id, decision.Mode, outcome, now) with
        {
            Concern = finding.Concern,
            Resource = finding.Resource,
            ResourceType = finding.ResourceType,
            Severity = finding.Severity,
            Check = finding.Check,
            Summary = finding.Summary,
            Evidence = finding.Evidence,
            Reason = decision.Reason,
            Actions = actions,
            Approval = approval is null || outcome is AuditOutcome.Exempt or AuditOutcome.Planned ? null : Approvals.ApprovalRequest.From(approval, now),
        };
    }

    /// <summary>
    /// The record of a rule whose pattern matched but that produced no decision: not applied (scope, exempt actor,
    /// duplicate delivery) is <c>skipped</c>, a detector error is <c>failed</c>. Null when the rule simply found nothing
    /// or has findings (those get <see cref="From"/> records). A duplicate delivery's record is a report, never stored.
    /// </summary>
    public static AuditRecord? ForRule(EventEvaluation evaluation, RuleEvaluation rule, DateTimeOffset now)
    {
        if (rule.Findings.Count > 0 || (rule.NotApplied is null && rule.Error is null))
        {
            return null;
        }

        var key = EventKey(evaluation.Event);
        var outcome = rule.Error is not null ? AuditOutcome.Failed : AuditOutcome.Skipped;
        return Base(evaluation.Event, key, IdFor(key, rule.Rule.Id), rule.Rule.Id, rule.Mode, outcome, now) with
        {
            Concern = rule.Rule.Concern,
            Severity = rule.Rule.Severity,
            Reason = rule.Error ?? rule.NotApplied,
            IsDuplicateDelivery = rule.IsRepeatedDelivery,
        };
    }

    /// <summary>
    /// The record of an event the engine did not evaluate at all (failed call, the guard's own change). No rule ran,
    /// so the caller says which mode the guard is in.
    /// </summary>
    public static AuditRecord? ForSkippedEvent(EventEvaluation evaluation, RuleMode guardMode, DateTimeOffset now)
    {
        if (evaluation.Skipped is null)
        {
            return null;
        }

        var key = EventKey(evaluation.Event);
        return Base(evaluation.Event, key, IdFor(key, NoRule), NoRule, guardMode, AuditOutcome.Skipped, now) with
        {
            Reason = evaluation.Skipped,
        };
    }

    /// <summary>Every record of one evaluation, in the order of the rules and their findings.</summary>
    public static IReadOnlyList<AuditRecord> AllFrom(EventEvaluation evaluation, RuleMode guardMode, DateTimeOffset now)
    {
        var records = new List<AuditRecord>();
        if (ForSkippedEvent(evaluation, guardMode, now) is { } skipped)
        {
            records.Add(skipped);
            return records;
        }

        foreach (var rule in evaluation.Rules)
        {
            if (ForRule(evaluation, rule, now) is { } ruleRecord)
            {
                records.Add(ruleRecord);
            }

            for (var i = 0; i < rule.Findings.Count; i++)
            {
                records.Add(From(evaluation, rule, i, now));
            }
        }

        return records;
    }

    /// <summary>
    /// The in-progress record of undoing <paramref name="original"/>: same event, id <c>&lt;original&gt;/undo</c>, so
    /// that a record is undone at most once (a second attempt's begin fails) unless a failed undo is retried with a
    /// higher <paramref name="attempt"/>.
    /// </summary>
    public static AuditRecord ForUndo(AuditRecord original, IReadOnlyList<AuditAction> undoActions, RuleMode mode, DateTimeOffset now, int attempt = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var suffix = attempt == 1 ? "/undo" : "/undo-" + attempt.ToString(CultureInfo.InvariantCulture);
        return original with
        {
            Id = original.Id + suffix,
            Mode = mode,
            Outcome = mode == RuleMode.DryRun ? AuditOutcome.Planned : AuditOutcome.InProgress,
            Reason = $"undo of {original.Id}",
            Actions = undoActions,
            RecordedAt = now,
            UpdatedAt = now,
            InProgressUntil = null,
            UndoOf = original.Id,
            UndoneBy = null,
            ExpiresAt = null,
            Decision = null,
            DecisionOf = null,
        };
    }

    /// <summary>
    /// The final form of an in-progress record once its actions ran: <c>applied</c> when every change was made,
    /// <c>partially-applied</c> when some were, else <c>failed</c>. Notifications do not count (the notifier sends them).
    /// </summary>
    public AuditRecord Completed(IReadOnlyList<AuditAction> actions, DateTimeOffset now, string? reason = null)
    {
        var changes = actions.Where(a => !a.IsNotification).ToList();
        var made = changes.Count(a => a.Outcome is ActionOutcome.Done or ActionOutcome.Verified);
        var outcome = made == changes.Count ? AuditOutcome.Applied
            : made > 0 ? AuditOutcome.PartiallyApplied
            : AuditOutcome.Failed;
        return this with
        {
            Outcome = outcome,
            Actions = actions,
            Reason = reason ?? Reason,
            UpdatedAt = now,
            InProgressUntil = null,
        };
    }

    /// <summary>The store's key parts: everything after <c>&lt;eventId&gt;/</c> names the rule (and finding, undo).</summary>
    [JsonIgnore]
    public string RulePart => Id.Length > EventId.Length + 1 ? Id[(EventId.Length + 1)..] : string.Empty;

    /// <summary>Throws when the record cannot be stored: an id not derived from its event, a missing rule.</summary>
    public AuditRecord Validated()
    {
        if (string.IsNullOrEmpty(EventId) || string.IsNullOrEmpty(Rule))
        {
            throw new ArgumentException($"audit record '{Id}' needs an event id and a rule.");
        }

        if (EventId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"audit record '{Id}': the event id '{EventId}' must not contain '/' (it ends the event part of the id).");
        }

        if (!Id.StartsWith(EventId + "/", StringComparison.Ordinal) || RulePart.Length == 0)
        {
            throw new ArgumentException($"audit record id '{Id}' must be '<eventId>/<rule>' for event '{EventId}'.");
        }

        return this;
    }

    public static string IdFor(string eventKey, string rule) => eventKey + "/" + rule;

    private static AuditRecord Base(CloudTrailEvent e, string key, string id, string rule, RuleMode mode, AuditOutcome outcome, DateTimeOffset now) =>
        new()
        {
            Id = id,
            EventId = key,
            EventTime = e.EventTime,
            Account = e.RecipientAccountId,
            Region = e.AwsRegion,
            Actor = e.Identity.Arn ?? e.Identity.PrincipalArn,
            Rule = rule,
            Mode = mode,
            Outcome = outcome,
            RecordedAt = now,
            UpdatedAt = now,
            Delivery = DeliveryOf(e),
        };
}
