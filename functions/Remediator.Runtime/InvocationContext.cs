using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;

namespace Remediator.Runtime;

/// <summary>What the Runtime API tells about one invocation, plus the per-invocation logger and metrics.</summary>
public sealed class InvocationContext
{
    private readonly TimeProvider _timeProvider;

    internal InvocationContext(
        RuntimeInvocation invocation,
        DateTimeOffset deadline,
        JsonLogger logger,
        MetricsWriter metrics,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        RequestId = invocation.RequestId;
        FunctionArn = invocation.FunctionArn;
        Deadline = deadline;
        TraceId = invocation.TraceId;
        ClientContext = invocation.ClientContext;
        CognitoIdentity = invocation.CognitoIdentity;
        CancellationToken = cancellationToken;
        Logger = logger;
        Metrics = metrics;
        _timeProvider = timeProvider;
    }

    public string RequestId { get; }

    /// <summary>The ARN the caller invoked (with version or alias when one was named).</summary>
    public string FunctionArn { get; }

    /// <summary>When Lambda stops the invocation; <see cref="DateTimeOffset.MaxValue"/> if the Runtime API gave none.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>Time left until <see cref="Deadline"/>, never negative.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            var remaining = Deadline - _timeProvider.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    /// <summary>Fires the configured safety margin before <see cref="Deadline"/>, or when the host stops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The X-Ray trace header; also exported as <c>_X_AMZN_TRACE_ID</c> while the invocation runs.</summary>
    public string? TraceId { get; }

    /// <summary>The mobile SDK client context (raw JSON), when the caller sent one.</summary>
    public string? ClientContext { get; }

    /// <summary>The Cognito identity (raw JSON), when the caller sent one.</summary>
    public string? CognitoIdentity { get; }

    /// <summary>Lines carry this invocation's request id and trace id.</summary>
    public JsonLogger Logger { get; }

    /// <summary>Flushed by the host as one EMF line when the invocation ends.</summary>
    public MetricsWriter Metrics { get; }
}
