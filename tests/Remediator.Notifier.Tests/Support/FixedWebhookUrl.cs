using Remediator.Notifier.Slack;

namespace Remediator.Notifier.Tests.Support;

/// <summary>A webhook URL that needs no SSM.</summary>
public sealed class FixedWebhookUrl(Uri url) : IWebhookUrlSource
{
    public int Invalidations { get; private set; }

    public ValueTask<Uri> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(url);

    public void Invalidate() => Invalidations++;
}
