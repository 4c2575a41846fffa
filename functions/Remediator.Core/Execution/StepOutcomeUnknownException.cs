namespace Remediator.Core.Execution;

/// <summary>
/// A step's call ended in an error after an attempt whose reply may have been lost, and reading the resource back failed
/// too: whether the change was made cannot be told now. The record must say neither "failed" nor "done", so the
/// executor throws this and the coordinator lets it through without completing the record. The record stays in
/// progress under its lease, the delivery fails (Lambda, or the next <c>apply</c>, delivers it again), and the
/// redelivery after the lease takes the record over: its steps are idempotent and find out what holds.
/// </summary>
public sealed class StepOutcomeUnknownException : Exception
{
    public StepOutcomeUnknownException()
    {
    }

    public StepOutcomeUnknownException(string message)
        : base(message)
    {
    }

    public StepOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
