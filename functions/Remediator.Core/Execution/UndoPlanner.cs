using Remediator.Core.Audit;
using Remediator.Core.Operations;

namespace Remediator.Core.Execution;

/// <summary>What undoing a record takes: the inverse steps in order, and what cannot be undone exactly.</summary>
/// <param name="Steps">Planned inverse steps, the last change first.</param>
/// <param name="Gaps">One line per done change whose inverse is unknown (no before-state, or an operation without inverse).</param>
public sealed record UndoPlan(IReadOnlyList<AuditAction> Steps, IReadOnlyList<string> Gaps)
{
    public bool IsComplete => Gaps.Count == 0;
}

/// <summary>
/// Plans the inverse of a completed record from its done actions, in reverse order, using each action's recorded
/// before-state (<see cref="StepStates"/>) and never a guess: an action whose before-state is missing is a gap, not a
/// step. Actions that changed nothing (an inline policy that was already gone, a policy that was already attached)
/// need no inverse. Each inverse is its operation's entry's (<see cref="OperationIndex"/>). Pure.
/// </summary>
public sealed class UndoPlanner(OperationIndex operations)
{
    public UndoPlan Plan(AuditRecord original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var steps = new List<AuditAction>();
        var gaps = new List<string>();
        for (var i = original.Actions.Count - 1; i >= 0; i--)
        {
            var action = original.Actions[i];
            if (action.IsNotification || action.Outcome is not (ActionOutcome.Done or ActionOutcome.Verified))
            {
                continue;
            }

            var inverse = Inverse(action, out var gap);
            if (gap is not null)
            {
                gaps.Add($"{action.Operation} on {action.Resource}: {gap}");
            }

            steps.AddRange(inverse);
        }

        return new UndoPlan(steps, gaps);
    }

    /// <summary>The inverse the step's catalogue entry gives; an operation outside the catalogue is a gap.</summary>
    private List<AuditAction> Inverse(AuditAction done, out string? gap)
    {
        if (operations.Find(done.Operation, done.Parameters) is not { } operation)
        {
            gap = "no inverse is known for this operation: it is not in the operation catalogue";
            return [];
        }

        var inversion = operation.Inverse(done);
        gap = inversion.Gap;
        return [.. inversion.Steps];
    }
}
