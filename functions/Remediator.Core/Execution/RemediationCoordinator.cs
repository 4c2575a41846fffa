using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Rules;

namespace Remediator.Core.Execution;

/// <summary>
/// Turns the engine's decision on one event into audit records and, for enforced plans, into changes: every record is
/// begun in the audit store BEFORE anything is changed (no change without a record), a second delivery of the event
/// finds its records taken and does nothing at all, and each record is completed with what really happened.
/// Pure: the store and the executor are interfaces.
/// </summary>
public sealed class RemediationCoordinator
{
    /// <summary>Starts the <see cref="AuditRecord.Reason"/> of a record reported (never written) for a repeated delivery.</summary>
    public const string DuplicateReason = RuleEvaluation.DuplicateDeliveryReason;

    private readonly IAuditStore _store;
    private readonly IStepExecutor _executor;
    private readonly TimeProvider _clock;

    public RemediationCoordinator(IAuditStore store, IStepExecutor executor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _executor = executor;
        _clock = clock;
    }

    /// <summary>True for the records <see cref="ApplyAsync"/> reports for a repeated delivery: nothing was written or run.</summary>
    public static bool IsDuplicate(AuditRecord record) => record.IsDuplicateDelivery;

    /// <summary>
    /// Records and carries out one evaluation. Returns one record per decision (and per skipped event or rule): the
    /// stored final form, or, for a record another delivery already holds, an unstored report marked
    /// <see cref="IsDuplicate"/>.
    /// </summary>
    /// <param name="guardMode">
    /// The guard-wide mode override (<see cref="GuardOptions.ModeOverride"/>): the mode of a skipped event's record, and
    /// with <see cref="RuleMode.DryRun"/> a last safety that nothing is executed whatever a decision says. Null: the
    /// decisions' own modes (a skipped event is then recorded as enforce, the default mode).
    /// </param>
    /// <param name="leaseUntil">
    /// Until when a begun record blocks other deliveries of its event: the invocation's deadline plus a small margin,
    /// so that a retry after a crash takes the record over and finishes it (the idempotency-record life cycle). Null:
    /// no deadline known, <see cref="RecordLease.WithoutDeadline"/> from the begin (see <see cref="RecordLease"/>).
    /// </param>
    /// <exception cref="OperationCanceledException">
    /// The token fired (invocation deadline). The record being executed is completed first with what was done and the
    /// rest marked not-attempted, so the trail never claims less than happened; later records are not begun.
    /// </exception>
    public async Task<IReadOnlyList<AuditRecord>> ApplyAsync(
        EventEvaluation evaluation, RuleMode? guardMode, CancellationToken cancellationToken, DateTimeOffset? leaseUntil = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var results = new List<AuditRecord>();
        foreach (var planned in AuditRecord.AllFrom(evaluation, guardMode ?? RuleMode.Enforce, _clock.GetUtcNow()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = guardMode == RuleMode.DryRun && (planned.IsInProgress || planned.Outcome == AuditOutcome.Pending)
                ? planned with { Mode = RuleMode.DryRun, Outcome = AuditOutcome.Planned, Reason = planned.Reason ?? "the guard is in dry-run mode" }
                : planned;
            if (record.IsInProgress)
            {
                record = record with { InProgressUntil = leaseUntil ?? RecordLease.Until(null, _clock.GetUtcNow()) };
            }

            // The engine recognised a repeat of an (event, rule) it already decided: report it, write nothing.
            if (record.IsDuplicateDelivery)
            {
                results.Add(record);
                continue;
            }

            var (begun, held) = await BeginAsync(record, cancellationToken).ConfigureAwait(false);
            if (begun is null)
            {
                results.Add(DuplicateOf(record, held));
                continue;
            }

            results.Add(begun.IsInProgress ? await ExecuteAsync(begun, cancellationToken).ConfigureAwait(false) : begun);
        }

        return results;
    }

    /// <summary>
    /// Runs the change steps of a begun record in order and completes it. Shared with <see cref="UndoService"/>.
    /// Stops at the first failed change: later changes are not attempted, because a half-applied plan is easier to
    /// understand (and undo) than one with holes. Notifications stay planned: the notifier sends them.
    /// </summary>
    public static async Task<AuditRecord> RunStepsAsync(
        AuditRecord record, IAuditStore store, IStepExecutor executor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actions = record.Actions.ToList();
        string? stoppedBy = null;
        OperationCanceledException? cancelled = null;
        for (var i = 0; i < actions.Count; i++)
        {
            var step = actions[i];
            if (step.IsNotification)
            {
                continue;
            }

            if (stoppedBy is not null || cancelled is not null)
            {
                actions[i] = step with
                {
                    Outcome = ActionOutcome.NotAttempted,
                    Error = cancelled is not null ? "not attempted: the invocation ran out of time" : $"not attempted: an earlier step failed ({stoppedBy})",
                };
                continue;
            }

            try
            {
                actions[i] = await executor.ExecuteAsync(step, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                // The call may or may not have reached AWS: say so rather than claim either.
                cancelled = ex;
                actions[i] = step with
                {
                    Outcome = ActionOutcome.Failed,
                    Error = $"{step.Operation} on {step.Resource}: cancelled at the invocation deadline; the call may or may not have taken effect",
                    EndedAt = clock.GetUtcNow(),
                };
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not StepOutcomeUnknownException)
            {
                // The executor's contract is not to throw but for an unknown outcome (let through: the record stays in
                // progress for its redelivery to finish); if it does otherwise (a bug), the record still tells the truth.
                actions[i] = step with
                {
                    Outcome = ActionOutcome.Failed,
                    Error = $"{step.Operation} on {step.Resource} failed: {ex.GetType().Name}: {ex.Message}",
                    EndedAt = clock.GetUtcNow(),
                };
            }

            if (actions[i].Outcome is ActionOutcome.Failed or ActionOutcome.NotAttempted)
            {
                stoppedBy = step.Operation;
            }
        }

        var completed = record.Completed(actions, clock.GetUtcNow());
        // Completion must be written even when the deadline token fired: a record left in progress would be taken
        // over after its lease and its steps run a second time.
        var written = await store.CompleteAsync(completed, cancelled is null ? cancellationToken : CancellationToken.None).ConfigureAwait(false);
        if (cancelled is not null)
        {
            throw new OperationCanceledException($"cancelled while executing {record.Id}; the record was completed as {completed.Outcome.ToName()}", cancelled, cancellationToken);
        }

        return written
            ? completed
            : completed with { Reason = $"{completed.Reason ?? completed.Outcome.ToName()}; the completion was NOT stored: the record was taken over after its lease ran out" };
    }

    /// <summary>
    /// Begins the record. When its id is held, reads the holder: a different CloudTrail record that shares the event id
    /// is no redelivery, so this record is begun under its own delivery key (<see cref="AuditRecord.KeyedByDelivery"/>)
    /// instead of being lost; a true redelivery is refused. Returns the begun record (null when refused) and the record
    /// that holds the key when refused.
    /// </summary>
    private async Task<(AuditRecord? Begun, AuditRecord? Held)> BeginAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        if (await _store.TryBeginAsync(record, cancellationToken).ConfigureAwait(false))
        {
            return (record, null);
        }

        var held = await _store.GetAsync(record.Id, cancellationToken).ConfigureAwait(false);
        if (held is null || !record.IsDifferentRecordThan(held))
        {
            return (null, held ?? record);
        }

        var own = record.KeyedByDelivery();
        if (await _store.TryBeginAsync(own, cancellationToken).ConfigureAwait(false))
        {
            return (own, null);
        }

        return (null, await _store.GetAsync(own.Id, cancellationToken).ConfigureAwait(false) ?? own);
    }

    /// <summary>
    /// The report of a refused begin. A holder still in progress is named as such: its owner is working, or died and
    /// leaves it to the first delivery after its lease (also the case of a begin whose reply was lost on the way back).
    /// </summary>
    private static AuditRecord DuplicateOf(AuditRecord record, AuditRecord? held)
    {
        var state = held is { IsInProgress: true, InProgressUntil: { } until }
            ? $"is in progress (leased until {AuditJson.FormatTime(until)}; a delivery after that takes it over)"
            : "exists already";
        return record with
        {
            Id = held?.Id ?? record.Id,
            EventId = held?.EventId ?? record.EventId,
            Outcome = AuditOutcome.Skipped,
            Reason = $"{DuplicateReason}: record {held?.Id ?? record.Id} {state}; nothing executed, nothing written",
            IsDuplicateDelivery = true,
        };
    }

    private Task<AuditRecord> ExecuteAsync(AuditRecord record, CancellationToken cancellationToken) =>
        RunStepsAsync(record, _store, _executor, _clock, cancellationToken);
}
