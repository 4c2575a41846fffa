namespace Remediator.Core.Patterns;

/// <summary>The event is not a JSON object (or not JSON at all). Matching refuses it rather than guess.</summary>
public sealed class MalformedEventException : Exception
{
    public MalformedEventException()
    {
    }

    public MalformedEventException(string message)
        : base(message)
    {
    }

    public MalformedEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MalformedEventException(string message, long bytePosition, Exception? innerException = null)
        : base($"{message} (at byte {bytePosition})", innerException)
    {
        BytePosition = bytePosition;
    }

    /// <summary>0-based offset in the UTF-8 event where reading failed.</summary>
    public long BytePosition { get; }
}
