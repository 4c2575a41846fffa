using System.Buffers;

namespace Remediator.Core.Events.Reading;

/// <summary>
/// A refillable window over a stream, addressed by absolute byte offsets. Callers say which bytes they still need
/// (<c>keepFrom</c>); everything before is dropped on the next refill, so memory is bounded by the largest span a
/// caller holds on to, never by the input size. It also counts lines, so positions can be reported as line/column
/// without a second pass.
/// </summary>
internal sealed class ByteWindow : IDisposable
{
    private readonly Stream _stream;
    private readonly int _readSize;
    private readonly int _maxCapacity;
    private byte[] _buffer;
    private long _bufferOffset;
    private int _length;

    // Line bookkeeping: newlines are counted up to _countedTo; _line is the 1-based line there, _lineStart its start.
    private long _countedTo;
    private long _line = 1;
    private long _lineStart;

    public ByteWindow(Stream stream, int readSize, int maxCapacity)
    {
        _stream = stream;
        _readSize = readSize;
        _maxCapacity = Math.Max(maxCapacity, readSize * 2);
        _buffer = ArrayPool<byte>.Shared.Rent(readSize * 2);
    }

    /// <summary>The first byte still held (absolute); earlier ones were dropped by a refill.</summary>
    public long Start => _bufferOffset;

    /// <summary>One past the last byte read so far (absolute).</summary>
    public long End => _bufferOffset + _length;

    public bool AtEndOfStream { get; private set; }

    public byte this[long offset] => _buffer[Index(offset)];

    /// <summary>The buffered bytes from <paramref name="offset"/> to <see cref="End"/>.</summary>
    public ReadOnlySpan<byte> From(long offset) => _buffer.AsSpan(Index(offset), (int)(End - offset));

    public ReadOnlySpan<byte> Slice(long from, long to) => _buffer.AsSpan(Index(from), (int)(to - from));

    /// <summary>
    /// Reads more input, keeping every byte from <paramref name="keepFrom"/> on. Returns false at the end of the stream.
    /// Throws <see cref="WindowFullException"/> when the kept bytes alone would exceed the window's capacity.
    /// </summary>
    public bool Fill(long keepFrom)
    {
        if (AtEndOfStream)
        {
            return false;
        }

        CountLinesTo(Math.Min(keepFrom, End));
        var keepIndex = Index(keepFrom);
        if (keepIndex > 0)
        {
            var kept = _length - keepIndex;
            Buffer.BlockCopy(_buffer, keepIndex, _buffer, 0, kept);
            _bufferOffset = keepFrom;
            _length = kept;
        }

        if (_buffer.Length - _length < _readSize && _buffer.Length < _maxCapacity)
        {
            Grow();
        }

        if (_length == _buffer.Length)
        {
            throw new WindowFullException(_maxCapacity);
        }

        var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
        if (read == 0)
        {
            AtEndOfStream = true;
            return false;
        }

        _length += read;
        return true;
    }

    /// <summary>1-based line and byte column of <paramref name="offset"/>, which must still be in the window.</summary>
    public (long Line, long Column) PositionOf(long offset)
    {
        offset = Math.Clamp(offset, _bufferOffset, End);
        if (offset >= _countedTo)
        {
            CountLinesTo(offset);
            return (_line, offset - _lineStart + 1);
        }

        // Asked about an earlier offset (rare): step back over the newlines between it and the counted point.
        var between = Slice(offset, _countedTo);
        var line = _line - between.Count((byte)'\n');
        var before = _buffer.AsSpan(0, Index(offset));
        var newline = before.LastIndexOf((byte)'\n');
        var lineStart = newline >= 0 ? _bufferOffset + newline + 1 : Math.Min(_lineStart, _bufferOffset);
        return (line, offset - lineStart + 1);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void CountLinesTo(long offset)
    {
        if (offset <= _countedTo)
        {
            return;
        }

        var span = Slice(_countedTo, offset);
        var newlines = span.Count((byte)'\n');
        if (newlines > 0)
        {
            _line += newlines;
            _lineStart = _countedTo + span.LastIndexOf((byte)'\n') + 1;
        }

        _countedTo = offset;
    }

    private void Grow()
    {
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _maxCapacity));
        Buffer.BlockCopy(_buffer, 0, bigger, 0, _length);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private int Index(long offset) => checked((int)(offset - _bufferOffset));
}

/// <summary>A single JSON token (typically one huge string) does not fit in the window's maximum capacity.</summary>
internal sealed class WindowFullException(int capacity)
    : Exception($"a single JSON token is larger than the reader's window ({capacity} bytes)");
