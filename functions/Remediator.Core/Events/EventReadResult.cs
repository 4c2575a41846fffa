namespace Remediator.Core.Events;

/// <summary>
/// One outcome of reading inputs: every input object ends up as exactly one <see cref="EventRead"/>,
/// <see cref="EventNotWanted"/>, <see cref="EventReadError"/> or <see cref="EventReadNote"/>.
/// </summary>
/// <param name="File">The path as given (or as found under a directory), or the stream's display name.</param>
/// <param name="Position">
/// Where in the file: <c>line L</c> (JSON Lines, or a value starting at column 1), <c>line L, column C</c>,
/// <c>record N, line L, column C</c> (an element of <c>Records</c>, <c>Events</c> or a top-level array),
/// <c>byte N</c> when that is all there is, or <c>file</c> for the file as a whole. A wrapped record (SNS, SQS,
/// LookupEvents) adds the path inside the wrapper in parentheses.
/// </param>
public abstract record EventReadResult(string File, string Position);

public sealed record EventRead(string File, string Position, CloudTrailEvent Event) : EventReadResult(File, Position);

/// <summary>
/// A CloudTrail event that none of <see cref="EventReaderOptions.Interest"/>'s patterns matches: counted, not parsed.
/// One instance per file is handed out again and again, so its <see cref="EventReadResult.Position"/> is empty
/// (locating each one would cost what skipping it saves).
/// </summary>
public sealed record EventNotWanted(string File) : EventReadResult(File, string.Empty);

public sealed record EventReadError(string File, string Position, string Message) : EventReadResult(File, Position);

/// <summary>Not an error and not an event: a skipped file, an empty input, a CloudTrail digest file.</summary>
public sealed record EventReadNote(string File, string Position, string Message) : EventReadResult(File, Position);

/// <summary>
/// Progress of one <see cref="EventReader.Read(IEnumerable{string})"/> call, for a progress bar.
/// </summary>
/// <param name="File">The file being read.</param>
/// <param name="BytesRead">Bytes read so far over all files of the call (compressed bytes for gzip files).</param>
/// <param name="TotalBytes">The sum of the files' sizes, known up front; null when stdin or a stream is read.</param>
public readonly record struct ReadProgress(string File, long BytesRead, long? TotalBytes);
