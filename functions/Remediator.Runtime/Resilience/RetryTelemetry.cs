using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;

namespace Remediator.Runtime.Resilience;

/// <summary>
/// Reports retries where an operator looks: one structured WARN line per retry and the <see cref="MetricNames.Retries"/>
/// EMF counter. Clients are built once per process but logger and metrics belong to an invocation, so the function binds
/// them for each invocation (<see cref="Bind"/>); a retry outside any invocation (start-up) is not reported.
/// </summary>
public sealed class RetryTelemetry : IRetryObserver
{
    private Sink? _sink;

    /// <summary>Reports to <paramref name="logger"/> and <paramref name="metrics"/> until the returned scope is disposed.</summary>
    public IDisposable Bind(JsonLogger logger, MetricsWriter metrics)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(metrics);
        var sink = new Sink(logger, metrics);
        Volatile.Write(ref _sink, sink);
        return new Binding(this, sink);
    }

    public void OnRetry(in RetryNotice notice)
    {
        if (Volatile.Read(ref _sink) is not { } sink)
        {
            return;
        }

        sink.Metrics.Count(MetricNames.Retries);
        sink.Logger.Warn(
            "retrying a call",
            ("dependency", notice.Dependency),
            ("operation", notice.Operation),
            ("failedAttempt", notice.FailedAttempt),
            ("delayMs", notice.Delay),
            ("reason", notice.Reason));
    }

    private sealed record Sink(JsonLogger Logger, MetricsWriter Metrics);

    private sealed class Binding(RetryTelemetry owner, Sink sink) : IDisposable
    {
        // Unbinds only its own sink, so a late dispose cannot silence the next invocation's binding.
        public void Dispose() => Interlocked.CompareExchange(ref owner._sink, null, sink);
    }
}
