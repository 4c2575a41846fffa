using System.Diagnostics.CodeAnalysis;
using Polly;
using Polly.Retry;

namespace Remediator.Runtime.Resilience;

/// <summary>
/// The one retry pipeline of the functions (AWS calls and Slack alike), on Polly's retry strategy. An attempt returns a
/// result (never throws for a failed reply); the dependency's classifier says whether it is final or worth another
/// attempt. The pipeline bounds the retries twice: by <see cref="RetryOptions.MaxAttempts"/> and by the caller's
/// deadline. It never starts an attempt after the deadline, shortens an attempt's timeout to the time left, and never
/// starts a wait that would end at or past the deadline: it stops with the real failure instead. Waits go through the
/// <see cref="TimeProvider"/> (a fake one in tests); every retry is told to the <see cref="IRetryObserver"/>.
/// </summary>
/// <typeparam name="T">What one attempt returns, e.g. a reply or a failure, as a value.</typeparam>
// Polly validates strategy options with data annotations, so it asks the trimmer to keep the result type's members.
public sealed class RetryPipeline<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>
{
    private static readonly ResiliencePropertyKey<Call> CallKey = new("Remediator.RetryCall");

    private readonly string _dependency;
    private readonly RetryOptions _options;
    private readonly Func<T, RetryVerdict> _classify;
    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;
    private readonly ResiliencePipeline<T> _pipeline;

    /// <param name="dependency">What is called, for the retry reports, e.g. <c>iam</c> or <c>slack</c>.</param>
    /// <param name="classify">Says whether a result is final or retried, and why.</param>
    /// <param name="jitter">A number in [0, 1] per back-off; <see cref="Random.Shared"/> when null.</param>
    public RetryPipeline(string dependency, RetryOptions options, Func<T, RetryVerdict> classify, TimeProvider? time = null, Func<double>? jitter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dependency);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(classify);
        _dependency = dependency;
        _options = options.Validated();
        _classify = classify;
        _time = time ?? TimeProvider.System;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<T>
            {
                // The count and the delays are decided in Decide (which knows the deadline); Polly's own bound is a backstop.
                MaxRetryAttempts = Math.Max(1, _options.MaxAttempts - 1),
                ShouldHandle = args => ValueTask.FromResult(Decide(args.Outcome, args.Context.Properties.GetValue(CallKey, null!))),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(CallKey, null!).NextWait),
                OnRetry = args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    call.Observer?.OnRetry(new RetryNotice(_dependency, call.Operation, call.Attempts, args.RetryDelay, call.Reason));
                    return default;
                },
            })
            .Build();
    }

    public RetryOptions Options => _options;

    /// <summary>
    /// Runs <paramref name="attempt"/> until its result is final, the attempts are spent, or the deadline leaves no room.
    /// Cancellation and exceptions the attempt throws end the call at once and are rethrown.
    /// </summary>
    /// <param name="operation">The operation, for the retry reports.</param>
    /// <param name="attempt">One attempt; it receives the time it may take.</param>
    /// <param name="deadline">When the caller must have an answer; null: none beyond the token.</param>
    public async Task<RetryResult<T>> ExecuteAsync(
        string operation,
        Func<TimeSpan, CancellationToken, ValueTask<T>> attempt,
        DateTimeOffset? deadline,
        IRetryObserver? observer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(attempt);
        var call = new Call(operation, deadline, observer);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(CallKey, call);
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    var (self, call, attempt) = state;
                    var timeout = self._options.AttemptTimeout;
                    if (call.Deadline is { } deadline)
                    {
                        var left = deadline - self._time.GetUtcNow();
                        if (left <= TimeSpan.Zero)
                        {
                            call.Stop = RetryStop.NoTimeLeft;
                            return Outcome.FromResult(call.Last!);
                        }

                        timeout = left < timeout ? left : timeout;
                    }

                    context.CancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        var result = await attempt(timeout, context.CancellationToken).ConfigureAwait(false);
                        call.Attempts++;
                        call.Last = result;
                        return Outcome.FromResult(result);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<T>(ex);
                    }
                },
                context,
                (this, call, attempt)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return new RetryResult<T>(call.Last, call.Stop, call.Attempts, call.RefusedWait);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether to retry, and sets the wait: the verdict, then the attempts, then the deadline.</summary>
    private bool Decide(Outcome<T> outcome, Call call)
    {
        if (outcome.Exception is not null || call.Stop is RetryStop.NoTimeLeft)
        {
            return false;
        }

        var verdict = _classify(outcome.Result!);
        if (!verdict.ShouldRetry)
        {
            call.Stop = RetryStop.Final;
            return false;
        }

        if (call.Attempts >= _options.MaxAttempts)
        {
            call.Stop = RetryStop.AttemptsExhausted;
            return false;
        }

        var wait = verdict.RequestedWait ?? RetryBackoff.FullJitter(call.Attempts, _options.BaseDelay, _options.MaxDelay, _jitter());
        if (call.Deadline is { } deadline && _time.GetUtcNow() + wait >= deadline)
        {
            // Sleeping would leave no time for the next attempt: report the real failure now.
            call.Stop = RetryStop.WaitPastDeadline;
            call.RefusedWait = wait;
            return false;
        }

        call.NextWait = wait;
        call.Reason = verdict.Reason;
        return true;
    }

    /// <summary>The state of one call, shared by the attempt and Polly's callbacks through the resilience context.</summary>
    private sealed class Call(string operation, DateTimeOffset? deadline, IRetryObserver? observer)
    {
        public string Operation { get; } = operation;

        public DateTimeOffset? Deadline { get; } = deadline;

        public IRetryObserver? Observer { get; } = observer;

        public int Attempts { get; set; }

        public T? Last { get; set; }

        public RetryStop Stop { get; set; } = RetryStop.Final;

        public TimeSpan NextWait { get; set; }

        public TimeSpan RefusedWait { get; set; }

        public string Reason { get; set; } = string.Empty;
    }
}
