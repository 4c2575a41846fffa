using System.IO.Compression;

namespace Remediator.Core.Events.Reading;

/// <summary>Opens an input for scanning: counts raw bytes for progress and decompresses gzip found by its magic bytes.</summary>
internal static class InputStreams
{
    /// <summary>
    /// Wraps <paramref name="raw"/>: the returned stream yields the JSON text. <paramref name="expectedGzipSize"/> is the
    /// gzip trailer's ISIZE (uncompressed size mod 2^32) when the input is seekable gzip, so a file truncated exactly at
    /// a line boundary (which .NET's GZipStream reads without complaint) can still be told apart.
    /// </summary>
    public static Stream Open(Stream raw, Action<long>? onBytesRead, out bool gzip, out uint? expectedGzipSize)
    {
        var counted = new CountingStream(raw, onBytesRead);
        Span<byte> magic = stackalloc byte[2];
        var peeked = ReadUpTo(counted, magic);
        expectedGzipSize = null;
        gzip = peeked == 2 && magic[0] == 0x1f && magic[1] == 0x8b;

        Stream text;
        if (raw.CanSeek)
        {
            raw.Seek(-peeked, SeekOrigin.Current);
            counted.Uncount(peeked);
            text = counted;
            if (gzip && raw.Length >= 18)
            {
                expectedGzipSize = ReadTrailerSize(raw);
            }
        }
        else
        {
            text = new PrefixedStream(magic[..peeked].ToArray(), counted);
        }

        return gzip ? new GZipStream(text, CompressionMode.Decompress) : text;
    }

    private static uint ReadTrailerSize(Stream raw)
    {
        var here = raw.Position;
        Span<byte> size = stackalloc byte[4];
        raw.Seek(-4, SeekOrigin.End);
        var read = ReadUpTo(raw, size);
        raw.Seek(here, SeekOrigin.Begin);
        return read == 4 ? BitConverter.ToUInt32(size) : 0;
    }

    private static int ReadUpTo(Stream stream, Span<byte> into)
    {
        var total = 0;
        while (total < into.Length)
        {
            var n = stream.Read(into[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>Reports raw bytes read; used for progress only.</summary>
    private sealed class CountingStream(Stream inner, Action<long>? onBytesRead) : ReadOnlyStream
    {
        private long _count;

        public void Uncount(int bytes) => _count -= bytes;

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        private int Counted(int read)
        {
            if (read > 0)
            {
                _count += read;
                onBytesRead?.Invoke(_count);
            }

            return read;
        }
    }

    /// <summary>Gives back the bytes peeked from a stream that cannot seek (stdin), then the rest.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
    {
        private int _served;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_served < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _served);
                prefix.AsSpan(_served, n).CopyTo(buffer);
                _served += n;
                return n;
            }

            return rest.Read(buffer);
        }
    }

    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
