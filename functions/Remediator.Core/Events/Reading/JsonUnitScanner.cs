using System.Text.Json;
using System.Text.Unicode;
using Remediator.Core.Patterns;

namespace Remediator.Core.Events.Reading;

/// <summary>
/// Cuts a byte stream into JSON values small enough to parse one at a time, whatever its size:
/// <list type="bullet">
/// <item>top-level values one after another (a single document, concatenated values, or JSON Lines);</item>
/// <item>the elements of a top-level array, and of a <c>Records</c> or <c>Events</c> array directly inside a
/// top-level object (a CloudTrail S3 log file, an SQS batch, LookupEvents output), streamed one element at a time;</item>
/// <item>any other top-level object as one unit.</item>
/// </list>
/// The outer structure is walked with <see cref="Utf8JsonReader"/> over a refilled <see cref="ByteWindow"/>
/// (isFinalBlock=false, resumed with <see cref="JsonReaderState"/>); each streamed element gets its own reader, so a
/// broken element is reported and skipped (a string-aware bracket scan finds its end) and the next one still reads.
/// In JSON Lines a line that holds one whole value is taken as it stands (one parse, or none when the reader's
/// <see cref="EventInterest"/> declines it); any other line is walked, and a broken one costs that line only: reading
/// resumes on the line after the one it started on, so the valid event after a truncated line is never swallowed.
/// Every unit's bytes must be valid UTF-8; a record that is not is one error, never an exception later on.
/// </summary>
internal sealed class JsonUnitScanner : IDisposable
{
    private const int QuotedTextLimit = 24;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = PatternMatcher.MaxEventDepth };

    private readonly ByteWindow _window;
    private readonly int _maxRecordBytes;
    private readonly bool _gzip;
    private readonly EventInterest? _interest;

    private Phase _phase = Phase.TopLevel;
    private long _pos;
    private JsonReaderState _state;

    // The top-level value being walked.
    private long _valueStart;
    private long _valueLine;
    private long? _pin;
    private bool _oversized;
    private bool _inContainer;
    private bool _pendingContainerName;
    private string _containerName = string.Empty;
    private JsonReaderState _stateAfterArrayStart;

    // The streamed array being read.
    private int _recordNumber;
    private bool _expectComma;

    private int _valuesSeen;
    private bool _lineMode;

    public JsonUnitScanner(Stream stream, EventReaderOptions options, bool lineMode, bool gzip)
    {
        _maxRecordBytes = options.MaxRecordBytes;
        _window = new ByteWindow(stream, options.BufferBytes, options.MaxRecordBytes + (options.BufferBytes * 2));
        _lineMode = lineMode;
        _gzip = gzip;
        _interest = options.Interest;
    }

    private enum Phase
    {
        TopLevel,
        Walk,
        Elements,
        Finished,
    }

    /// <summary>Bytes of (decompressed) input seen so far.</summary>
    public long BytesScanned => _window.End;

    /// <summary>True when reading stopped before the end: a value cut short, or input that could not be read.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>The next unit, error or note; <see cref="ScanKind.End"/> once the input is exhausted or unreadable.</summary>
    public ScanItem Next()
    {
        try
        {
            while (true)
            {
                ScanItem? item = _phase switch
                {
                    Phase.TopLevel => StepTopLevel(),
                    Phase.Walk => StepWalk(),
                    Phase.Elements => StepElement(),
                    _ => ScanItem.EndOfInput,
                };
                if (item is { } found)
                {
                    return found;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or WindowFullException)
        {
            _phase = Phase.Finished;
            StoppedEarly = true;
            var reason = e is InvalidDataException && _gzip ? "gzip data is corrupt: " + e.Message : e.Message;
            return ScanItem.Error($"byte {_window.End}", "cannot read further: " + reason);
        }
    }

    public void Dispose() => _window.Dispose();

    private ScanItem? StepTopLevel()
    {
        if (_window.End == 0 && !_window.AtEndOfStream)
        {
            _window.Fill(0);
            SkipByteOrderMark();
        }

        if (!SkipWhitespace(out var sawNewline))
        {
            _phase = Phase.Finished;
            return _valuesSeen == 0 ? ScanItem.Note("byte 0", "no JSON content") : ScanItem.EndOfInput;
        }

        // Several top-level values on separate lines: JSON Lines, whatever the file is called.
        if (_valuesSeen > 0 && sawNewline)
        {
            _lineMode = true;
        }

        _valuesSeen++;
        _valueStart = _pos;
        _valueLine = _window.PositionOf(_pos).Line;
        if (_lineMode && TakeWholeLine() is { } whole)
        {
            return whole;
        }

        var first = _window[_pos];
        if (first is (byte)'{' or (byte)'[')
        {
            _state = new JsonReaderState(ReaderOptions);
            _pin = _pos;
            _oversized = false;
            _inContainer = false;
            _pendingContainerName = false;
            _phase = Phase.Walk;
            return null;
        }

        var error = ScanItem.Error(ValueLabel(_valueStart), $"not JSON: expected '{{' or '[' but found {Describe(first)}");
        AbandonValue(_pos);
        return error;
    }

    /// <summary>Reads the outer structure token by token until a value completes or a streamed array starts.</summary>
    private ScanItem? StepWalk()
    {
        while (true)
        {
            var start = _pos;
            var reader = new Utf8JsonReader(_window.From(start), _window.AtEndOfStream, _state);
            try
            {
                while (reader.Read())
                {
                    var depth = reader.CurrentDepth;
                    var token = reader.TokenType;
                    if (token == JsonTokenType.PropertyName)
                    {
                        _pendingContainerName = depth == 1 && !_inContainer && (reader.ValueTextEquals("Records"u8) || reader.ValueTextEquals("Events"u8));
                        if (_pendingContainerName)
                        {
                            _containerName = reader.GetString() ?? string.Empty;
                        }

                        continue;
                    }

                    var opensContainer = token == JsonTokenType.StartArray
                        && ((depth == 0) || (depth == 1 && _pendingContainerName));
                    _pendingContainerName = false;
                    if (opensContainer)
                    {
                        _pos = start + reader.BytesConsumed;
                        _state = reader.CurrentState;
                        _stateAfterArrayStart = _state;
                        if (depth == 0)
                        {
                            _containerName = string.Empty;
                        }

                        // From here on the object is a container, not a unit: stop holding on to its bytes.
                        _inContainer = true;
                        _pin = null;
                        _recordNumber = 0;
                        _expectComma = false;
                        _phase = Phase.Elements;
                        return null;
                    }

                    if (depth == 0 && token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                    {
                        _pos = start + reader.BytesConsumed;
                        _state = reader.CurrentState;
                        return CompleteValue();
                    }
                }
            }
            catch (JsonException e)
            {
                _pos = start + reader.BytesConsumed;
                _state = reader.CurrentState;
                return FailValue(e);
            }

            _pos = start + reader.BytesConsumed;
            _state = reader.CurrentState;
            if (_pin is { } pin && _window.End - pin > _maxRecordBytes)
            {
                _pin = null;
                _oversized = true;
            }

            if (!_window.Fill(_pin ?? _pos) && reader.IsFinalBlock)
            {
                // The final block was read and the reader still wanted more without throwing: treat as truncated.
                StoppedEarly = true;
                _phase = Phase.Finished;
                return ScanItem.Error(ValueLabel(_valueStart), "unexpected end of input inside this value" + GzipHint());
            }
        }
    }

    /// <summary>One element of a streamed array (or the array's end).</summary>
    private ScanItem? StepElement()
    {
        if (!SkipWhitespace(out _))
        {
            StoppedEarly = true;
            _phase = Phase.Finished;
            return ScanItem.Error(
                RecordLabel(_recordNumber + 1, _window.End),
                $"unexpected end of input inside {ContainerDescription()}" + GzipHint());
        }

        var first = _window[_pos];
        if (first == (byte)']')
        {
            // The walk's reader, resumed in its state just after '[', reads this ']' itself and carries on.
            _state = _stateAfterArrayStart;
            _phase = Phase.Walk;
            return _recordNumber == 0 ? ScanItem.Note(ValueLabel(_valueStart), $"no records in {ContainerDescription()}") : null;
        }

        if (first == (byte)',' && _expectComma)
        {
            _pos++;
            _expectComma = false;
            return null;
        }

        _recordNumber++;
        var elementStart = _pos;
        if (first == (byte)',' || _expectComma)
        {
            var label = RecordLabel(_recordNumber, elementStart);
            if (first == (byte)',')
            {
                _pos++;
                _expectComma = false;
                return ScanItem.Error(label, "empty element (two commas in a row)");
            }

            return SkipBrokenElement(elementStart, label, "expected ',' or ']' before this element");
        }

        while (true)
        {
            var reader = new Utf8JsonReader(_window.From(elementStart), _window.AtEndOfStream, new JsonReaderState(ReaderOptions));
            try
            {
                if (JsonDocument.TryParseValue(ref reader, out var document))
                {
                    _pos = elementStart + reader.BytesConsumed;
                    _expectComma = true;
                    if (reader.BytesConsumed > _maxRecordBytes)
                    {
                        // It fitted in the window anyway (pooled buffers round up); the limit is still the limit.
                        document.Dispose();
                        return ScanItem.Error(RecordLabel(_recordNumber, elementStart), OversizedRecord());
                    }

                    var bytes = _window.Slice(elementStart, _pos);
                    if (!Utf8.IsValid(bytes))
                    {
                        document.Dispose();
                        return ScanItem.Error(RecordLabel(_recordNumber, elementStart), InvalidUtf8(bytes));
                    }

                    return ScanItem.Unit(document, RecordLabel(_recordNumber, elementStart));
                }
            }
            catch (JsonException e)
            {
                var label = RecordLabel(_recordNumber, ErrorLine(elementStart, e), ErrorColumn(elementStart, e));
                return SkipBrokenElement(elementStart, label, ShortMessage(e));
            }

            if (_window.End - elementStart > _maxRecordBytes)
            {
                return SkipBrokenElement(elementStart, RecordLabel(_recordNumber, elementStart), OversizedRecord());
            }

            if (!_window.Fill(elementStart) && reader.IsFinalBlock)
            {
                StoppedEarly = true;
                _phase = Phase.Finished;
                return ScanItem.Error(RecordLabel(_recordNumber, elementStart), "unexpected end of input inside this record" + GzipHint());
            }
        }
    }

    /// <summary>
    /// JSON Lines: when the line starting at the current value holds exactly one JSON object, takes it as the unit
    /// (or as not wanted, or as one invalid-UTF-8 error) and moves to the next line. Null: walk it instead (a line
    /// that is broken, longer than the record limit, an array, or not alone on its line).
    /// </summary>
    private ScanItem? TakeWholeLine()
    {
        long newline;
        while (true)
        {
            var found = _window.From(_pos).IndexOf((byte)'\n');
            if (found >= 0)
            {
                newline = _pos + found;
                break;
            }

            if (_window.End - _pos > _maxRecordBytes)
            {
                return null;
            }

            if (!_window.Fill(_pos))
            {
                newline = _window.End;
                break;
            }
        }

        var line = _window.Slice(_pos, newline).TrimEnd(" \t\r"u8);
        if (line.Length == 0 || line[0] != (byte)'{' || line.Length > _maxRecordBytes)
        {
            return null;
        }

        var next = Math.Min(newline + 1, _window.End);
        if (!Utf8.IsValid(line))
        {
            var invalid = ScanItem.Error(ValueLabel(_valueStart), InvalidUtf8(line));
            _pos = next;
            return invalid;
        }

        if (_interest is { } interest && interest.Judge(line) == InterestVerdict.NotWanted)
        {
            _pos = next;
            return ScanItem.NotWanted;
        }

        var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        JsonDocument? document;
        try
        {
            // ParseValue copies the bytes, so the document outlives the next refill.
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            // The walk finds and reports the fault with its column, then resumes on the next line.
            return null;
        }

        if (reader.BytesConsumed != line.Length)
        {
            // Several values on one line: the walk reads them one by one.
            document.Dispose();
            return null;
        }

        var item = ScanItem.Unit(document, ValueLabel(_valueStart));
        _pos = next;
        return item;
    }

    private static string InvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                break;
            }

            offset += consumed;
        }

        return $"not valid UTF-8 (byte {offset + 1} of this record); skipped";
    }

    private ScanItem SkipBrokenElement(long elementStart, string label, string reason)
    {
        var end = FindElementEnd(elementStart);
        if (end < 0)
        {
            StoppedEarly = true;
            _phase = Phase.Finished;
            return ScanItem.Error(label, reason + "; the input ends before this record does" + GzipHint());
        }

        _pos = end;
        _expectComma = true;
        return ScanItem.Error(label, reason);
    }

    private ScanItem? CompleteValue()
    {
        _phase = Phase.TopLevel;
        if (_inContainer)
        {
            return null;
        }

        if (_oversized || _pos - _valueStart > _maxRecordBytes)
        {
            return ScanItem.Error(ValueLabel(_valueStart), $"JSON value larger than MaxRecordBytes ({_maxRecordBytes} bytes); skipped");
        }

        var bytes = _window.Slice(_valueStart, _pos);
        if (!Utf8.IsValid(bytes))
        {
            _pin = null;
            return ScanItem.Error(ValueLabel(_valueStart), InvalidUtf8(bytes));
        }

        // ParseValue copies the bytes, so the document outlives the next refill.
        var reader = new Utf8JsonReader(bytes, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        var document = JsonDocument.ParseValue(ref reader);
        _pin = null;
        return ScanItem.Unit(document, ValueLabel(_valueStart));
    }

    private ScanItem FailValue(JsonException e)
    {
        _pin = null;
        var line = ErrorLine(_valueStart, e);
        var column = ErrorColumn(_valueStart, e);
        if (_valuesSeen == 1 && !_lineMode && LooksLineOriented(_valueStart))
        {
            _lineMode = true;
        }

        // In JSON Lines the bad line is the news; elsewhere the exact spot is.
        var label = _lineMode ? $"line {_valueLine}" : $"line {line}, column {column}";
        if (IsCutShort())
        {
            StoppedEarly = true;
        }

        var error = ScanItem.Error(label, ShortMessage(e) + (StoppedEarly ? GzipHint() : string.Empty));

        // A line cut short swallows the start of the next one; the next line still holds its own event.
        AbandonValue(_lineMode && _valueStart >= _window.Start ? _valueStart : _pos);
        return error;
    }

    /// <summary>
    /// True when the rest of the input is a valid beginning of the value being walked: the file was cut short rather
    /// than malformed. Only the error path pays for this second look.
    /// </summary>
    private bool IsCutShort()
    {
        if (!_window.AtEndOfStream)
        {
            return false;
        }

        var reader = new Utf8JsonReader(_window.From(_pos), isFinalBlock: false, _state);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    return false;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// After a broken top-level value: JSON Lines carry on at the next line; any other file has no reliable place to
    /// resume, so reading it stops (one error, not a cascade).
    /// </summary>
    private void AbandonValue(long from)
    {
        if (!_lineMode)
        {
            _phase = Phase.Finished;
            return;
        }

        _pos = from;
        while (true)
        {
            var span = _window.From(_pos);
            var newline = span.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _pos += newline + 1;
                _phase = Phase.TopLevel;
                return;
            }

            _pos = _window.End;
            if (!_window.Fill(_pos))
            {
                _phase = Phase.Finished;
                return;
            }
        }
    }

    /// <summary>
    /// Finds where a broken element ends without validating it: tracks strings and bracket depth, stops after the
    /// bracket that closes it, or before a ',' / closing bracket at depth 0 for a bare token. Streams: keeps nothing.
    /// Returns -1 when the input ends first.
    /// </summary>
    private long FindElementEnd(long start)
    {
        var p = start;
        var depth = 0;
        var inString = false;
        var escaped = false;
        while (true)
        {
            if (p >= _window.End && !_window.Fill(p))
            {
                return -1;
            }

            var span = _window.From(p);
            for (var i = 0; i < span.Length; i++)
            {
                var c = span[i];
                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (c == (byte)'\\')
                    {
                        escaped = true;
                    }
                    else if (c == (byte)'"')
                    {
                        inString = false;
                        if (depth == 0)
                        {
                            return p + i + 1;
                        }
                    }

                    continue;
                }

                switch (c)
                {
                    case (byte)'"':
                        inString = true;
                        break;
                    case (byte)'{' or (byte)'[':
                        depth++;
                        break;
                    case (byte)'}' or (byte)']':
                        if (depth == 0)
                        {
                            // Belongs to the enclosing array/object; always consume at least one byte.
                            return Math.Max(p + i, start + 1);
                        }

                        depth--;
                        if (depth == 0)
                        {
                            return p + i + 1;
                        }

                        break;
                    case (byte)',' when depth == 0:
                        return Math.Max(p + i, start + 1);
                }
            }

            p += span.Length;
        }
    }

    private bool SkipWhitespace(out bool sawNewline)
    {
        sawNewline = false;
        while (true)
        {
            if (_pos >= _window.End && !_window.Fill(_pos))
            {
                return false;
            }

            var span = _window.From(_pos);
            for (var i = 0; i < span.Length; i++)
            {
                switch (span[i])
                {
                    case (byte)'\n':
                        sawNewline = true;
                        break;
                    case (byte)' ' or (byte)'\t' or (byte)'\r':
                        break;
                    default:
                        _pos += i;
                        return true;
                }
            }

            _pos += span.Length;
        }
    }

    private void SkipByteOrderMark()
    {
        if (_window.End >= 3 && _window.From(0)[..3].SequenceEqual("\uFEFF"u8))
        {
            _pos = 3;
        }
    }

    /// <summary>
    /// Used only when the first value is broken in a file not named .jsonl: a first line that is a whole object on its
    /// own, followed by more content, says JSON Lines.
    /// </summary>
    private bool LooksLineOriented(long valueStart)
    {
        var span = _window.From(valueStart);
        var newline = span.IndexOf((byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        var line = span[..newline].TrimEnd(" \t\r"u8);
        var rest = span[(newline + 1)..].Trim(" \t\r\n"u8);

        // A whole object on the first line, or an object cut short there with another object starting on the next
        // (a shipper's truncated first record; a pretty-printed value's first line is a lone '{' or '[').
        return line.Length > 0 && rest.Length > 0
            && (line[^1] is (byte)'}' or (byte)']' || (line.Length > 1 && line[0] == (byte)'{' && rest[0] == (byte)'{'));
    }

    private long ErrorLine(long start, JsonException e) => _window.PositionOf(start).Line + (e.LineNumber ?? 0);

    private long ErrorColumn(long start, JsonException e)
    {
        var inLine = e.BytePositionInLine ?? 0;
        return (e.LineNumber ?? 0) == 0 ? _window.PositionOf(start).Column + inLine : inLine + 1;
    }

    private string ValueLabel(long offset)
    {
        var (line, column) = _window.PositionOf(offset);
        return column == 1 ? $"line {line}" : $"line {line}, column {column}";
    }

    private string RecordLabel(int number, long offset)
    {
        var (line, column) = _window.PositionOf(offset);
        return RecordLabel(number, line, column);
    }

    private string RecordLabel(int number, long line, long column) =>
        _lineMode ? $"line {line}, record {number}" : $"record {number}, line {line}, column {column}";

    private string OversizedRecord() => $"record larger than MaxRecordBytes ({_maxRecordBytes} bytes); skipped";

    private string ContainerDescription() => _containerName.Length == 0 ? "the top-level array" : $"'{_containerName}'";

    private string GzipHint() => _gzip ? " (the gzip file may be truncated)" : string.Empty;

    private static string Describe(byte b) => b is >= 0x20 and < 0x7f ? $"'{(char)b}'" : $"byte 0x{b:x2}";

    /// <summary>
    /// System.Text.Json appends "LineNumber: .. | BytePositionInLine: .." (reported separately here) and quotes the
    /// offending text, sometimes the whole rest of the buffer: keep the reason short and on one line.
    /// </summary>
    private static string ShortMessage(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        message = (cut >= 0 ? message[..cut] : message).TrimEnd();
        var quoteEnd = message.StartsWith('\'') ? message.IndexOf("' is ", 1, StringComparison.Ordinal) : -1;
        if (quoteEnd > QuotedTextLimit)
        {
            message = string.Concat(message.AsSpan(0, QuotedTextLimit), "...", message.AsSpan(quoteEnd));
        }

        return "invalid JSON: " + message.ReplaceLineEndings(" ");
    }
}
