namespace Remediator.Core.Patterns;

/// <summary>An event pattern that EventBridge would reject. <see cref="Exception.Message"/> starts with the offending path.</summary>
public sealed class InvalidPatternException : Exception
{
    public InvalidPatternException()
    {
        PatternPath = string.Empty;
        Reason = string.Empty;
    }

    public InvalidPatternException(string message)
        : base(message)
    {
        PatternPath = string.Empty;
        Reason = message;
    }

    public InvalidPatternException(string message, Exception innerException)
        : base(message, innerException)
    {
        PatternPath = string.Empty;
        Reason = message;
    }

    public InvalidPatternException(string patternPath, string reason)
        : base(string.IsNullOrEmpty(patternPath) ? reason : $"{patternPath}: {reason}")
    {
        PatternPath = patternPath;
        Reason = reason;
    }

    /// <summary>Where in the pattern the problem is, e.g. <c>detail.eventName[0]</c>; empty for the whole pattern.</summary>
    public string PatternPath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Reason { get; }
}
