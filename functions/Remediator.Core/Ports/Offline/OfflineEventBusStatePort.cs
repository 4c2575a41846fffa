namespace Remediator.Core.Ports.Offline;

/// <summary>Offline (CLI dry-run, replay): the current policy is unknown, so detectors judge the event itself.</summary>
public sealed class OfflineEventBusStatePort : IEventBusStatePort
{
    public static OfflineEventBusStatePort Instance { get; } = new();

    public ValueTask<EventBusPolicyState?> GetPolicyAsync(string eventBusNameOrArn, CancellationToken cancellationToken) =>
        ValueTask.FromResult<EventBusPolicyState?>(null);
}
