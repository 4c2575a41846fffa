using Remediator.Aws.Sns;

namespace Remediator.Notifier.Sns;

/// <summary>Publishes to an SNS topic; returns the message id.</summary>
public interface ITopicPublisher
{
    Task<string> PublishAsync(string topicArn, string message, string? subject, CancellationToken cancellationToken);
}

/// <summary>The production publisher: the signed <see cref="SnsClient"/> (the caller owns and disposes it).</summary>
public sealed class SnsTopicPublisher(SnsClient client) : ITopicPublisher
{
    public Task<string> PublishAsync(string topicArn, string message, string? subject, CancellationToken cancellationToken) =>
        client.PublishAsync(topicArn, message, subject, cancellationToken);
}
