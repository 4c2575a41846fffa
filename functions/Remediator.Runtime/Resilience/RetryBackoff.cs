namespace Remediator.Runtime.Resilience;

/// <summary>
/// Exponential back-off with full jitter (a random delay between zero and the doubling cap), so that many functions
/// throttled at once do not retry in step.
/// </summary>
public static class RetryBackoff
{
    /// <summary>The back-off before attempt <paramref name="failedAttempt"/> + 1: jitter × min(max, base × 2^(n−1)).</summary>
    /// <param name="jitter">A number in [0, 1]; 1 gives the cap itself.</param>
    public static TimeSpan FullJitter(int failedAttempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        var exponent = Math.Clamp(failedAttempt - 1, 0, 30);
        var capTicks = Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(Math.Clamp(jitter, 0, 1) * capTicks));
    }
}
