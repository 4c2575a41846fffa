using System.Net;

namespace Remediator.Aws.Transport;

/// <summary>
/// Which AWS failures are worth another attempt. How long to wait, and how often, is the shared
/// <see cref="Remediator.Runtime.Resilience.RetryPipeline{T}"/>'s business.
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
}
