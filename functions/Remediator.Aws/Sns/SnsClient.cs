using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Sns;

/// <summary>The SNS operations <see cref="SnsClient"/> calls, each with the IAM action it needs.</summary>
public static class SnsOperations
{
    public const string ApiVersion = "2010-03-31";

    public static readonly AwsOperation Publish = AwsOperation.Rpc("sns", "Publish");
    public static readonly AwsOperation CreateTopic = AwsOperation.Rpc("sns", "CreateTopic");

    public static readonly IReadOnlyList<AwsOperation> All = [Publish, CreateTopic];
}

/// <summary>Publishes notifications (Query protocol).</summary>
public sealed class SnsClient : AwsServiceClient
{
    private readonly QueryProtocol _query;

    public SnsClient(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.Sns, options, settings)
    {
        _query = new QueryProtocol(Transport, SnsOperations.ApiVersion);
    }

    /// <summary>Publishes to a topic and returns the message id.</summary>
    public async Task<string> PublishAsync(string topicArn, string message, string? subject = null, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("TopicArn", topicArn).Add("Message", message).Add("Subject", subject);
        var result = await _query.CallAsync(SnsOperations.Publish, topicArn, parameters, cancellationToken).ConfigureAwait(false);
        return Xml.Text(result, "MessageId") ?? "";
    }

    /// <summary>Test set-up: creates a topic and returns its ARN.</summary>
    public async Task<string> CreateTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await _query.CallAsync(SnsOperations.CreateTopic, $"topic/{name}", new QueryParameters().Add("Name", name), cancellationToken).ConfigureAwait(false);
        return Xml.Text(result, "TopicArn") ?? "";
    }
}
