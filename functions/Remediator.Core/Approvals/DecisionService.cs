using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Rules;

namespace Remediator.Core.Approvals;

/// <summary>Why a decision was not begun. Each maps to one answer of the Slack endpoint and one CLI message.</summary>
public enum DecisionRefusal
{
    None,

    /// <summary>No record with that id (or one that asks nothing).</summary>
    UnknownRecord,

    /// <summary>The user is not among the record's approvers.</summary>
    NotApprover,

    /// <summary>
    /// The user is not listed by id and the record's group approvers cannot be resolved (no bot token, Slack did not
    /// answer): refused, because an unknown membership is no membership.
    /// </summary>
    GroupsUnresolved,

    /// <summary>The record is not open to that decision (e.g. Apply on an applied record, Restore without containment).</summary>
    NotOpen,

    /// <summary>Somebody (or the same click twice) decided already: the conditional write found the decision record.</summary>
    AlreadyDecided,

    /// <summary>The pending decision passed its <see cref="ApprovalRequest.DecideBy"/>: the expiry takes it.</summary>
    Expired,

    /// <summary>The request itself is wrong (exempt days out of range).</summary>
    Invalid,
}

/// <summary>What a person (or the expiry) asks for.</summary>
/// <param name="By">Slack user id, the CLI's <c>--as</c>, or <see cref="DecisionTaken.Expiry"/>.</param>
/// <param name="Announce">Whether the decision record carries the original's notifications (the notifier then tells
/// the channel). Slack clicks say no: the worker updates the clicked message through its response_url instead.</param>
public sealed record DecisionRequest(string RecordId, DecisionVerb Verb, string By, string? Reason = null, int? ExemptDays = null, bool Announce = true);

/// <summary>The answer of <see cref="DecisionService.BeginAsync"/>.</summary>
public sealed record DecisionBegin(DecisionRefusal Refusal, string? Detail, AuditRecord? Original, AuditRecord? Decision)
{
    public bool Begun => Refusal == DecisionRefusal.None;
}

/// <summary>
/// People decide about audit records. The decision is itself a record, <c>&lt;id&gt;/decision</c>, begun with the
/// store's exactly-once conditional write: whoever writes it first decides, a double click or a second approver finds
/// it taken and nothing happens twice. Two halves, so that Slack's 3-second limit holds:
/// <list type="number">
/// <item><see cref="BeginAsync"/> (fast; the Slack endpoint, the CLI): read the record, authorise, check that it is
/// open to the decision, write the decision record in progress.</item>
/// <item><see cref="CarryOutAsync"/> (the worker, under its own role): carry the decision out through the same
/// executor and undo service as every other change, and complete the decision record with what happened.</item>
/// </list>
/// </summary>
public sealed class DecisionService
{
    public const string DecisionSuffix = "/decision";
    public const int MaxExemptDays = 365;

    private readonly IAuditStore _store;
    private readonly IStepExecutor _executor;
    private readonly UndoService _undo;
    private readonly IExemptionPlanner _exemptions;
    private readonly TimeProvider _clock;
    private readonly IApproverGroups _groups;

    /// <param name="groups">How user-group approvers are resolved; without it (the CLI) members of a group are refused.</param>
    public DecisionService(IAuditStore store, IStepExecutor executor, UndoService undo, IExemptionPlanner exemptions, TimeProvider clock, IApproverGroups? groups = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(undo);
        ArgumentNullException.ThrowIfNull(exemptions);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _executor = executor;
        _undo = undo;
        _exemptions = exemptions;
        _clock = clock;
        _groups = groups ?? new UnresolvedApproverGroups("user groups are not resolved here; list the user id itself as an approver");
    }

    public static string DecisionIdFor(string recordId) => recordId + DecisionSuffix;

    /// <summary>Which decisions a record is open to now (the buttons its message shows).</summary>
    public static IReadOnlyList<DecisionVerb> OpenDecisions(AuditRecord record, DateTimeOffset now)
    {
        if (record.Approval is not { } approval || record.UndoneBy is not null)
        {
            return [];
        }

        return record.Outcome switch
        {
            AuditOutcome.Pending when now <= approval.DecideBy => [DecisionVerb.Apply, DecisionVerb.Deny, DecisionVerb.Exempt],
            AuditOutcome.Applied or AuditOutcome.PartiallyApplied when approval.Contain => [DecisionVerb.Keep, DecisionVerb.Restore],
            AuditOutcome.Applied or AuditOutcome.PartiallyApplied when record.Actions.Any(a => !a.IsNotification && a.Outcome is ActionOutcome.Done or ActionOutcome.Verified)
                => [DecisionVerb.Undo],
            _ => [],
        };
    }

    /// <summary>Reads, authorises and writes the decision record (in progress) exactly once. No AWS change is made here.</summary>
    public async Task<DecisionBegin> BeginAsync(DecisionRequest request, CancellationToken cancellationToken = default)
    {
        var prepared = await CheckAsync(request, cancellationToken).ConfigureAwait(false);
        if (!prepared.Begun)
        {
            return prepared;
        }

        if (!await _store.TryBeginAsync(prepared.Decision!, cancellationToken).ConfigureAwait(false))
        {
            return new DecisionBegin(DecisionRefusal.AlreadyDecided, $"'{prepared.Original!.Id}' was decided already", prepared.Original, null);
        }

        return prepared;
    }

    /// <summary>
    /// Everything <see cref="BeginAsync"/> checks (record, approver, expiry, openness), and the decision it would write,
    /// without writing it: the Slack Deny button asks for a reason first, and only an approver may be asked.
    /// </summary>
    public async Task<DecisionBegin> CheckAsync(DecisionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var original = await _store.GetAsync(request.RecordId, cancellationToken).ConfigureAwait(false);
        if (original?.Approval is not { } approval || original.IsInProgress)
        {
            return new DecisionBegin(DecisionRefusal.UnknownRecord, $"no open question with id '{request.RecordId}'", original, null);
        }

        var byExpiry = request.By == DecisionTaken.Expiry;
        if (!byExpiry && await AuthoriseAsync(approval, request.By, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return new DecisionBegin(refusal.Refusal, $"{refusal.Why} ('{original.Id}')", original, null);
        }

        var now = _clock.GetUtcNow();
        if (!byExpiry && original.Outcome == AuditOutcome.Pending && now > approval.DecideBy)
        {
            return new DecisionBegin(DecisionRefusal.Expired, $"the question expired at {AuditJson.FormatTime(approval.DecideBy)}", original, null);
        }

        var open = byExpiry && original.Outcome == AuditOutcome.Pending
            ? [DecisionVerb.Apply, DecisionVerb.Deny, DecisionVerb.Lapse]
            : OpenDecisions(original, now);
        if (!open.Contains(request.Verb))
        {
            return new DecisionBegin(DecisionRefusal.NotOpen,
                $"'{original.Id}' is {original.Outcome.ToName()}: open to {(open.Count == 0 ? "no decision" : string.Join(", ", open.Select(v => v.ToName())))}, not {request.Verb.ToName()}",
                original, null);
        }

        var actions = new List<AuditAction>();
        if (request.Verb == DecisionVerb.Apply)
        {
            actions.AddRange(original.Actions.Where(a => !a.IsNotification).Select(Fresh));
        }
        else if (request.Verb == DecisionVerb.Exempt)
        {
            if (request.ExemptDays is not (>= 1 and <= MaxExemptDays))
            {
                return new DecisionBegin(DecisionRefusal.Invalid, $"exempt days must be between 1 and {MaxExemptDays}", original, null);
            }

            if (_exemptions.Plan(original, now.AddDays(request.ExemptDays.Value)) is not { } tag)
            {
                return new DecisionBegin(DecisionRefusal.NotOpen, $"{original.ResourceType} '{original.Resource}' cannot be tagged, so it cannot be exempted", original, null);
            }

            actions.Add(AuditAction.From(tag));
        }

        if (request.Announce)
        {
            actions.AddRange(original.Actions.Where(a => a.IsNotification).Select(Fresh));
        }

        var decision = original with
        {
            Id = DecisionIdFor(original.Id),
            Mode = RuleMode.Enforce,
            Outcome = AuditOutcome.InProgress,
            Reason = $"{request.Verb.ToName()} of {original.Id} by {request.By}" + (request.Reason is { Length: > 0 } why ? ": " + why : string.Empty),
            Actions = actions,
            RecordedAt = now,
            UpdatedAt = now,
            InProgressUntil = null,
            UndoOf = null,
            UndoneBy = null,
            ExpiresAt = null,
            // Whoever may decide the original may undo what this decision changes.
            Approval = approval with { Contain = false },
            Decision = new DecisionTaken(request.Verb, request.By, now, request.Reason) { ExemptDays = request.Verb == DecisionVerb.Exempt ? request.ExemptDays : null },
            DecisionOf = original.Id,
        };

        return new DecisionBegin(DecisionRefusal.None, null, original, decision);
    }

    /// <summary>Null when <paramref name="userId"/> may decide; a listed id needs no lookup, a group member does.</summary>
    private async Task<(DecisionRefusal Refusal, string Why)?> AuthoriseAsync(ApprovalRequest approval, string userId, CancellationToken cancellationToken)
    {
        if (approval.Allows(userId))
        {
            return null;
        }

        var groups = approval.GroupApprovers;
        if (groups.Count == 0 || string.IsNullOrEmpty(userId))
        {
            return (DecisionRefusal.NotApprover, $"'{userId}' is not an approver");
        }

        var membership = await _groups.GroupsOfAsync(userId, groups, cancellationToken).ConfigureAwait(false);
        if (membership.GroupsOfUser is null)
        {
            return (DecisionRefusal.GroupsUnresolved, $"'{userId}' is not listed by id and the approver group(s) {string.Join(", ", groups)} could not be resolved: {membership.Unavailable}");
        }

        return approval.Allows(userId, membership.GroupsOfUser) ? null : (DecisionRefusal.NotApprover, $"'{userId}' is not an approver nor in {string.Join(", ", groups)}");
    }
    /// <summary>
    /// Carries out a begun decision and completes its record. A decision that is no longer in progress was carried out
    /// already (a repeated queue delivery): it is returned as stored and nothing runs again.
    /// </summary>
    public async Task<AuditRecord?> CarryOutAsync(string decisionId, CancellationToken cancellationToken = default)
    {
        var decision = await _store.GetAsync(decisionId, cancellationToken).ConfigureAwait(false);
        if (decision?.Decision is not { } taken || decision.DecisionOf is not { } originalId || !decision.IsInProgress)
        {
            return decision;
        }

        switch (taken.Verb)
        {
            case DecisionVerb.Apply or DecisionVerb.Exempt:
                // The executor re-reads each resource's state before it acts (the step's Before), so the fix is made to
                // what is there now, not to what the event said.
                return await RemediationCoordinator.RunStepsAsync(decision, _store, _executor, _clock, cancellationToken).ConfigureAwait(false);
            case DecisionVerb.Restore or DecisionVerb.Undo:
                var undo = await _undo.UndoAsync(originalId, cancellationToken: cancellationToken).ConfigureAwait(false);
                var reason = undo.Refused is not null
                    ? $"{decision.Reason}; nothing was undone: {undo.Refused}"
                    : $"{decision.Reason}; undo record {undo.Undo?.Id} is {undo.Undo?.Outcome.ToName()}";
                return await CompleteAsync(decision with
                {
                    Outcome = undo.Succeeded ? AuditOutcome.Applied : AuditOutcome.Failed,
                    Reason = reason,
                }, cancellationToken).ConfigureAwait(false);
            default:
                return await CompleteAsync(decision with { Outcome = AuditOutcome.Decided }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records a note on a completed decision (e.g. that its Slack message could not be updated).</summary>
    public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => _store.GetAsync(id, cancellationToken);

    private async Task<AuditRecord> CompleteAsync(AuditRecord final, CancellationToken cancellationToken)
    {
        var completed = final with { UpdatedAt = _clock.GetUtcNow(), InProgressUntil = null };
        var written = await _store.CompleteAsync(completed, cancellationToken).ConfigureAwait(false);
        return written ? completed : completed with { Reason = completed.Reason + "; the completion was NOT stored: the decision was taken over after its lease ran out" };
    }

    private static AuditAction Fresh(AuditAction action) =>
        action with { Outcome = ActionOutcome.Planned, Before = null, After = null, Error = null, StartedAt = null, EndedAt = null };
}
