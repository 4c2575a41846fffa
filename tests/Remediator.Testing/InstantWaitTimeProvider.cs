using Microsoft.Extensions.Time.Testing;

namespace Remediator.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> on which every one-shot wait (a retry's back-off through
/// <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>) ends at once: the time jumps forward by the
/// wait, so back-off and deadlines are observed, never waited for. The one justified subclass: a plain fake cannot tell
/// a test when code behind a real socket has started to wait, so the test could not know when to advance it.
/// Only for code whose sole timers are such waits.
/// </summary>
public sealed class InstantWaitTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<TimeSpan> _waits = [];

    /// <summary>Every one-shot wait asked for, in order.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
            {
                return [.. _waits];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan && period == Timeout.InfiniteTimeSpan)
        {
            lock (_waits)
            {
                _waits.Add(dueTime);
            }

            // Advanced after the timer is registered and off the caller's stack, so the waiter is complete when it fires.
            ThreadPool.QueueUserWorkItem(_ => Advance(dueTime));
        }

        return timer;
    }
}
