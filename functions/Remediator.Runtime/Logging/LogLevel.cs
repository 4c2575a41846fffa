namespace Remediator.Runtime.Logging;

/// <summary>
/// The levels of Lambda's advanced logging controls (<c>AWS_LAMBDA_LOG_LEVEL</c>), in increasing severity, so that
/// the level an operator sets on the function in the console or template filters our lines the same way.
/// </summary>
public enum LogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

public static class LogLevels
{
    /// <summary>The name Lambda uses for the level in its own JSON log lines (<c>"level":"INFO"</c>).</summary>
    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warn => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Fatal => "FATAL",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown log level"),
    };

    /// <summary>Parses a level name case-insensitively; <c>WARNING</c> and <c>INFORMATION</c> are accepted as aliases.</summary>
    public static bool TryParse(string? text, out LogLevel level)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "TRACE": level = LogLevel.Trace; return true;
            case "DEBUG": level = LogLevel.Debug; return true;
            case "INFO" or "INFORMATION": level = LogLevel.Info; return true;
            case "WARN" or "WARNING": level = LogLevel.Warn; return true;
            case "ERROR": level = LogLevel.Error; return true;
            case "FATAL" or "CRITICAL": level = LogLevel.Fatal; return true;
            default: level = LogLevel.Info; return false;
        }
    }
}
