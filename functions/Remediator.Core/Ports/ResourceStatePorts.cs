namespace Remediator.Core.Ports;

/// <summary>
/// Everything a detector may read about the current state of resources. Detectors read through these ports
/// because the event says where to look, not what is true now. Adapters: AWS (signed HTTP) in Lambda,
/// offline (event contents plus built-in knowledge such as AWS-managed policies) in the CLI's dry-run.
/// </summary>
public sealed record ResourceStatePorts(
    IIamStatePort Iam,
    IEventBusStatePort EventBus,
    ILambdaStatePort Lambda,
    IApiGatewayStatePort ApiGateway,
    IDynamoDbStatePort DynamoDb,
    ITagStatePort Tags);

/// <summary>Tags of a resource, to honour exemption tags.</summary>
public interface ITagStatePort
{
    /// <summary>The resource's tags, or null when they cannot be read (offline, or the resource is gone).</summary>
    ValueTask<IReadOnlyDictionary<string, string>?> GetTagsAsync(string resourceArn, string resourceType, CancellationToken cancellationToken);
}
