namespace Remediator.Runtime.Resilience;

/// <summary>Told of every retry, before its wait begins.</summary>
public interface IRetryObserver
{
    void OnRetry(in RetryNotice notice);
}

/// <summary>One retry: which call, after which attempt, how long it waits and why.</summary>
/// <param name="Dependency">What is called, e.g. <c>iam</c>, <c>events</c>, <c>slack</c>.</param>
/// <param name="Operation">The operation, e.g. <c>DeleteRolePolicy</c>, <c>webhook</c>.</param>
/// <param name="FailedAttempt">The attempt that failed (1 for the first).</param>
/// <param name="Reason">A status or error code; never a URL, a secret or a payload.</param>
public readonly record struct RetryNotice(string Dependency, string Operation, int FailedAttempt, TimeSpan Delay, string Reason);
