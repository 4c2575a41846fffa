using Remediator.Core.Audit;
using Remediator.Core.Rules;

namespace Remediator.Core.Execution;

/// <summary>What came of an undo request.</summary>
/// <param name="Original">The record asked to be undone, as read (null when it does not exist).</param>
/// <param name="Undo">The undo record: stored and completed, or for a dry run the unstored plan. Null when refused.</param>
/// <param name="Refused">Why nothing was done (missing record, wrong outcome, already undone, inverse unknown), else null.</param>
/// <param name="MarkedUndone">Whether the original now carries <see cref="AuditOutcome.Undone"/> and a link to the undo.</param>
public sealed record UndoResult(AuditRecord? Original, AuditRecord? Undo, string? Refused, bool MarkedUndone)
{
    public bool Succeeded => Refused is null && Undo?.Outcome == AuditOutcome.Applied && MarkedUndone;
}

/// <summary>
/// <c>remediator undo &lt;id&gt;</c>: reverses an applied record from its before-states, through the audit trail like
/// every other change: the undo is begun as its own record (<c>&lt;id&gt;/undo</c>) before anything is touched, carried
/// out by the same executor, completed, and linked to the original. An undo whose inverse is not fully known is
/// refused rather than half-done.
/// </summary>
public sealed class UndoService
{
    private const int MaxUndoAttempts = 5;
    private const int MarkAttempts = 3;
    private readonly IAuditStore _store;
    private readonly IStepExecutor _executor;
    private readonly UndoPlanner _planner;
    private readonly TimeProvider _clock;

    public UndoService(IAuditStore store, IStepExecutor executor, UndoPlanner planner, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _executor = executor;
        _planner = planner;
        _clock = clock;
    }

    /// <param name="dryRun">Plan only: nothing is written or executed; the result's undo record shows the steps.</param>
    public async Task<UndoResult> UndoAsync(string auditId, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(auditId);
        var original = await _store.GetAsync(auditId, cancellationToken).ConfigureAwait(false);
        if (original is null)
        {
            return new UndoResult(null, null, $"no audit record with id '{auditId}'", false);
        }

        if (original.UndoneBy is not null || original.Outcome == AuditOutcome.Undone)
        {
            return new UndoResult(original, null, $"record '{auditId}' was undone already (by {original.UndoneBy ?? "an earlier undo"})", false);
        }

        if (original.UndoOf is not null)
        {
            return new UndoResult(original, null, $"record '{auditId}' is itself an undo (of {original.UndoOf}); act on the original instead", false);
        }

        if (original.Outcome is not (AuditOutcome.Applied or AuditOutcome.PartiallyApplied))
        {
            return new UndoResult(original, null, $"record '{auditId}' is {original.Outcome.ToName()}: only applied or partially-applied records changed something to undo", false);
        }

        var plan = _planner.Plan(original);
        if (!plan.IsComplete)
        {
            return new UndoResult(original, null, "the exact inverse is not known, so nothing was undone: " + string.Join("; ", plan.Gaps), false);
        }

        if (plan.Steps.Count == 0)
        {
            return new UndoResult(original, null, $"record '{auditId}' changed nothing that needs undoing", false);
        }

        if (dryRun)
        {
            return new UndoResult(original, AuditRecord.ForUndo(original, plan.Steps, RuleMode.DryRun, _clock.GetUtcNow()), null, false);
        }

        for (var attempt = 1; attempt <= MaxUndoAttempts; attempt++)
        {
            var undo = AuditRecord.ForUndo(original, plan.Steps, RuleMode.Enforce, _clock.GetUtcNow(), attempt);
            if (!await _store.TryBeginAsync(undo, cancellationToken).ConfigureAwait(false))
            {
                var existing = await _store.GetAsync(undo.Id, cancellationToken).ConfigureAwait(false);
                switch (existing?.Outcome)
                {
                    case AuditOutcome.InProgress:
                        return new UndoResult(original, existing, $"an undo of '{auditId}' is in progress ({existing.Id})", false);
                    case AuditOutcome.Applied:
                        // The undo ran but the link was not written (a crash between the two): write it now.
                        var linked = await MarkAsync(original.Id, existing.Id, cancellationToken).ConfigureAwait(false);
                        return new UndoResult(original, existing, null, linked);
                    default:
                        continue; // an earlier attempt failed: try again under the next id
                }
            }

            var completed = await RemediationCoordinator.RunStepsAsync(undo, _store, _executor, _clock, cancellationToken).ConfigureAwait(false);
            var marked = completed.Outcome == AuditOutcome.Applied && await MarkAsync(original.Id, completed.Id, cancellationToken).ConfigureAwait(false);
            return new UndoResult(original, completed, null, marked);
        }

        return new UndoResult(original, null, $"record '{auditId}' has had {MaxUndoAttempts} failed undo attempts; look at them before trying again", false);
    }

    /// <summary>Links the original to its undo; a store error is retried, a refusal (already linked) is final.</summary>
    private async Task<bool> MarkAsync(string originalId, string undoId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _store.MarkUndoneAsync(originalId, undoId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < MarkAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), _clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
