namespace Remediator.Core.Ports;

/// <summary>Reads current state for the detectors (see <see cref="ResourceStatePorts"/>).</summary>
public interface ILambdaStatePort
{
    /// <summary>
    /// The function's current timeout in seconds (GetFunctionConfiguration's <c>Timeout</c>), or null when it cannot
    /// be read (offline, or the function is gone): the detector then trusts the event's response, then its request.
    /// </summary>
    /// <param name="functionNameOrArn">Function name, partial ARN or full ARN, as the Lambda API accepts.</param>
    ValueTask<int?> GetFunctionTimeoutAsync(string functionNameOrArn, CancellationToken cancellationToken);
}
