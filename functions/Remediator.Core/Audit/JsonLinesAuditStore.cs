using System.Text;

namespace Remediator.Core.Audit;

/// <summary>
/// The CLI's embedded audit store: one JSON Lines file, append-only. A completion or an undo appends the record's
/// new form; on read the last line of each id wins, so history is never rewritten in place and a crash can at worst
/// leave one truncated last line, which is skipped with a note (and closed by a newline before the next append).
/// Every operation holds a lock on the file (exclusive to write, shared to read), and a begin checks and appends
/// under one exclusive lock: two processes delivering the same event cannot both win.
/// <para>
/// The records read are kept in memory (<see cref="JsonLinesIndex"/>): each operation, under the file's lock, reads
/// only the bytes appended since the last one (by this process or another), so a sweep that begins and queries
/// thousands of records reads the file about once instead of once per call. Memory holds the trail's latest records:
/// meant for a workstation's trail, not for a year of an organisation's (that is the DynamoDB store).
/// </para>
/// </summary>
public sealed class JsonLinesAuditStore : IAuditStore
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private readonly AuditStoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly JsonLinesIndex _index;

    // The index is not thread-safe: taken once the file's lock is held (the file lock orders processes, and two
    // readers of this process may hold the shared one at once); held only for synchronous work, so it cannot deadlock.
    private readonly Lock _indexLock = new();

    /// <param name="path">The file; it and its folder are created on the first write.</param>
    /// <param name="note">Receives notes about lines that were skipped (truncated or unreadable).</param>
    public JsonLinesAuditStore(string path, AuditStoreOptions? options = null, TimeProvider? clock = null, Action<string>? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _options = (options ?? new AuditStoreOptions()).Validated();
        _clock = clock ?? TimeProvider.System;
        _index = new JsonLinesIndex(Path, note ?? (_ => { }));
    }

    public string Path { get; }

    /// <summary>Bytes read from the file by this instance so far (for tests: each appended byte is read about once).</summary>
    internal long BytesRead => _index.BytesRead;

    public Task<bool> TryBeginAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        record.Validated();
        return WriteLockedAsync(
            latest =>
            {
                var now = _clock.GetUtcNow();
                if (latest.TryGet(record.Id, out var existing) && !existing.IsAbandonedAt(now))
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
                if (!latest.TryGet(record.Id, out var current) || !current.IsInProgress || current.RecordedAt != record.RecordedAt)
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
                if (!latest.TryGet(originalId, out var original) || original.UndoneBy is not null || original.IsInProgress)
                {
                    return null;
                }

                return original with { UndoneBy = undoId, Outcome = AuditOutcome.Undone, UpdatedAt = _clock.GetUtcNow() };
            },
            cancellationToken);

    public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ReadLockedAsync(index => index.TryGet(id, out var record) ? record : null, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        query.Validated();
        return ReadLockedAsync<IReadOnlyList<AuditRecord>>(
            index => index.Candidates(query)
                .Where(query.Matches)
                .OrderByDescending(r => r.RecordedAt)
                .ThenBy(r => r.Id, StringComparer.Ordinal)
                .Take(query.Limit)
                .ToList(),
            cancellationToken);
    }

    /// <summary>
    /// Under an exclusive lock: catches up with the trail, lets <paramref name="decide"/> choose the line to append
    /// (null: append nothing), appends it. True when something was appended.
    /// </summary>
    private async Task<bool> WriteLockedAsync(Func<JsonLinesIndex, AuditRecord?> decide, CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = await OpenLockedAsync(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, cancellationToken).ConfigureAwait(false);
        lock (_indexLock)
        {
            var unterminated = _index.CatchUp(stream);
            var record = decide(_index);
            if (record is null)
            {
                return false;
            }

            var line = new StringBuilder(1024);
            if (unterminated)
            {
                // The last append died mid-line: end that line so the new record is not glued to its remains.
                line.Append('\n');
            }

            line.Append(AuditJson.ToJson(record)).Append('\n');
            stream.Seek(0, SeekOrigin.End);
            stream.Write(Encoding.UTF8.GetBytes(line.ToString()));
            stream.Flush(flushToDisk: true);
            _index.CatchUp(stream); // reads back only the line just written: the index is exactly what the file says
            return true;
        }
    }

    /// <summary>Under a shared lock: catches up with the trail and answers from the index.</summary>
    private async Task<T> ReadLockedAsync<T>(Func<JsonLinesIndex, T> answer, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            lock (_indexLock)
            {
                _index.Reset();
                return answer(_index);
            }
        }

        using var stream = await OpenLockedAsync(FileMode.Open, FileAccess.Read, FileShare.Read, cancellationToken).ConfigureAwait(false);
        lock (_indexLock)
        {
            _index.CatchUp(stream);
            return answer(_index);
        }
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
}
