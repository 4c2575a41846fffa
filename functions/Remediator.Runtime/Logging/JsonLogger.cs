using System.Globalization;
using System.Text.Json;

namespace Remediator.Runtime.Logging;

/// <summary>
/// Structured log lines on stdout, one JSON object per line, which Lambda ships to CloudWatch Logs:
/// <c>{"timestamp","level","message","requestId","traceId", ...fields}</c>.
/// <para>
/// Invocation payloads are never logged, neither by this class nor by the host: CloudTrail events and API replies can
/// carry secrets (policy documents, environment variables, tokens in request parameters). A handler that wants a
/// field from an event logs that field, deliberately.
/// </para>
/// </summary>
public sealed class JsonLogger
{
    /// <summary>Lambda's advanced logging controls set this from the function's configuration.</summary>
    public const string AwsLevelVariable = "AWS_LAMBDA_LOG_LEVEL";

    /// <summary>Our own override, for when the function's logging configuration cannot be changed (it wins).</summary>
    public const string RemediatorLevelVariable = "REMEDIATOR_LOG_LEVEL";

    private static readonly HashSet<string> ReservedKeys =
        new(StringComparer.Ordinal) { "timestamp", "level", "message", "requestId", "traceId", "errorType", "errorMessage", "stackTrace" };

    private readonly TextWriter _output;
    private readonly TimeProvider _timeProvider;

    public JsonLogger(TextWriter output, LogLevel minimumLevel, TimeProvider? timeProvider = null)
        : this(output, minimumLevel, timeProvider ?? TimeProvider.System, requestId: null, traceId: null)
    {
    }

    private JsonLogger(TextWriter output, LogLevel minimumLevel, TimeProvider timeProvider, string? requestId, string? traceId)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _timeProvider = timeProvider;
        MinimumLevel = minimumLevel;
        RequestId = requestId;
        TraceId = traceId;
    }

    public LogLevel MinimumLevel { get; }

    public string? RequestId { get; }

    public string? TraceId { get; }

    /// <summary>
    /// The level from the environment: <c>REMEDIATOR_LOG_LEVEL</c>, else <c>AWS_LAMBDA_LOG_LEVEL</c>, else INFO.
    /// An unknown name is a configuration error (thrown, so that the function fails its init visibly).
    /// </summary>
    public static LogLevel LevelFromEnvironment(Func<string, string?> readVariable)
    {
        ArgumentNullException.ThrowIfNull(readVariable);
        foreach (var name in new[] { RemediatorLevelVariable, AwsLevelVariable })
        {
            var value = readVariable(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            return LogLevels.TryParse(value, out var level)
                ? level
                : throw new ArgumentException($"{name}='{value}' is not a log level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL).");
        }

        return LogLevel.Info;
    }

    /// <summary>A logger whose lines carry the invocation's request id and trace id; it shares the output and level.</summary>
    public JsonLogger ForInvocation(string requestId, string? traceId) =>
        new(_output, MinimumLevel, _timeProvider, requestId, traceId);

    public bool IsEnabled(LogLevel level) => level >= MinimumLevel;

    public void Trace(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Trace, message, null, fields);

    public void Debug(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Debug, message, null, fields);

    public void Info(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Info, message, null, fields);

    public void Warn(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Warn, message, null, fields);

    public void Error(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Error, message, null, fields);

    /// <summary>An error line with the exception's <c>errorType</c>, <c>errorMessage</c> and <c>stackTrace</c>.</summary>
    public void Error(string message, Exception exception, params ReadOnlySpan<(string Key, object? Value)> fields) =>
        Log(LogLevel.Error, message, exception, fields);

    public void Fatal(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Fatal, message, null, fields);

    public void Fatal(string message, Exception exception, params ReadOnlySpan<(string Key, object? Value)> fields) =>
        Log(LogLevel.Fatal, message, exception, fields);

    /// <summary>
    /// Writes a line when <paramref name="level"/> is enabled. Field values are written as JSON strings, numbers and
    /// booleans (a <see cref="TimeSpan"/> as milliseconds, times in ISO 8601 UTC); anything else as its invariant text.
    /// </summary>
    public void Log(LogLevel level, string message, Exception? exception, params ReadOnlySpan<(string Key, object? Value)> fields)
    {
        Write(level, message, exception, exception is null ? null : ExceptionFormat.ErrorType(exception), fields);
    }

    /// <summary>An error line whose <c>errorType</c> is the one reported to Lambda, when the host chose another than the exception's.</summary>
    internal void Error(string message, Exception exception, string errorType) =>
        Write(LogLevel.Error, message, exception, errorType, []);

    private void Write(LogLevel level, string message, Exception? exception, string? errorType, ReadOnlySpan<(string Key, object? Value)> fields)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        // The span cannot be captured by the writing callback, so the fields are copied once, only for enabled lines.
        var line = new Line(this, level, message, exception, errorType, fields.ToArray());
        JsonLine.Write(_output, line, static (writer, state) => state.WriteTo(writer));
    }

    private readonly record struct Line(JsonLogger Logger, LogLevel Level, string Message, Exception? Exception, string? ErrorType, (string Key, object? Value)[] Fields)
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteString("timestamp", JsonLine.Timestamp(Logger._timeProvider.GetUtcNow()));
            writer.WriteString("level", LogLevels.Name(Level));
            writer.WriteString("message", Message);
            if (Logger.RequestId is not null)
            {
                writer.WriteString("requestId", Logger.RequestId);
            }

            if (Logger.TraceId is not null)
            {
                writer.WriteString("traceId", Logger.TraceId);
            }

            if (Exception is not null)
            {
                ExceptionFormat.WriteMembers(writer, Exception, ErrorType ?? ExceptionFormat.ErrorType(Exception));
            }

            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, value) in Fields)
            {
                // A field may not overwrite the envelope (a duplicate member makes the line ambiguous to parsers),
                // nor repeat itself; such a key is kept, prefixed, rather than silently dropped.
                var name = ReservedKeys.Contains(key) || !written.Add(key) ? "field." + key : key;
                written.Add(name);
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
        }

        private static void WriteValue(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case string text: writer.WriteStringValue(text); break;
                case bool flag: writer.WriteBooleanValue(flag); break;
                case int number: writer.WriteNumberValue(number); break;
                case long number: writer.WriteNumberValue(number); break;
                case double number when double.IsFinite(number): writer.WriteNumberValue(number); break;
                case decimal number: writer.WriteNumberValue(number); break;
                case DateTimeOffset time: writer.WriteStringValue(JsonLine.Timestamp(time)); break;
                case DateTime time: writer.WriteStringValue(JsonLine.Timestamp(new DateTimeOffset(time.ToUniversalTime()))); break;
                case TimeSpan span: writer.WriteNumberValue(span.TotalMilliseconds); break;
                case IFormattable formattable: writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture)); break;
                default: writer.WriteStringValue(value.ToString()); break;
            }
        }
    }
}
