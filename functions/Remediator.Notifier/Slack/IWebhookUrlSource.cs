namespace Remediator.Notifier.Slack;

/// <summary>Where the Slack webhook URL comes from (an SSM SecureString in production).</summary>
public interface IWebhookUrlSource
{
    /// <summary>The URL; throws <see cref="SlackDeliveryException"/> (without the URL) when it cannot be had.</summary>
    ValueTask<Uri> GetAsync(CancellationToken cancellationToken);

    /// <summary>Forgets a cached URL, e.g. after Slack said the hook no longer exists (it may have been rotated).</summary>
    void Invalidate();
}
