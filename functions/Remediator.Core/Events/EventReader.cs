using System.Text;
using System.Text.Json;
using Remediator.Core.Events.Reading;

namespace Remediator.Core.Events;

/// <summary>
/// Finds CloudTrail events in files, directories, stdin and streams, in every shape they are delivered in
/// (EventBridge envelopes, raw records, S3 log files <c>{"Records": [...]}</c> plain or gzip, SNS/SQS wrappers,
/// LookupEvents output, arrays, JSON Lines). Shapes are detected from content, never from file names.
/// Reading streams with bounded memory (see <see cref="EventReaderOptions.MaxRecordBytes"/>) and never stops on
/// bad input: every input object yields exactly one event, error or note, in input order.
/// </summary>
public sealed class EventReader
{
    /// <summary>The path that means standard input.</summary>
    public const string StandardInputPath = "-";

    private static readonly JsonDocumentOptions OneDocumentOptions = new() { MaxDepth = Patterns.PatternMatcher.MaxEventDepth };

    private static readonly string[] ReadableSuffixes = [".json", ".jsonl", ".json.gz", ".jsonl.gz", ".zip"];

    private readonly EventReaderOptions _options;
    private readonly Func<Stream> _openStandardInput;

    public EventReader(EventReaderOptions options)
        : this(options, Console.OpenStandardInput)
    {
    }

    internal EventReader(EventReaderOptions options, Func<Stream> openStandardInput)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _openStandardInput = openStandardInput;
    }

    /// <summary>
    /// Reads files, <c>-</c> (stdin) and directories (recursively every <c>*.json</c>, <c>*.jsonl</c>, <c>*.zip</c>,
    /// <c>*.json.gz</c>, <c>*.jsonl.gz</c>, sorted by path; other files give a note). Lazy: nothing is opened until
    /// enumeration starts, and each file is opened only when its turn comes.
    /// </summary>
    public IEnumerable<EventReadResult> Read(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return ReadPaths(paths);
    }

    /// <summary>Reads one stream (left open) under <paramref name="displayName"/>.</summary>
    public IEnumerable<EventReadResult> Read(Stream stream, string displayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        var isJsonLines = displayName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            || displayName.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase);
        return ReadStream(stream, displayName, isJsonLines, progress: null);
    }

    /// <summary>
    /// For callers that hold one delivery in memory (a Lambda handler, <c>explain</c>): the single event in
    /// <paramref name="json"/>, in any shape. Throws <see cref="FormatException"/> naming the problem when it holds
    /// no event, several, or is broken.
    /// </summary>
    public static CloudTrailEvent ParseOne(string json)
    {
        if (TryParseOne(json, out var parsed, out var problem))
        {
            return parsed;
        }

        throw new FormatException(problem);
    }

    /// <inheritdoc cref="ParseOne"/>
    public static bool TryParseOne(string json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CloudTrailEvent? parsed, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParseOne(Encoding.UTF8.GetBytes(json), out parsed, out problem);
    }

    /// <summary>
    /// The single event in one delivery held in memory as UTF-8 (a Lambda payload), parsed once, straight from the
    /// bytes: no string, no copy before the parse. Invalid UTF-8 is a problem, never replaced silently.
    /// </summary>
    public static bool TryParseOne(ReadOnlyMemory<byte> utf8Json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CloudTrailEvent? parsed, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        parsed = null;
        problem = null;
        var bytes = utf8Json.Span;
        if (bytes.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
            bytes = utf8Json.Span;
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            problem = "not valid UTF-8";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, OneDocumentOptions);
        }
        catch (JsonException e)
        {
            // The position only: the message of a reader exception can quote the payload, which may carry secrets.
            problem = $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
            return false;
        }

        var results = new List<EventReadResult>(1);
        using (document)
        {
            EventShapes.Classify(document.RootElement, "input", "payload", results);
        }

        var failure = results.FirstOrDefault(r => r is not EventRead);
        var events = results.OfType<EventRead>().ToList();
        if (failure is EventReadError error)
        {
            problem = $"{error.Position}: {error.Message}";
        }
        else if (failure is EventReadNote note)
        {
            problem = $"{note.Position}: {note.Message}";
        }
        else if (events.Count != 1)
        {
            problem = $"expected one event, found {events.Count}";
        }
        else
        {
            parsed = events[0].Event;
        }

        return parsed is not null;
    }

    private IEnumerable<EventReadResult> ReadPaths(IEnumerable<string> paths)
    {
        // Expanding first costs only directory listings, and gives the progress bar its total.
        var inputs = InputFiles.Expand(paths, ReadableSuffixes);
        long? total = inputs.Any(i => i.IsStandardInput) ? null : inputs.Sum(i => i.Length);
        var progress = _options.Progress is null ? null : new ProgressTracker(_options.Progress, total);

        foreach (var input in inputs)
        {
            if (input.Skip is { } skip)
            {
                yield return skip;
                continue;
            }

            Stream? stream = null;
            EventReadError? openError = null;
            try
            {
                stream = input.IsStandardInput ? _openStandardInput() : new FileStream(input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                openError = new EventReadError(input.Path, "file", "cannot open: " + e.Message);
            }

            if (openError is not null)
            {
                yield return openError;
                continue;
            }

            using (stream)
            {
                var isJsonLines = IsJsonLinesName(input.Path);
                progress?.StartFile(input.Path);
                var results = ZipArchives.IsZip(stream!) ? ReadZip(stream!, input.Path) : ReadStream(stream!, input.Path, isJsonLines, progress);
                foreach (var result in results)
                {
                    yield return result;
                }

                progress?.EndFile();
            }
        }
    }

    private static bool IsJsonLinesName(string name) =>
        name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A .zip archive (the form several public CloudTrail datasets ship in) reads like a folder of .json/.json.gz
    /// files: its entries in name order, each under <c>archive.zip!entry</c>; other entries give a note.
    /// </summary>
    private IEnumerable<EventReadResult> ReadZip(Stream stream, string file)
    {
        var entries = ZipArchives.Open(stream, file, out var archive, out var openError);
        if (openError is not null)
        {
            yield return openError;
            yield break;
        }

        using (archive)
        {
            foreach (var entry in entries)
            {
                var name = $"{file}!{entry.FullName}";
                if (!ReadableSuffixes.Any(s => s != ".zip" && entry.FullName.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return new EventReadNote(name, "file", "not a .json, .jsonl, .json.gz or .jsonl.gz entry; skipped");
                    continue;
                }

                Stream? content = null;
                EventReadError? entryError = null;
                try
                {
                    content = entry.Open();
                }
                catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
                {
                    entryError = new EventReadError(name, "file", "cannot open the archive entry: " + e.Message);
                }

                if (entryError is not null)
                {
                    yield return entryError;
                    continue;
                }

                using (content)
                {
                    foreach (var result in ReadStream(content!, name, IsJsonLinesName(entry.FullName), progress: null))
                    {
                        yield return result;
                    }
                }
            }
        }
    }

    private IEnumerable<EventReadResult> ReadStream(Stream raw, string file, bool isJsonLines, ProgressTracker? progress)
    {
        Stream text;
        bool gzip;
        uint? expectedGzipSize;
        EventReadError? openError = null;
        try
        {
            text = InputStreams.Open(raw, progress is null ? null : progress.Advance, out gzip, out expectedGzipSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            text = Stream.Null;
            gzip = false;
            expectedGzipSize = null;
            openError = new EventReadError(file, "byte 0", "cannot read: " + e.Message);
        }

        if (openError is not null)
        {
            yield return openError;
            yield break;
        }

        var batch = new List<EventReadResult>();
        EventNotWanted? notWanted = null;
        using (text)
        using (var scanner = new JsonUnitScanner(text, _options, isJsonLines, gzip))
        {
            while (true)
            {
                var item = scanner.Next();
                switch (item.Kind)
                {
                    case ScanKind.End:
                        if (expectedGzipSize is { } size && !scanner.StoppedEarly && (uint)scanner.BytesScanned != size)
                        {
                            yield return new EventReadError(
                                file,
                                $"byte {scanner.BytesScanned}",
                                $"gzip data ends after {scanner.BytesScanned} bytes but its trailer says {size}: the file is probably truncated");
                        }

                        yield break;
                    case ScanKind.Error:
                        yield return new EventReadError(file, item.Position, item.Message ?? "error");
                        break;
                    case ScanKind.Note:
                        yield return new EventReadNote(file, item.Position, item.Message ?? string.Empty);
                        break;
                    case ScanKind.NotWanted:
                        yield return notWanted ??= new EventNotWanted(file);
                        break;
                    default:
                        batch.Clear();
                        using (var document = item.Document!)
                        {
                            EventShapes.Classify(document.RootElement, file, item.Position, batch);
                        }

                        foreach (var result in batch)
                        {
                            yield return result;
                        }

                        break;
                }
            }
        }
    }

    /// <summary>Turns per-read byte counts into cumulative progress, reporting at most every 64 KiB.</summary>
    private sealed class ProgressTracker(IProgress<ReadProgress> sink, long? total)
    {
        private const long ReportEvery = 64 * 1024;
        private string _file = string.Empty;
        private long _doneBefore;
        private long _inFile;
        private long _lastReported = -ReportEvery;

        public void StartFile(string file)
        {
            _file = file;
            _inFile = 0;
        }

        public void Advance(long bytesInFile)
        {
            _inFile = bytesInFile;
            var now = _doneBefore + _inFile;
            if (now - _lastReported >= ReportEvery)
            {
                _lastReported = now;
                sink.Report(new ReadProgress(_file, now, total));
            }
        }

        public void EndFile()
        {
            _doneBefore += _inFile;
            _inFile = 0;
            _lastReported = _doneBefore;
            sink.Report(new ReadProgress(_file, _doneBefore, total));
        }
    }
}
