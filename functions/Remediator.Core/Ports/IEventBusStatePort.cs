namespace Remediator.Core.Ports;

/// <summary>Reads current state for the detectors (see <see cref="ResourceStatePorts"/>).</summary>
public interface IEventBusStatePort
{
    /// <summary>
    /// The bus's current resource policy, as DescribeEventBus's <c>Policy</c> returns it. Null when it cannot be read
    /// (offline, no permission, the bus is gone): the detector then judges the event's own statement.
    /// </summary>
    /// <param name="eventBusNameOrArn">The bus name or ARN (DescribeEventBus accepts both); <c>default</c> for the default bus.</param>
    ValueTask<EventBusPolicyState?> GetPolicyAsync(string eventBusNameOrArn, CancellationToken cancellationToken);
}

/// <summary>What DescribeEventBus said about a bus's policy.</summary>
/// <param name="PolicyDocument">The policy JSON, or null when the bus has no resource policy at all.</param>
public sealed record EventBusPolicyState(string? PolicyDocument);
