using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;

namespace Remediator.Runtime;

/// <summary>Settings of the Runtime API host, read from the Lambda environment and validated before the loop starts.</summary>
public sealed record LambdaRuntimeOptions
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
    public const string FunctionNameVariable = "AWS_LAMBDA_FUNCTION_NAME";
    public const string ConcernVariable = "REMEDIATOR_CONCERN";

    /// <summary>The Runtime API endpoint as Lambda gives it: <c>host:port</c>, no scheme.</summary>
    public required string RuntimeApi { get; init; }

    /// <summary>
    /// The invocation's cancellation token fires this long before the deadline, leaving the handler time to write its
    /// audit record, flush logs and metrics and post a result, instead of Lambda killing it mid-write.
    /// </summary>
    public TimeSpan CancellationSafetyMargin { get; init; } = TimeSpan.FromMilliseconds(500);

    public LogLevel LogLevel { get; init; } = LogLevel.Info;

    public required MetricsOptions Metrics { get; init; }

    /// <summary>The Runtime API base address, e.g. <c>http://127.0.0.1:9001/2018-06-01/</c>.</summary>
    internal Uri BaseAddress => new($"http://{RuntimeApi}/2018-06-01/");

    /// <summary>
    /// Options from the Lambda environment: <c>AWS_LAMBDA_RUNTIME_API</c>, <c>AWS_LAMBDA_FUNCTION_NAME</c>, the log level
    /// (<see cref="JsonLogger.LevelFromEnvironment"/>) and the concern (<paramref name="concern"/>, else <c>REMEDIATOR_CONCERN</c>).
    /// </summary>
    public static LambdaRuntimeOptions FromEnvironment(string? concern = null, Func<string, string?>? readVariable = null)
    {
        readVariable ??= Environment.GetEnvironmentVariable;
        var runtimeApi = readVariable(RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            throw new InvalidOperationException($"{RuntimeApiVariable} is not set: this program runs as a Lambda custom runtime (bootstrap).");
        }

        var functionName = readVariable(FunctionNameVariable);
        var concernValue = concern ?? readVariable(ConcernVariable);
        return new LambdaRuntimeOptions
        {
            RuntimeApi = runtimeApi.Trim(),
            LogLevel = JsonLogger.LevelFromEnvironment(readVariable),
            Metrics = new MetricsOptions
            {
                FunctionName = string.IsNullOrWhiteSpace(functionName) ? "unknown" : functionName,
                Concern = string.IsNullOrWhiteSpace(concernValue) ? null : concernValue,
            },
        }.Validated();
    }

    public LambdaRuntimeOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(RuntimeApi)
            || RuntimeApi.Contains('/', StringComparison.Ordinal)
            || !Uri.TryCreate($"http://{RuntimeApi}", UriKind.Absolute, out var uri)
            || uri.PathAndQuery != "/"
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"{nameof(RuntimeApi)} must be host:port (as in {RuntimeApiVariable}), got '{RuntimeApi}'.");
        }

        if (CancellationSafetyMargin < TimeSpan.Zero || CancellationSafetyMargin > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"{nameof(CancellationSafetyMargin)} must be between 0 and 1 minute, got {CancellationSafetyMargin}.");
        }

        if (!Enum.IsDefined(LogLevel))
        {
            throw new ArgumentException($"{nameof(LogLevel)} {LogLevel} is not a level.");
        }

        ArgumentNullException.ThrowIfNull(Metrics);
        Metrics.Validated();
        return this;
    }
}
