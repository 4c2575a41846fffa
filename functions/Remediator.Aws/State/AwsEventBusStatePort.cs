using Remediator.Aws.EventBridge;
using Remediator.Core.Ports;

namespace Remediator.Aws.State;

/// <summary>A bus's resource policy from DescribeEventBus (which takes a name or an ARN).</summary>
public sealed class AwsEventBusStatePort : IEventBusStatePort
{
    private readonly EventBridgeClient _events;

    public AwsEventBusStatePort(EventBridgeClient events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _events = events;
    }

    public ValueTask<EventBusPolicyState?> GetPolicyAsync(string eventBusNameOrArn, CancellationToken cancellationToken) =>
        Missing.AsNullAsync(async () =>
        {
            var bus = await _events.DescribeEventBusAsync(eventBusNameOrArn, cancellationToken).ConfigureAwait(false);
            return new EventBusPolicyState(string.IsNullOrEmpty(bus.Policy) ? null : bus.Policy);
        });
}
