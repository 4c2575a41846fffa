using Microsoft.Extensions.Time.Testing;
using static Remediator.Core.Tests.Audit.AuditSamples;

namespace Remediator.Core.Tests.Audit;

public sealed class JsonLinesAuditStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "remediator-audit-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(T("2026-11-01T10:00:01Z"));
    private readonly List<string> _notes = [];

    private string FilePath => Path.Combine(_folder, "trail", "audit.jsonl");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private JsonLinesAuditStore NewStore(AuditStoreOptions? options = null) => new(FilePath, options, _clock, _notes.Add);

    private static AuditRecord InProgress(string eventId = "e-1", string recordedAt = "2026-11-01T10:00:01Z") =>
        Full(eventId: eventId, recordedAt: recordedAt) with { Outcome = AuditOutcome.InProgress, ExpiresAt = null, UpdatedAt = T(recordedAt) };

    [Fact]
    public async Task The_first_begin_creates_the_folder_and_a_second_begin_writes_nothing()
    {
        var store = NewStore();

        Assert.True(await store.TryBeginAsync(InProgress()));
        var before = await File.ReadAllBytesAsync(FilePath);
        Assert.False(await store.TryBeginAsync(InProgress() with { Summary = "another delivery" }));

        Assert.Equal(before, await File.ReadAllBytesAsync(FilePath));
        Assert.Single(await File.ReadAllLinesAsync(FilePath));
    }

    [Fact]
    public async Task A_begun_record_gets_a_lease_and_the_retention_of_the_store()
    {
        var store = NewStore(new AuditStoreOptions { RetentionDays = 30, InProgressLease = TimeSpan.FromMinutes(10) });

        await store.TryBeginAsync(InProgress());
        var stored = await store.GetAsync("e-1/iam-no-admin");

        Assert.NotNull(stored);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(10), stored.InProgressUntil);
        Assert.Equal(T("2026-12-01T10:00:01Z"), stored.ExpiresAt);
    }

    [Fact]
    public async Task Completion_replaces_the_in_progress_record_once()
    {
        var store = NewStore();
        var begun = InProgress();
        await store.TryBeginAsync(begun);
        var final = begun.Completed([.. begun.Actions.Select(a => a with { Outcome = ActionOutcome.Done })], T("2026-11-01T10:00:03Z"));

        Assert.True(await store.CompleteAsync(final));
        Assert.False(await store.CompleteAsync(final));

        var stored = await store.GetAsync(begun.Id);
        Assert.Equal(AuditOutcome.Applied, stored?.Outcome);
        Assert.Null(stored?.InProgressUntil);
        Assert.NotNull(stored?.ExpiresAt);
        Assert.Single(await store.QueryAsync(new AuditQuery()));
    }

    [Fact]
    public async Task Only_the_owner_of_the_in_progress_record_may_complete_it()
    {
        var store = NewStore();
        await store.TryBeginAsync(InProgress());
        var stranger = InProgress(recordedAt: "2026-11-01T10:00:02Z").Completed([], _clock.GetUtcNow());

        Assert.False(await store.CompleteAsync(stranger));
        Assert.Equal(AuditOutcome.InProgress, (await store.GetAsync(stranger.Id))?.Outcome);
        await Assert.ThrowsAsync<ArgumentException>(() => store.CompleteAsync(InProgress()));
    }

    [Fact]
    public async Task An_abandoned_in_progress_record_is_taken_over_after_its_lease()
    {
        var store = NewStore(new AuditStoreOptions { InProgressLease = TimeSpan.FromMinutes(5) });
        var crashed = InProgress();
        await store.TryBeginAsync(crashed);

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(await store.TryBeginAsync(InProgress(recordedAt: "2026-11-01T10:04:01Z")));

        _clock.Advance(TimeSpan.FromMinutes(2));
        var retry = InProgress(recordedAt: "2026-11-01T10:06:01Z");
        Assert.True(await store.TryBeginAsync(retry));
        Assert.False(await store.CompleteAsync(crashed.Completed([], _clock.GetUtcNow())));
        Assert.True(await store.CompleteAsync(retry.Completed([], _clock.GetUtcNow())));
    }

    [Fact]
    public async Task A_final_record_is_never_taken_over()
    {
        var store = NewStore();
        await store.TryBeginAsync(Full());

        _clock.Advance(TimeSpan.FromDays(30));

        Assert.False(await store.TryBeginAsync(InProgress(recordedAt: "2026-12-01T10:00:00Z")));
    }

    [Fact]
    public async Task Queries_filter_by_resource_rule_and_time_newest_first()
    {
        var store = NewStore();
        await store.TryBeginAsync(Full("e-1", "rule-a", "arn:r1", "2026-11-01T10:00:00Z"));
        await store.TryBeginAsync(Full("e-2", "rule-b", "arn:r1", "2026-11-01T11:00:00Z"));
        await store.TryBeginAsync(Full("e-3", "rule-a", "arn:r2", "2026-11-01T12:00:00Z"));
        await store.TryBeginAsync(Full("e-4", "rule-a", "arn:r1", "2026-11-01T13:00:00Z"));

        Assert.Equal(["e-4", "e-3", "e-2", "e-1"], (await store.QueryAsync(new AuditQuery())).Select(r => r.EventId));
        Assert.Equal(["e-4", "e-2", "e-1"], (await store.QueryAsync(new AuditQuery(Resource: "arn:r1"))).Select(r => r.EventId));
        Assert.Equal(["e-4", "e-3", "e-1"], (await store.QueryAsync(new AuditQuery(Rule: "rule-a"))).Select(r => r.EventId));
        Assert.Equal(["e-4", "e-3"], (await store.QueryAsync(new AuditQuery(Since: T("2026-11-01T12:00:00Z")))).Select(r => r.EventId));
        Assert.Equal(["e-4"], (await store.QueryAsync(new AuditQuery(Resource: "arn:r1", Rule: "rule-a", Limit: 1))).Select(r => r.EventId));
        await Assert.ThrowsAsync<ArgumentException>(() => store.QueryAsync(new AuditQuery(Limit: 0)));
    }

    [Fact]
    public async Task A_missing_file_is_an_empty_trail()
    {
        var store = NewStore();

        Assert.Empty(await store.QueryAsync(new AuditQuery()));
        Assert.Null(await store.GetAsync("e-1/iam-no-admin"));
        Assert.False(File.Exists(FilePath));
    }

    [Fact]
    public async Task A_truncated_last_line_is_skipped_with_a_note_and_the_next_append_is_readable()
    {
        var store = NewStore();
        await store.TryBeginAsync(Full("e-1"));
        var line = AuditJson.ToJson(Full("e-2"));
        await File.AppendAllTextAsync(FilePath, line[..(line.Length / 2)]);

        var afterCrash = await store.QueryAsync(new AuditQuery());
        Assert.Equal(["e-1"], afterCrash.Select(r => r.EventId));
        Assert.Contains(_notes, n => n.Contains(":2: skipped", StringComparison.Ordinal));

        Assert.True(await store.TryBeginAsync(Full("e-2")));
        var records = await store.QueryAsync(new AuditQuery());
        Assert.Equal(["e-1", "e-2"], records.Select(r => r.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_writers_of_the_same_record_let_exactly_one_through()
    {
        // Several rounds, each a fresh event raced by writers released together: a missing lock shows up as a round
        // with two winners (or two lines for one id) long before all rounds pass by luck.
        const int Writers = 6;
        const int Rounds = 15;
        for (var round = 0; round < Rounds; round++)
        {
            using var start = new Barrier(Writers);
            var eventId = $"e-{round}";
            var attempts = Enumerable.Range(0, Writers).Select(i => Task.Factory.StartNew(
                () =>
                {
                    // A store per writer: as two processes would, each opens the file on its own.
                    var store = new JsonLinesAuditStore(FilePath, clock: _clock);
                    start.SignalAndWait();
                    return store.TryBeginAsync(InProgress(eventId) with { Summary = $"writer {i}" }).GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToList();

            var results = await Task.WhenAll(attempts);

            Assert.True(results.Count(won => won) == 1, $"round {round}: {results.Count(won => won)} writers won");
        }

        Assert.Equal(Rounds, (await File.ReadAllLinesAsync(FilePath)).Length);
    }

    [Fact]
    public async Task Concurrent_writers_of_different_records_lose_none()
    {
        const int Writers = 8;
        var attempts = Enumerable.Range(0, Writers)
            .Select(i => Task.Run(() => new JsonLinesAuditStore(FilePath, clock: _clock).TryBeginAsync(Full($"e-{i}"))))
            .ToList();

        Assert.All(await Task.WhenAll(attempts), Assert.True);
        Assert.Equal(Writers, (await NewStore().QueryAsync(new AuditQuery())).Count);
    }

    [Fact]
    public async Task An_undo_marks_the_original_once()
    {
        var store = NewStore();
        var original = Full();
        await store.TryBeginAsync(original);
        var undo = AuditRecord.ForUndo(original, [], Remediator.Core.Rules.RuleMode.Enforce, _clock.GetUtcNow());
        Assert.True(await store.TryBeginAsync(undo));
        Assert.True(await store.CompleteAsync(undo.Completed([], _clock.GetUtcNow())));

        Assert.True(await store.MarkUndoneAsync(original.Id, undo.Id));
        Assert.False(await store.MarkUndoneAsync(original.Id, "another"));
        Assert.False(await store.MarkUndoneAsync("e-404/x", undo.Id));

        var marked = await store.GetAsync(original.Id);
        Assert.Equal((AuditOutcome.Undone, undo.Id), (marked?.Outcome, marked?.UndoneBy));
        Assert.Equal(original.Id, (await store.GetAsync(undo.Id))?.UndoOf);
    }

    [Fact]
    public async Task A_second_store_sees_what_the_first_appended_after_it_had_read()
    {
        var first = NewStore();
        var second = NewStore();
        await first.TryBeginAsync(Full("e-1"));
        Assert.Equal(["e-1"], (await second.QueryAsync(new AuditQuery())).Select(r => r.EventId));

        var begun = InProgress("e-2");
        await first.TryBeginAsync(begun);
        await first.CompleteAsync(begun.Completed([], _clock.GetUtcNow()));

        Assert.Equal(AuditOutcome.Applied, (await second.GetAsync(begun.Id))?.Outcome);
        Assert.False(await second.TryBeginAsync(InProgress("e-2") with { Summary = "a second delivery in another process" }));
        Assert.Equal(["e-1", "e-2"], (await second.QueryAsync(new AuditQuery(Resource: RoleArn))).Select(r => r.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Thousands_of_records_are_read_once_not_once_per_operation()
    {
        const int Records = 2_000;
        var writer = NewStore();
        for (var i = 0; i < Records; i++)
        {
            var resource = $"arn:aws:iam::111122223333:role/r-{i % 500}";
            Assert.Empty(await writer.QueryAsync(new AuditQuery(Resource: resource, Rule: "never-written")));
            Assert.True(await writer.TryBeginAsync(Full($"e-{i}", resource: resource)));
        }

        var length = new FileInfo(FilePath).Length;
        // Each operation read only what was appended since the last: the writer read its own lines back once each.
        Assert.Equal(length, writer.BytesRead);

        // A fresh store reads the whole file once (lines span its read chunks), then nothing more while nothing is appended.
        var reader = NewStore();
        Assert.Equal(Records, (await reader.QueryAsync(new AuditQuery(Limit: Records + 1))).Count);
        Assert.Equal(4, (await reader.QueryAsync(new AuditQuery(Resource: "arn:aws:iam::111122223333:role/r-7"))).Count);
        Assert.NotNull(await reader.GetAsync(AuditRecord.IdFor("e-1999", "iam-no-admin")));
        Assert.Equal(length, reader.BytesRead);
        Assert.Empty(_notes);
    }

    [Fact]
    public async Task A_torn_last_line_is_noted_once_and_read_again_until_a_newline_closes_it()
    {
        var store = NewStore();
        await store.TryBeginAsync(Full("e-1"));
        var line = AuditJson.ToJson(Full("e-2"));
        await File.AppendAllTextAsync(FilePath, line[..(line.Length / 2)]);

        await store.QueryAsync(new AuditQuery());
        await store.GetAsync(Full("e-1").Id);
        Assert.Single(_notes);

        // Another process appends (closing the torn line first): this store reads the closed line and the new record.
        Assert.True(await NewStore().TryBeginAsync(Full("e-3")));
        Assert.Equal(["e-1", "e-3"], (await store.QueryAsync(new AuditQuery())).Select(r => r.EventId).Order(StringComparer.Ordinal));
        Assert.All(_notes, n => Assert.Contains(":2: skipped", n, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_replaced_by_a_shorter_one_is_read_again_from_the_start()
    {
        var store = NewStore();
        await store.TryBeginAsync(Full("e-1"));
        await store.TryBeginAsync(Full("e-2"));
        Assert.Equal(2, (await store.QueryAsync(new AuditQuery())).Count);

        await File.WriteAllTextAsync(FilePath, AuditJson.ToJson(Full("e-9")) + "\n");

        Assert.Equal(["e-9"], (await store.QueryAsync(new AuditQuery())).Select(r => r.EventId));
        File.Delete(FilePath);
        Assert.Empty(await store.QueryAsync(new AuditQuery()));
    }
}
