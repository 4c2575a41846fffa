namespace Remediator.Core.Ports.Offline;

/// <summary>
/// The ports for running without AWS (the CLI's dry-run, tests, benchmarks): detectors judge what the event says,
/// plus what is known without asking (AWS-managed policies).
/// </summary>
public static class OfflineStatePorts
{
    public static ResourceStatePorts Create(IIamStatePort? iam = null, ITagStatePort? tags = null) =>
        new(
            iam ?? new OfflineIamStatePort(),
            OfflineEventBusStatePort.Instance,
            OfflineLambdaStatePort.Instance,
            OfflineApiGatewayStatePort.Instance,
            OfflineDynamoDbStatePort.Instance,
            tags ?? OfflineTagStatePort.Instance);
}
