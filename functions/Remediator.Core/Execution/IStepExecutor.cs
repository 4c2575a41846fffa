using Remediator.Core.Audit;

namespace Remediator.Core.Execution;

/// <summary>
/// Carries out ONE planned step against the cloud: reads the state the step changes, makes the call, reads the state
/// again and says whether the change took. The coordinator and the undo service call it; AWS is one implementation.
/// <para>
/// Contract: never throws for an AWS refusal, an unknown operation or bad parameters: the answer is the step with
/// <see cref="ActionOutcome.Failed"/> and an <see cref="AuditAction.Error"/> naming operation and resource. It throws
/// only <see cref="OperationCanceledException"/> when the token fires (the invocation's deadline).
/// </para>
/// </summary>
public interface IStepExecutor
{
    /// <param name="step">The step as planned (<see cref="AuditAction.From(Remediation.PlannedAction)"/>).</param>
    /// <returns>The same step with <c>Before</c>, <c>After</c>, <c>Outcome</c>, <c>Error</c> and times filled in.</returns>
    Task<AuditAction> ExecuteAsync(AuditAction step, CancellationToken cancellationToken);
}
