using Remediator.Runtime.Resilience;
using Remediator.Testing;

namespace Remediator.Runtime.Tests.Resilience;

/// <summary>The shared retry pipeline on its own: attempts are values, waits go through a fake time provider.</summary>
public sealed class RetryPipelineTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RetryOptions Options = new() { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromSeconds(10) };

    private readonly InstantWaitTimeProvider _time = new(Start);
    private readonly Recorder _observer = new();

    [Fact]
    public async Task A_final_result_on_the_first_attempt_is_returned_without_a_wait()
    {
        var result = await Pipeline().ExecuteAsync("op", Replies("ok"), null, _observer, default);

        Assert.Equal(("ok", RetryStop.Final, 1), (result.Last, result.Stop, result.Attempts));
        Assert.Empty(_time.Waits);
        Assert.Empty(_observer.Notices);
    }

    [Fact]
    public async Task Transient_failures_back_off_exponentially_with_full_jitter_and_each_retry_is_told()
    {
        var result = await Pipeline(jitter: 0.5).ExecuteAsync("op", Replies("fault", "fault", "ok"), null, _observer, default);

        Assert.Equal(("ok", RetryStop.Final, 3), (result.Last, result.Stop, result.Attempts));
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], _time.Waits);
        Assert.Equal(
            [new RetryNotice("dep", "op", 1, TimeSpan.FromMilliseconds(50), "fault"), new RetryNotice("dep", "op", 2, TimeSpan.FromMilliseconds(100), "fault")],
            _observer.Notices);
    }

    [Fact]
    public async Task A_requested_retry_after_is_waited_instead_of_the_back_off_even_beyond_the_maximum()
    {
        var result = await Pipeline().ExecuteAsync("op", Replies("throttled:3", "ok"), Start.AddMinutes(1), _observer, default);

        Assert.Equal(RetryStop.Final, result.Stop);
        Assert.Equal([TimeSpan.FromSeconds(3)], _time.Waits);
    }

    [Fact]
    public async Task Retries_are_bounded_by_the_attempts()
    {
        var calls = 0;
        var result = await Pipeline().ExecuteAsync("op", (_, _) => { calls++; return ValueTask.FromResult("fault"); }, null, _observer, default);

        Assert.Equal((RetryStop.AttemptsExhausted, 4, 4), (result.Stop, result.Attempts, calls));
        Assert.Equal(3, _time.Waits.Count);
    }

    [Fact]
    public async Task A_wait_that_would_end_at_or_past_the_deadline_is_not_started()
    {
        var deadline = Start.AddSeconds(2);

        var result = await Pipeline().ExecuteAsync("op", Replies("throttled:1", "throttled:1", "ok"), deadline, _observer, default);

        Assert.Equal((RetryStop.WaitPastDeadline, 2, TimeSpan.FromSeconds(1)), (result.Stop, result.Attempts, result.RefusedWait));
        Assert.Equal([TimeSpan.FromSeconds(1)], _time.Waits);
        Assert.True(_time.GetUtcNow() < deadline);
    }

    [Fact]
    public async Task No_attempt_starts_after_the_deadline_and_an_attempt_gets_only_the_time_left()
    {
        var timeouts = new List<TimeSpan>();
        var passed = await Pipeline().ExecuteAsync("op", (timeout, _) => { timeouts.Add(timeout); return ValueTask.FromResult("ok"); }, Start, _observer, default);
        var close = await Pipeline().ExecuteAsync("op", (timeout, _) => { timeouts.Add(timeout); return ValueTask.FromResult("ok"); }, Start.AddSeconds(3), _observer, default);

        Assert.Equal((RetryStop.NoTimeLeft, 0), (passed.Stop, passed.Attempts));
        Assert.Equal((RetryStop.Final, 1), (close.Stop, close.Attempts));
        Assert.Equal([TimeSpan.FromSeconds(3)], timeouts);
    }

    [Fact]
    public async Task Cancellation_during_a_wait_ends_the_call()
    {
        using var cancellation = new CancellationTokenSource();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var pipeline = new RetryPipeline<string>("dep", Options, Classify, time, () => 1);

        var call = pipeline.ExecuteAsync("op", Replies("fault", "ok"), null, new CancelOnRetry(cancellation), cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_field_name()
    {
        Assert.Equal("MaxAttempts", Assert.Throws<ArgumentException>(() => new RetryOptions { MaxAttempts = 0 }.Validated()).ParamName);
        Assert.Equal("MaxDelay", Assert.Throws<ArgumentException>(() => (Options with { MaxDelay = TimeSpan.FromMilliseconds(50) }).Validated()).ParamName);
        Assert.Equal("AttemptTimeout", Assert.Throws<ArgumentException>(() => (Options with { AttemptTimeout = TimeSpan.Zero }).Validated()).ParamName);
    }

    // "ok" is final, "fault" transient, "throttled:N" asks for N seconds.
    private static RetryVerdict Classify(string reply) => reply switch
    {
        "ok" => RetryVerdict.Final,
        _ when reply.StartsWith("throttled:", StringComparison.Ordinal) => RetryVerdict.RateLimited("throttled", TimeSpan.FromSeconds(int.Parse(reply[10..], System.Globalization.CultureInfo.InvariantCulture))),
        _ => RetryVerdict.Transient(reply),
    };

    private static Func<TimeSpan, CancellationToken, ValueTask<string>> Replies(params string[] replies)
    {
        var next = 0;
        return (_, _) => ValueTask.FromResult(replies[Math.Min(next++, replies.Length - 1)]);
    }

    private RetryPipeline<string> Pipeline(double jitter = 1) => new("dep", Options, Classify, _time, () => jitter);

    private sealed class Recorder : IRetryObserver
    {
        public List<RetryNotice> Notices { get; } = [];

        public void OnRetry(in RetryNotice notice) => Notices.Add(notice);
    }

    private sealed class CancelOnRetry(CancellationTokenSource cancellation) : IRetryObserver
    {
        public void OnRetry(in RetryNotice notice) => cancellation.Cancel();
    }
}
