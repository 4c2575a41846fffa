namespace Remediator.Runtime;

/// <summary>
/// An exception that names its own Lambda error type (the <c>Lambda-Runtime-Function-Error-Type</c> header and the
/// <c>errorType</c> member), so that alarms and on-failure destinations can tell a bad event from a bug.
/// Any other exception is reported under its type name.
/// </summary>
public class FunctionErrorException : Exception
{
    public FunctionErrorException(string errorType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorType);
        ErrorType = errorType;
    }

    public string ErrorType { get; }
}

/// <summary>
/// The event handed to the function cannot be understood (not JSON, not the expected shape). Reported as an error,
/// never as a success, so that the event lands in the function's on-failure destination for someone to look at.
/// </summary>
public sealed class InvalidEventException : FunctionErrorException
{
    public InvalidEventException(string message, Exception? innerException = null)
        : base(LambdaErrorTypes.InvalidEvent, message, innerException)
    {
    }
}

/// <summary>The error types this host reports besides exception type names.</summary>
public static class LambdaErrorTypes
{
    public const string InvalidEvent = "Remediator.InvalidEvent";

    /// <summary>The handler stopped because the invocation's safety margin before the deadline was reached.</summary>
    public const string DeadlineExceeded = "Remediator.DeadlineExceeded";

    /// <summary>The Runtime API refused the handler's response (400, or 413 when it is larger than Lambda accepts).</summary>
    public const string ResponseRejected = "Remediator.ResponseRejected";
}
