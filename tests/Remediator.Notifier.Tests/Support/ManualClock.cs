using Remediator.Notifier.Slack;

namespace Remediator.Notifier.Tests.Support;

/// <summary>A clock that moves only when told: waits and deadlines without real time passing.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Records the waits the client asked for and moves the clock by them instead of sleeping.</summary>
public sealed class RecordingDelay(ManualClock clock)
{
    public List<TimeSpan> Waits { get; } = [];

    public Task Delay(TimeSpan wait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waits.Add(wait);
        clock.Advance(wait);
        return Task.CompletedTask;
    }
}

/// <summary>A webhook URL that needs no SSM.</summary>
public sealed class FixedWebhookUrl(Uri url) : IWebhookUrlSource
{
    public int Invalidations { get; private set; }

    public ValueTask<Uri> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(url);

    public void Invalidate() => Invalidations++;
}
