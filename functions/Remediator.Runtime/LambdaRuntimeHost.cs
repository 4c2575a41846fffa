using System.Net;
using System.Runtime.InteropServices;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;

namespace Remediator.Runtime;

/// <summary>
/// A Lambda custom runtime (provided.al2023): the loop of the Runtime API. Fetch the next invocation, call the handler
/// with a deadline-aware context, post its bytes or its error, repeat. Every failure of the handler is reported as an
/// error (never a silent success), so the event reaches the function's on-failure destination. Failures of the
/// Runtime API itself end the loop with a non-zero exit code: Lambda then restarts the runtime.
/// </summary>
public sealed class LambdaRuntimeHost : IDisposable
{
    /// <summary>X-Ray's SDKs read the current trace header from this variable.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    private readonly LambdaRuntimeOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly RuntimeApiClient _api;

    /// <param name="options">Validated here; see <see cref="LambdaRuntimeOptions.FromEnvironment"/>.</param>
    /// <param name="output">Where log and metric lines go; stdout when null (Lambda ships it to CloudWatch Logs).</param>
    /// <param name="timeProvider">The clock for deadlines, remaining time and timestamps; the system clock when null.</param>
    /// <param name="httpHandler">The HTTP stack to the Runtime API, for tests; a proxy-free socket handler when null.</param>
    public LambdaRuntimeHost(
        LambdaRuntimeOptions options,
        TextWriter? output = null,
        TimeProvider? timeProvider = null,
        HttpMessageHandler? httpHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        _timeProvider = timeProvider ?? TimeProvider.System;
        output ??= Console.Out;
        Logger = new JsonLogger(output, _options.LogLevel, _timeProvider);
        Metrics = new MetricsWriter(output, _options.Metrics, _timeProvider);
        _api = new RuntimeApiClient(_options.BaseAddress, httpHandler);
    }

    /// <summary>The runtime's own logger (lines without a request id); handlers get a scoped one in their context.</summary>
    public JsonLogger Logger { get; }

    /// <summary>Shared by all invocations; flushed as one EMF line after each.</summary>
    public MetricsWriter Metrics { get; }

    /// <summary>
    /// The entry point for a function's <c>Program.cs</c>: reads the options from the environment (unless given),
    /// stops on SIGTERM, builds the handler with <paramref name="initialize"/> and runs the loop.
    /// Returns the process exit code (<see cref="RuntimeExitCodes"/>).
    /// </summary>
    public static async Task<int> RunMainAsync(
        Func<ValueTask<InvocationHandler>> initialize,
        LambdaRuntimeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        LambdaRuntimeOptions resolved;
        try
        {
            resolved = options?.Validated() ?? LambdaRuntimeOptions.FromEnvironment();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Without a usable Runtime API address there is nobody to report to but stdout.
            new JsonLogger(Console.Out, LogLevel.Info).Error("runtime configuration is invalid", exception);
            return RuntimeExitCodes.ConfigurationError;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        using var host = new LambdaRuntimeHost(resolved);
        return await host.InitializeAndRunAsync(initialize, stop.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the handler, reporting a failure to <c>/runtime/init/error</c> and returning
    /// <see cref="RuntimeExitCodes.InitFailure"/>; otherwise runs the loop as <see cref="RunAsync"/>.
    /// </summary>
    public async Task<int> InitializeAndRunAsync(Func<ValueTask<InvocationHandler>> initialize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        InvocationHandler handler;
        try
        {
            handler = await initialize().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var errorType = ExceptionFormat.ErrorType(exception);
            Logger.Fatal("function initialisation failed", exception);
            await ReportInitErrorAsync(exception, errorType, cancellationToken).ConfigureAwait(false);
            return RuntimeExitCodes.InitFailure;
        }

        return await RunAsync(handler, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the invocation loop until <paramref name="cancellationToken"/> is cancelled (returns
    /// <see cref="RuntimeExitCodes.Stopped"/>) or the Runtime API fails (returns <see cref="RuntimeExitCodes.RuntimeApiFailure"/>).
    /// </summary>
    public async Task<int> RunAsync(InvocationHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        while (!cancellationToken.IsCancellationRequested)
        {
            RuntimeInvocation invocation;
            try
            {
                invocation = await _api.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is RuntimeApiException or HttpRequestException)
            {
                Logger.Fatal("the Runtime API failed on next; exiting so that Lambda restarts the runtime", exception);
                return RuntimeExitCodes.RuntimeApiFailure;
            }

            var exitCode = await InvokeAsync(handler, invocation, cancellationToken).ConfigureAwait(false);
            if (exitCode is { } code)
            {
                return code;
            }
        }

        return RuntimeExitCodes.Stopped;
    }

    public void Dispose() => _api.Dispose();

    /// <summary>One invocation, start to posted result. Returns an exit code when the loop must end, else null.</summary>
    private async Task<int?> InvokeAsync(InvocationHandler handler, RuntimeInvocation invocation, CancellationToken stop)
    {
        var logger = Logger.ForInvocation(invocation.RequestId, invocation.TraceId);
        if (invocation.Deadline is null)
        {
            logger.Warn("the Runtime API gave no usable deadline; the invocation runs without a cancellation deadline");
        }

        var deadline = invocation.Deadline ?? DateTimeOffset.MaxValue;
        using var deadlineSource = DeadlineSource(deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, deadlineSource.Token);
        var context = new InvocationContext(invocation, deadline, logger, Metrics, _timeProvider, linked.Token);

        // Set, not appended: X-Ray's SDKs read the trace of the current invocation from the process environment.
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        ReadOnlyMemory<byte> response;
        var started = _timeProvider.GetTimestamp();
        try
        {
            response = await handler(context, invocation.Payload, linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var errorType = exception is OperationCanceledException && deadlineSource.IsCancellationRequested
                ? LambdaErrorTypes.DeadlineExceeded
                : ExceptionFormat.ErrorType(exception);

            // The exception is logged, the payload is not (it may carry secrets): see JsonLogger.
            logger.Error("invocation failed", exception, errorType);
            EndInvocation(started);
            return await PostErrorAsync(invocation.RequestId, errorType, ExceptionFormat.ErrorBody(exception, errorType), logger, stop)
                .ConfigureAwait(false);
        }

        EndInvocation(started);
        HttpStatusCode status;
        try
        {
            status = await _api.PostResponseAsync(invocation.RequestId, response, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return RuntimeExitCodes.Stopped;
        }
        catch (HttpRequestException exception)
        {
            logger.Fatal("could not post the response to the Runtime API", exception);
            return RuntimeExitCodes.RuntimeApiFailure;
        }

        if (IsSuccess(status))
        {
            return null;
        }

        if (status is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)
        {
            // The invocation must not end without a result: report the refusal as the invocation's error.
            var message = $"The Runtime API refused the response ({(int)status} {status}); it was {response.Length} bytes.";
            logger.Error(message, ("status", (int)status));
            return await PostErrorAsync(invocation.RequestId, LambdaErrorTypes.ResponseRejected,
                ExceptionFormat.ErrorBody(message, LambdaErrorTypes.ResponseRejected), logger, stop).ConfigureAwait(false);
        }

        return Unrecoverable(status)
            ? FailOn("response", status, logger)
            : Continue("response", status, logger);
    }

    /// <summary>Clears the invocation's trace and writes its metrics, before any post: Lambda may freeze the process right after.</summary>
    private void EndInvocation(long started)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, null);
        Metrics.Time(MetricNames.Latency, _timeProvider.GetElapsedTime(started));
        Metrics.Flush();
    }

    private static readonly TimeSpan MaximumTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private CancellationTokenSource DeadlineSource(DateTimeOffset deadline)
    {
        // Lambda deadlines are at most 15 minutes away; a header further out than a timer can hold (about 49.7 days)
        // is nonsense, and is treated as no deadline rather than crashing the runtime.
        if (deadline == DateTimeOffset.MaxValue || deadline - _timeProvider.GetUtcNow() > MaximumTimerDelay)
        {
            return new CancellationTokenSource();
        }

        var untilCancel = deadline - _options.CancellationSafetyMargin - _timeProvider.GetUtcNow();
        if (untilCancel <= TimeSpan.Zero)
        {
            var expired = new CancellationTokenSource();
            expired.Cancel();
            return expired;
        }

        return new CancellationTokenSource(untilCancel, _timeProvider);
    }

    private async Task<int?> PostErrorAsync(string requestId, string errorType, ReadOnlyMemory<byte> body, JsonLogger logger, CancellationToken stop)
    {
        HttpStatusCode status;
        try
        {
            status = await _api.PostErrorAsync(requestId, errorType, body, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return RuntimeExitCodes.Stopped;
        }
        catch (HttpRequestException exception)
        {
            logger.Fatal("could not post the invocation error to the Runtime API", exception);
            return RuntimeExitCodes.RuntimeApiFailure;
        }

        if (IsSuccess(status))
        {
            return null;
        }

        return Unrecoverable(status) ? FailOn("error", status, logger) : Continue("error", status, logger);
    }

    private async Task ReportInitErrorAsync(Exception exception, string errorType, CancellationToken cancellationToken)
    {
        try
        {
            var status = await _api.PostInitErrorAsync(errorType, ExceptionFormat.ErrorBody(exception, errorType), cancellationToken)
                .ConfigureAwait(false);
            if (!IsSuccess(status))
            {
                Logger.Error("the Runtime API did not accept the init error", ("status", (int)status));
            }
        }
        catch (Exception postFailure) when (postFailure is HttpRequestException or OperationCanceledException)
        {
            // The process exits with InitFailure either way; Lambda reports that exit.
            Logger.Error("could not post the init error to the Runtime API", postFailure);
        }
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    /// <summary>The documented answer for a runtime in a state it cannot recover from: "Container error", exit promptly.</summary>
    private static bool Unrecoverable(HttpStatusCode status) => (int)status >= 500;

    private static int? FailOn(string post, HttpStatusCode status, JsonLogger logger)
    {
        logger.Fatal($"the Runtime API answered {(int)status} to the {post} post; exiting so that Lambda restarts the runtime");
        return RuntimeExitCodes.RuntimeApiFailure;
    }

    private static int? Continue(string post, HttpStatusCode status, JsonLogger logger)
    {
        // E.g. 403 for a request id the Runtime API no longer knows: this invocation is over, the next one may be fine.
        logger.Error($"the Runtime API answered {(int)status} to the {post} post", ("status", (int)status));
        return null;
    }
}
