using System.Collections.Concurrent;
using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Execution;
using Remediator.Core.Ports;
using Remediator.Core.Rules;

namespace Remediator.Core.Sweep;

/// <summary>What a sweep covers and how hard it pushes.</summary>
public sealed record SweepOptions
{
    /// <summary>The concerns to list and judge, in order.</summary>
    public IReadOnlyList<string> Concerns { get; init; } = Core.Concerns.All;

    /// <summary>Resources judged at once. Bounded so that a large estate meets throttling with back-off, not a storm.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>As <see cref="GuardOptions.ModeOverride"/>: enforce or dry-run every rule; null keeps each rule's mode.</summary>
    public RuleMode? ModeOverride { get; init; }

    /// <summary>
    /// Resume a cut-off sweep: skip this many resources of the first concern's listing (listings come back in a stable
    /// order; anything re-judged maps onto its existing records and is reported, not recorded, again).
    /// </summary>
    public long StartAt { get; init; }

    /// <summary>
    /// When the process running the sweep must stop (the sweep function's invocation deadline): the records it begins
    /// are leased to it by the guard's rule (<see cref="RecordLease"/>), so that a sweep killed mid-fix is taken over by
    /// the next sweep or delivery soon after. Null (a command line): <see cref="RecordLease.WithoutDeadline"/>, as
    /// <c>apply</c> does.
    /// </summary>
    public DateTimeOffset? Deadline { get; init; }

    public SweepOptions Validated()
    {
        if (StartAt < 0)
        {
            throw new ArgumentException($"{nameof(StartAt)} must not be negative, got {StartAt}.");
        }

        if (Concurrency is < 1 or > 64)
        {
            throw new ArgumentException($"{nameof(Concurrency)} must be 1 to 64, got {Concurrency}.");
        }

        foreach (var concern in Concerns)
        {
            if (!Core.Concerns.IsKnown(concern))
            {
                throw new ArgumentException($"unknown concern '{concern}': one of {string.Join(", ", Core.Concerns.All)}.");
            }
        }

        return this;
    }
}

/// <summary>One finding of a sweep and what it means for the digest.</summary>
/// <param name="Record">The stored record (new), or the unstored report of one that exists (still open).</param>
/// <param name="OpenSince">For a still-open finding: when the sweep first recorded it; null for a new one.</param>
public sealed record SweepFinding(AuditRecord Record, DateTimeOffset? OpenSince)
{
    public bool IsNew => OpenSince is null;
}

/// <summary>What one described resource came to.</summary>
/// <param name="Error">Why the resource could not be judged (describe or evaluation failure); the sweep went on.</param>
public sealed record SweepResourceResult(string Concern, string Resource, IReadOnlyList<SweepFinding> Findings, string? Error);

/// <summary>Counts over a whole sweep.</summary>
public sealed class SweepSummary
{
    private int _resources;
    private int _new;
    private int _stillOpen;
    private int _failedResources;
    private int _failedChanges;
    private int _applied;
    private int _missed;

    public int Resources => _resources;

    public int NewFindings => _new;

    public int StillOpen => _stillOpen;

    /// <summary>Resources that could not be described or judged.</summary>
    public int FailedResources => _failedResources;

    /// <summary>Records whose changes failed or were only partly made.</summary>
    public int FailedChanges => _failedChanges;

    public int Applied => _applied;

    /// <summary>New findings for changes the event path never recorded.</summary>
    public int MissedEvents => _missed;

    /// <summary>
    /// Where a sweep cut off by its deadline continues: the concern, and the index in its listing below which every
    /// resource was judged. Null when the sweep finished.
    /// </summary>
    public (string Concern, long StartAt)? ResumeAt { get; internal set; }

    internal void Add(SweepResourceResult result)
    {
        Interlocked.Increment(ref _resources);
        if (result.Error is not null)
        {
            Interlocked.Increment(ref _failedResources);
        }

        foreach (var finding in result.Findings)
        {
            var record = finding.Record;
            if (!finding.IsNew)
            {
                Interlocked.Increment(ref _stillOpen);
                continue;
            }

            if (record.Check is not null)
            {
                Interlocked.Increment(ref _new);
            }

            if (record.MissedEvent == true)
            {
                Interlocked.Increment(ref _missed);
            }

            switch (record.Outcome)
            {
                case AuditOutcome.Applied:
                    Interlocked.Increment(ref _applied);
                    break;
                case AuditOutcome.Failed or AuditOutcome.PartiallyApplied:
                    Interlocked.Increment(ref _failedChanges);
                    break;
            }
        }
    }
}

/// <summary>
/// The sweep: for each concern, every resource the inventory describes becomes its CloudTrail-shaped event
/// (<see cref="SweepEvents"/>) and goes through the same engine and coordinator as a delivered event — detectors,
/// exemptions, modes, cool-down, circuit breaker, planner, executor, audit trail. Resources are judged with bounded
/// concurrency, each on an engine of its own (an engine remembers recent deliveries and is not shared across threads);
/// one that fails is reported as failed and the sweep goes on.
/// </summary>
public sealed class SweepRunner
{
    private readonly IResourceInventory _inventory;
    private readonly Func<RuleEngine> _createEngine;
    private readonly RemediationCoordinator _coordinator;
    private readonly SweepAuditStore _store;
    private readonly SweepOptions _options;
    private readonly TimeProvider _clock;

    /// <param name="createEngine">Builds one engine over the same rules, ports and history (one per concurrent worker).</param>
    /// <param name="coordinator">Must write through <paramref name="store"/>, so that missed events are marked.</param>
    public SweepRunner(
        IResourceInventory inventory, Func<RuleEngine> createEngine, RemediationCoordinator coordinator, SweepAuditStore store,
        SweepOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(createEngine);
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _inventory = inventory;
        _createEngine = createEngine;
        _coordinator = coordinator;
        _store = store;
        _options = options.Validated();
        _clock = clock ?? TimeProvider.System;
    }

    /// <param name="report">Called once per resource as it is done (from several threads: the caller serialises output).</param>
    /// <param name="stopAt">Fires when the sweep must stop (the invocation's deadline): the summary then says where to resume.</param>
    public async Task<SweepSummary> RunAsync(Func<SweepResourceResult, ValueTask> report, CancellationToken cancellationToken, CancellationToken stopAt = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var summary = new SweepSummary();
        var account = await _inventory.AccountAsync(cancellationToken).ConfigureAwait(false);
        var engines = new ConcurrentBag<RuleEngine>();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopAt);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = linked.Token };
        var startAt = _options.StartAt;
        foreach (var concern in _options.Concerns)
        {
            var progress = new Watermark(startAt);
            try
            {
                await Parallel.ForEachAsync(Indexed(_inventory.ListAsync(concern, linked.Token), startAt, linked.Token), parallel, async (item, token) =>
                {
                    var engine = engines.TryTake(out var idle) ? idle : _createEngine();
                    try
                    {
                        var result = await JudgeAsync(engine, item.Resource, account, token).ConfigureAwait(false);
                        summary.Add(result);
                        await report(result).ConfigureAwait(false);
                        progress.Done(item.Index);
                    }
                    finally
                    {
                        engines.Add(engine);
                    }
                }).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopAt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                summary.ResumeAt = (concern, progress.Low);
                return summary;
            }

            startAt = 0;
        }

        return summary;
    }

    private static async IAsyncEnumerable<(long Index, DescribedResource Resource)> Indexed(
        IAsyncEnumerable<DescribedResource> listing, long skip, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long index = 0;
        await foreach (var resource in listing.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (index >= skip)
            {
                yield return (index, resource);
            }

            index++;
        }
    }

    /// <summary>The lowest listing index not yet judged: every index below it is done, whatever order workers finished in.</summary>
    private sealed class Watermark(long start)
    {
        private readonly SortedSet<long> _aheadOfLow = [];

        public long Low { get; private set; } = start;

        public void Done(long index)
        {
            lock (_aheadOfLow)
            {
                _aheadOfLow.Add(index);
                while (_aheadOfLow.Remove(Low))
                {
                    Low++;
                }
            }
        }
    }

    private async Task<SweepResourceResult> JudgeAsync(RuleEngine engine, DescribedResource described, string account, CancellationToken cancellationToken)
    {
        if (described is DescribeFailure failure)
        {
            return new SweepResourceResult(failure.Concern, failure.Resource, [], failure.IsAbsent ? null : failure.Error);
        }

        try
        {
            var sweepEvent = SweepEvents.For(described, account, _inventory.Region, _clock.GetUtcNow());
            var evaluation = await engine.EvaluateAsync(sweepEvent.Event, cancellationToken).ConfigureAwait(false);
            var lease = RecordLease.Until(_options.Deadline, _clock.GetUtcNow());
            var records = await _coordinator.ApplyAsync(evaluation, _options.ModeOverride, cancellationToken, lease).ConfigureAwait(false);
            var findings = new List<SweepFinding>(records.Count);
            string? error = null;
            foreach (var record in records)
            {
                if (record.IsDuplicateDelivery)
                {
                    // Recorded by an earlier sweep of the same content: the digest says since when, nothing is written.
                    var stored = await _store.GetAsync(record.Id, cancellationToken).ConfigureAwait(false);
                    findings.Add(new SweepFinding(stored ?? record, stored?.RecordedAt ?? record.RecordedAt));
                    continue;
                }

                var marked = _store.TakeMissed(record.Id) is { } missed ? record with { MissedEvent = missed } : record;
                if (marked.Outcome == AuditOutcome.Failed && marked.Check is null)
                {
                    error = marked.Reason; // the detector failed on this resource: recorded failed, the sweep goes on
                }

                findings.Add(new SweepFinding(marked, null));
            }

            return new SweepResourceResult(described.Concern, described.Resource, findings, error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new SweepResourceResult(described.Concern, described.Resource, [], $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
