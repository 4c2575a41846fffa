namespace Remediator.Runtime.Metrics;

/// <summary>The metrics every guard reports, named once so that dashboards and alarms can rely on them.</summary>
public static class MetricNames
{
    /// <summary>Automatic changes made (reverts, tags).</summary>
    public const string Remediations = "Remediations";

    /// <summary>Events or findings deliberately not acted on (own principal, exempt, cool-down, dry-run).</summary>
    public const string Skips = "Skips";

    /// <summary>Remediations that were attempted and failed.</summary>
    public const string Failures = "Failures";

    /// <summary>Calls retried after a throttle, a server fault, a timeout or a network error (AWS and Slack alike).</summary>
    public const string Retries = "Retries";

    /// <summary>Handler duration in milliseconds; the host records it for every invocation.</summary>
    public const string Latency = "Latency";
}

/// <summary>The CloudWatch units this writer uses (their EMF spelling).</summary>
public enum MetricUnit
{
    Count,
    Milliseconds,
}
