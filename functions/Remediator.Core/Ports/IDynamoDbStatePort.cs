namespace Remediator.Core.Ports;

/// <summary>Reads current state for the detectors (see <see cref="ResourceStatePorts"/>).</summary>
public interface IDynamoDbStatePort
{
}
