namespace Remediator.Core.Events;

/// <summary>Limits and hooks for <see cref="EventReader"/>. Validated when the reader is built.</summary>
public sealed record EventReaderOptions
{
    public const int DefaultMaxRecordBytes = 10 * 1024 * 1024;
    public const int DefaultBufferBytes = 64 * 1024;

    public static EventReaderOptions Default { get; } = new();

    /// <summary>
    /// The largest single record (or top-level object that is not a <c>Records</c>/<c>Events</c> container) held in
    /// memory. Larger ones are reported as errors and skipped, so memory stays bounded whatever the input.
    /// </summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    /// <summary>How many bytes are read from the input at a time.</summary>
    public int BufferBytes { get; init; } = DefaultBufferBytes;

    /// <summary>
    /// Told about bytes read, at most once per buffer refill and once at the end of each file. Called on the reading
    /// thread: keep it cheap.
    /// </summary>
    public IProgress<ReadProgress>? Progress { get; init; }

    /// <summary>
    /// When set, a JSON Lines record that is a CloudTrail EventBridge envelope none of these patterns matches is
    /// yielded as <see cref="EventNotWanted"/> without being parsed. Null: every event is read in full.
    /// </summary>
    public EventInterest? Interest { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        // 256 bytes is far below any real record; the floor only rejects nonsense such as 0 or negative sizes.
        if (MaxRecordBytes is < 256 or > 1024 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRecordBytes), MaxRecordBytes, "MaxRecordBytes must be between 256 bytes and 1 GiB.");
        }

        // Tiny buffers are allowed on purpose: tests use them to make every token straddle a refill.
        if (BufferBytes is < 16 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(BufferBytes), BufferBytes, "BufferBytes must be between 16 bytes and 16 MiB.");
        }
    }
}
