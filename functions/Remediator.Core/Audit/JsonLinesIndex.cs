using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Remediator.Core.Audit;

/// <summary>
/// What a <see cref="JsonLinesAuditStore"/> has read of its file: the latest record of each id, the ids of each
/// resource, and how far the file has been read. The file only ever grows, so catching up reads only the bytes appended
/// since (by this process or another); a file shorter than what was read was replaced, and is read again from the start.
/// Not thread-safe: the store calls it under its own lock and the file's.
/// </summary>
internal sealed class JsonLinesIndex
{
    private const int ChunkSize = 64 * 1024;

    private readonly Dictionary<string, AuditRecord> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _idsByResource = new(StringComparer.Ordinal);
    private readonly string _path;
    private readonly Action<string> _note;
    private long _noteTailAt = -1;

    public JsonLinesIndex(string path, Action<string> note)
    {
        _path = path;
        _note = note;
    }

    /// <summary>Bytes of complete lines read and applied: where the next catch-up starts.</summary>
    public long Consumed { get; private set; }

    /// <summary>Every byte read from the file since this index was created (for tests: each byte is read about once).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Complete lines read, for the line numbers of notes.</summary>
    private int Lines { get; set; }

    public int Count => _latest.Count;

    public bool TryGet(string id, [MaybeNullWhen(false)] out AuditRecord record) => _latest.TryGetValue(id, out record);

    /// <summary>The records a query can match: those of its resource when it names one, otherwise all.</summary>
    public IEnumerable<AuditRecord> Candidates(AuditQuery query) =>
        query.Resource is null ? _latest.Values
        : _idsByResource.TryGetValue(query.Resource, out var ids) ? ids.Select(id => _latest[id])
        : [];

    /// <summary>Forgets everything: the file is gone (or was replaced).</summary>
    public void Reset()
    {
        _latest.Clear();
        _idsByResource.Clear();
        Consumed = 0;
        Lines = 0;
        _noteTailAt = -1;
    }

    /// <summary>
    /// Reads what <paramref name="stream"/> holds beyond <see cref="Consumed"/>. Complete lines are applied and consumed;
    /// a last line without its newline (an append cut off by a crash) is applied if it parses and is read again next
    /// time, so that the line closing it is seen. True when such an unterminated line remains.
    /// </summary>
    public bool CatchUp(FileStream stream)
    {
        if (stream.Length < Consumed)
        {
            Reset();
        }

        if (stream.Length == Consumed)
        {
            return false;
        }

        stream.Seek(Consumed, SeekOrigin.Begin);
        var chunk = new byte[(int)Math.Min(ChunkSize, stream.Length - Consumed)];
        using var partial = new MemoryStream();
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            BytesRead += read;
            var rest = chunk.AsSpan(0, read);
            int newline;
            while ((newline = rest.IndexOf((byte)'\n')) >= 0)
            {
                if (partial.Length == 0)
                {
                    ApplyLine(rest[..newline], Lines + 1);
                }
                else
                {
                    partial.Write(rest[..newline]);
                    ApplyLine(partial.GetBuffer().AsSpan(0, (int)partial.Length), Lines + 1);
                    partial.SetLength(0);
                }

                Lines++;
                rest = rest[(newline + 1)..];
            }

            partial.Write(rest);
        }

        Consumed = stream.Position - partial.Length;
        if (partial.Length == 0)
        {
            return false;
        }

        if (_noteTailAt != Consumed)
        {
            _noteTailAt = Consumed;
            ApplyLine(partial.GetBuffer().AsSpan(0, (int)partial.Length), Lines + 1);
        }

        return true;
    }

    private void ApplyLine(ReadOnlySpan<byte> bytes, int lineNumber)
    {
        var line = Encoding.UTF8.GetString(bytes);
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        if (AuditJson.TryParse(line, out var record, out var problem))
        {
            Apply(record!);
        }
        else
        {
            _note($"{_path}:{lineNumber}: skipped an unreadable audit line (truncated by a crash?): {problem}");
        }
    }

    private void Apply(AuditRecord record)
    {
        if (_latest.TryGetValue(record.Id, out var previous) && previous.Resource is { } before
            && !string.Equals(before, record.Resource, StringComparison.Ordinal) && _idsByResource.TryGetValue(before, out var stale))
        {
            stale.Remove(record.Id);
            if (stale.Count == 0)
            {
                _idsByResource.Remove(before);
            }
        }

        _latest[record.Id] = record;
        if (record.Resource is { } resource)
        {
            if (!_idsByResource.TryGetValue(resource, out var ids))
            {
                _idsByResource[resource] = ids = new HashSet<string>(StringComparer.Ordinal);
            }

            ids.Add(record.Id);
        }
    }
}
