using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Sqs;

/// <summary>The SQS operations <see cref="SqsClient"/> calls, each with the IAM action it needs.</summary>
public static class SqsOperations
{
    public const string TargetPrefix = "AmazonSQS";

    public static readonly AwsOperation SendMessage = AwsOperation.Rpc("sqs", "SendMessage");

    public static readonly IReadOnlyList<AwsOperation> All = [SendMessage];
}

/// <summary>
/// Sends to a queue with SQS's JSON 1.0 protocol (the one the current AWS SDKs speak; the queue URL travels in the body,
/// the request goes to the service endpoint) on the signed transport.
/// </summary>
public sealed class SqsClient : AwsServiceClient
{
    private readonly JsonProtocol _json;

    public SqsClient(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.Sqs, options, settings)
    {
        _json = new JsonProtocol(Transport, SqsOperations.TargetPrefix, JsonProtocol.Version10);
    }

    /// <summary>Sends one message and returns its id.</summary>
    public async Task<string> SendMessageAsync(string queueUrl, string body, CancellationToken cancellationToken = default)
    {
        var reply = await _json.CallAsync(SqsOperations.SendMessage, queueUrl, writer =>
        {
            writer.WriteString("QueueUrl", queueUrl);
            writer.WriteString("MessageBody", body);
        }, cancellationToken).ConfigureAwait(false);
        return Json.String(reply, "MessageId") ?? "";
    }
}
