using System.Text;

namespace Remediator.Core.Audit;

/// <summary>
/// The CLI's embedded audit store: one JSON Lines file, append-only. A completion or an undo appends the record's
/// new form; on read the last line of each id wins, so history is never rewritten in place and a crash can at worst
/// leave one truncated last line, which is skipped with a note (and closed by a newline before the next append).
/// Every operation holds a lock on the file (exclusive to write, shared to read), and a begin checks and appends
/// under one exclusive lock: two processes delivering the same event cannot both win. Reads the whole file per
/// operation: meant for a workstation's trail, not for a year of an organisation's (that is the DynamoDB store).
/// </summary>
public sealed class JsonLinesAuditStore : IAuditStore
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private readonly AuditStoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly Action<string> _note;

    /// <param name="path">The file; it and its folder are created on the first write.</param>
    /// <param name="note">Receives notes about lines that were skipped (truncated or unreadable).</param>
    public JsonLinesAuditStore(string path, AuditStoreOptions? options = null, TimeProvider? clock = null, Action<string>? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _options = (options ?? new AuditStoreOptions()).Validated();
        _clock = clock ?? TimeProvider.System;
        _note = note ?? (_ => { });
    }

    public string Path { get; }

    public Task<bool> TryBeginAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        record.Validated();
        return WriteLockedAsync(
            latest =>
            {
                var now = _clock.GetUtcNow();
                if (latest.TryGetValue(record.Id, out var existing) && !existing.IsAbandonedAt(now))
                {
                    return null;
                }

                return _options.Stamp(record, now);
            },
            cancellationToken);
    }

    public Task<bool> CompleteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        record.Validated();
        if (record.IsInProgress)
        {
            throw new ArgumentException($"audit record '{record.Id}' is still in progress: complete it with its final outcome.", nameof(record));
        }

        return WriteLockedAsync(
            latest =>
            {
                if (!latest.TryGetValue(record.Id, out var current) || !current.IsInProgress || current.RecordedAt != record.RecordedAt)
                {
                    return null;
                }

                return _options.Stamp(record with { InProgressUntil = null, ExpiresAt = record.ExpiresAt ?? current.ExpiresAt }, _clock.GetUtcNow());
            },
            cancellationToken);
    }

    public Task<bool> MarkUndoneAsync(string originalId, string undoId, CancellationToken cancellationToken = default) =>
        WriteLockedAsync(
            latest =>
            {
                if (!latest.TryGetValue(originalId, out var original) || original.UndoneBy is not null || original.IsInProgress)
                {
                    return null;
                }

                return original with { UndoneBy = undoId, Outcome = AuditOutcome.Undone, UpdatedAt = _clock.GetUtcNow() };
            },
            cancellationToken);

    public async Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var latest = await ReadLockedAsync(cancellationToken).ConfigureAwait(false);
        return latest.GetValueOrDefault(id);
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        query.Validated();
        var latest = await ReadLockedAsync(cancellationToken).ConfigureAwait(false);
        return latest.Values
            .Where(query.Matches)
            .OrderByDescending(r => r.RecordedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
    }

    /// <summary>
    /// Under an exclusive lock: reads the trail, lets <paramref name="decide"/> choose the line to append (null:
    /// append nothing), appends it. True when something was appended.
    /// </summary>
    private async Task<bool> WriteLockedAsync(Func<Dictionary<string, AuditRecord>, AuditRecord?> decide, CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = await OpenLockedAsync(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, cancellationToken).ConfigureAwait(false);
        var content = ReadAll(stream);
        var record = decide(Parse(content));
        if (record is null)
        {
            return false;
        }

        var line = new StringBuilder(1024);
        if (content.Length > 0 && content[^1] != '\n')
        {
            // The last append died mid-line: end that line so the new record is not glued to its remains.
            line.Append('\n');
        }

        line.Append(AuditJson.ToJson(record)).Append('\n');
        stream.Seek(0, SeekOrigin.End);
        var bytes = Encoding.UTF8.GetBytes(line.ToString());
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
        return true;
    }

    private async Task<Dictionary<string, AuditRecord>> ReadLockedAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return new Dictionary<string, AuditRecord>(StringComparer.Ordinal);
        }

        using var stream = await OpenLockedAsync(FileMode.Open, FileAccess.Read, FileShare.Read, cancellationToken).ConfigureAwait(false);
        return Parse(ReadAll(stream));
    }

    /// <summary>
    /// Opens the file with the lock that <paramref name="share"/> implies (.NET takes an advisory lock on Unix and a
    /// share mode on Windows) and waits while another process or task holds a conflicting one.
    /// </summary>
    private async Task<FileStream> OpenLockedAsync(FileMode mode, FileAccess access, FileShare share, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + LockTimeout;
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(Path, mode, access, share, bufferSize: 1, FileOptions.None);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                if (_clock.GetUtcNow() >= deadline)
                {
                    throw new IOException($"the audit file {Path} stayed locked for {LockTimeout.TotalSeconds:0} s", ex);
                }
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    private static string ReadAll(FileStream stream)
    {
        stream.Seek(0, SeekOrigin.Begin);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private Dictionary<string, AuditRecord> Parse(string content)
    {
        var latest = new Dictionary<string, AuditRecord>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in content.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (AuditJson.TryParse(line, out var record, out var problem))
            {
                latest[record!.Id] = record;
            }
            else
            {
                _note($"{Path}:{lineNumber}: skipped an unreadable audit line (truncated by a crash?): {problem}");
            }
        }

        return latest;
    }
}
