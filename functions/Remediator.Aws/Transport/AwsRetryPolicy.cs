using System.Net;

namespace Remediator.Aws.Transport;

/// <summary>
/// Which failures are worth another attempt, and how long to wait: exponential back-off with full jitter
/// (a random delay between zero and the doubled cap), so that many guards throttled at once do not retry in step.
/// </summary>
public static class AwsRetryPolicy
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "PriorRequestNotComplete",
    };

    /// <summary>True for throttling (by code or 429) and server faults (5xx); never for other client errors.</summary>
    public static bool IsRetryable(HttpStatusCode statusCode, string errorCode)
    {
        var status = (int)statusCode;
        return status == 429 || status >= 500 || ThrottlingCodes.Contains(errorCode);
    }

    public static bool IsThrottling(string errorCode) => ThrottlingCodes.Contains(errorCode);

    /// <summary>The back-off before attempt <paramref name="failedAttempt"/> + 1: jitter × min(max, base × 2^(n−1)).</summary>
    /// <param name="jitter">A number in [0, 1).</param>
    public static TimeSpan Backoff(int failedAttempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        var exponent = Math.Min(failedAttempt - 1, 30);
        var capTicks = Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(Math.Clamp(jitter, 0, 1) * capTicks));
    }
}
