using System.Runtime.CompilerServices;
using Remediator.Core.Ports;
using Remediator.Core.Sweep;
using Remediator.Core.Tests.Execution;
using static Remediator.Core.Tests.Audit.AuditSamples;

namespace Remediator.Core.Tests.Sweep;

/// <summary>
/// The sweep's records are leased by the guard's rule (<see cref="RecordLease"/>): to the sweep invocation's deadline
/// plus the margin, or, without a deadline (the CLI), as <c>apply</c> leases; a sweep killed mid-fix is taken over by
/// the next sweep after the lease, and the fix is made once.
/// </summary>
public sealed class SweepRunnerLeaseTests() : TempStoreTests(T("2026-11-01T10:00:05Z"))
{
    private const string RoleArn = "arn:aws:iam::111122223333:role/app";

    [Fact]
    public async Task A_sweep_invocation_leases_its_records_to_its_deadline_plus_the_margin()
    {
        var deadline = Clock.GetUtcNow().AddMinutes(14);
        var recording = new RecordingStore(Temp.Store);

        await Runner(recording, new FakeExecutor(), deadline).RunAsync(_ => ValueTask.CompletedTask, default);

        Assert.Equal([deadline + RecordLease.DeadlineMargin], recording.Leases);
        Assert.Equal(TimeSpan.FromSeconds(5), RecordLease.DeadlineMargin);
    }

    [Fact]
    public async Task A_sweep_without_a_deadline_leases_as_apply_does_not_sixteen_minutes()
    {
        var recording = new RecordingStore(Temp.Store);

        await Runner(recording, new FakeExecutor(), deadline: null).RunAsync(_ => ValueTask.CompletedTask, default);

        Assert.Equal([Clock.GetUtcNow() + TimeSpan.FromMinutes(5)], recording.Leases);
        Assert.Equal(TimeSpan.FromMinutes(5), new AuditStoreOptions().InProgressLease);
    }

    [Fact]
    public async Task A_sweep_killed_mid_fix_is_taken_over_by_the_next_sweep_after_its_lease_and_the_fix_is_made_once()
    {
        var deadline = Clock.GetUtcNow().AddSeconds(30);
        var crashed = new FakeExecutor(answer: (_, _) => throw new ProcessKilledException());
        var killed = await Runner(new CrashingStore(Temp.Store), crashed, deadline).RunAsync(_ => ValueTask.CompletedTask, default);
        Assert.Equal(1, killed.FailedResources);
        var abandoned = Assert.Single(await Temp.Store.QueryAsync(new AuditQuery()));
        Assert.Equal(AuditOutcome.InProgress, abandoned.Outcome);

        // A retry within the lease does nothing; the next one after it takes the record over.
        var executor = new FakeExecutor();
        Clock.SetUtcNow(deadline);
        var within = await Runner(Temp.Store, executor, Clock.GetUtcNow().AddSeconds(30)).RunAsync(_ => ValueTask.CompletedTask, default);
        Clock.SetUtcNow(deadline + RecordLease.DeadlineMargin);
        var after = await Runner(Temp.Store, executor, Clock.GetUtcNow().AddSeconds(30)).RunAsync(_ => ValueTask.CompletedTask, default);
        var again = await Runner(Temp.Store, executor, Clock.GetUtcNow().AddSeconds(30)).RunAsync(_ => ValueTask.CompletedTask, default);

        Assert.Equal((0, 0, 1), (within.Applied, within.NewFindings, within.StillOpen));
        Assert.Equal((1, 1), (after.Applied, after.NewFindings));
        Assert.Equal((0, 1), (again.Applied, again.StillOpen));
        Assert.Single(executor.Executed);
        var stored = Assert.Single(await Temp.Store.QueryAsync(new AuditQuery()));
        Assert.Equal((abandoned.Id, AuditOutcome.Applied), (stored.Id, stored.Outcome));
    }

    private SweepRunner Runner(IAuditStore store, FakeExecutor executor, DateTimeOffset? deadline)
    {
        var sweepStore = new SweepAuditStore(store);
        var coordinator = new RemediationCoordinator(sweepStore, executor, Clock);
        return new SweepRunner(
            new OneRoleInventory(),
            () => EngineFakes.NewEngine(Rule(), now: Clock.GetUtcNow()),
            coordinator,
            sweepStore,
            new SweepOptions { Concerns = [Concerns.IamBroadPermissions], Concurrency = 1, ModeOverride = RuleMode.Enforce, Deadline = deadline },
            Clock);
    }

    /// <summary>Stands for SIGKILL: nothing after it runs (the kill test in GuardHost does it to a real process).</summary>
    private sealed class ProcessKilledException : Exception;

    /// <summary>Lets the begin through, then the "process" dies before any completion can be written.</summary>
    private sealed class CrashingStore(IAuditStore inner) : RecordingStore(inner)
    {
        public override Task<bool> CompleteAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("a killed process completes nothing");
    }

    private class RecordingStore(IAuditStore inner) : IAuditStore
    {
        public List<DateTimeOffset?> Leases { get; } = [];

        public Task<bool> TryBeginAsync(AuditRecord record, CancellationToken cancellationToken = default)
        {
            if (record.IsInProgress)
            {
                Leases.Add(record.InProgressUntil);
            }

            return inner.TryBeginAsync(record, cancellationToken);
        }

        public virtual Task<bool> CompleteAsync(AuditRecord record, CancellationToken cancellationToken = default) => inner.CompleteAsync(record, cancellationToken);

        public Task<bool> MarkUndoneAsync(string originalId, string undoId, CancellationToken cancellationToken = default) => inner.MarkUndoneAsync(originalId, undoId, cancellationToken);

        public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
    }

    private sealed class OneRoleInventory : IResourceInventory
    {
        public string Region => "us-east-1";

        public ValueTask<string> AccountAsync(CancellationToken cancellationToken) => ValueTask.FromResult("111122223333");

        public async IAsyncEnumerable<DescribedResource> ListAsync(string concern, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return new DescribedInlinePolicy(IamPrincipalKind.Role, "app", RoleArn, "admin", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        }
    }
}
