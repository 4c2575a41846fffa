namespace Remediator.Runtime.Resilience;

/// <summary>Why the retry stopped.</summary>
public enum RetryStop
{
    /// <summary>The last attempt's result was final: a success, or a refusal no retry can change.</summary>
    Final,

    /// <summary>Every allowed attempt was made and the last one still failed transiently.</summary>
    AttemptsExhausted,

    /// <summary>The wait before the next attempt would have ended at or past the deadline, so none was made.</summary>
    WaitPastDeadline,

    /// <summary>The deadline had passed before an attempt could start; <see cref="RetryResult{T}.Attempts"/> says how many ran.</summary>
    NoTimeLeft,
}

/// <summary>The outcome of a call through <see cref="RetryPipeline{T}"/>.</summary>
/// <param name="Last">The last attempt's result; default when no attempt was made.</param>
/// <param name="Attempts">Attempts made (sent), the first included.</param>
/// <param name="RefusedWait">With <see cref="RetryStop.WaitPastDeadline"/>: the wait that did not fit.</param>
public readonly record struct RetryResult<T>(T? Last, RetryStop Stop, int Attempts, TimeSpan RefusedWait);
