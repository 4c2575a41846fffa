namespace Remediator.Runtime.Resilience;

/// <summary>
/// What one attempt's result means to the retry: final (delivered, or refused for good), or worth another attempt,
/// after the wait the dependency asked for (a 429's Retry-After) or, when it asked for none, the back-off.
/// </summary>
/// <param name="Reason">Why it is retried, for the log line: a status or error code, never a URL or a payload.</param>
public readonly record struct RetryVerdict(bool ShouldRetry, string Reason, TimeSpan? RequestedWait)
{
    public static RetryVerdict Final => default;

    public static RetryVerdict Transient(string reason) => new(true, reason, null);

    /// <summary>Throttled: waits <paramref name="retryAfter"/> when the dependency said how long, else the back-off.</summary>
    public static RetryVerdict RateLimited(string reason, TimeSpan? retryAfter) =>
        new(true, reason, retryAfter is { } wait && wait < TimeSpan.Zero ? TimeSpan.Zero : retryAfter);
}
