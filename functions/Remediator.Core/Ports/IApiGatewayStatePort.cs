namespace Remediator.Core.Ports;

/// <summary>Reads current state for the detectors (see <see cref="ResourceStatePorts"/>).</summary>
public interface IApiGatewayStatePort
{
    /// <summary>
    /// Names of the REST API's stages (GetStages): a changed integration takes effect only after a deployment to each.
    /// Null when they cannot be read (offline): the plan then leaves the stage for the executor to resolve.
    /// </summary>
    ValueTask<IReadOnlyList<string>?> GetStagesAsync(string restApiId, CancellationToken cancellationToken);

    /// <summary>A REST integration's current <c>timeoutInMillis</c> (GetIntegration), or null when it cannot be read.</summary>
    ValueTask<int?> GetRestIntegrationTimeoutAsync(string restApiId, string resourceId, string httpMethod, CancellationToken cancellationToken);

    /// <summary>An HTTP API integration's current <c>TimeoutInMillis</c> (apigatewayv2 GetIntegration), or null when it cannot be read.</summary>
    ValueTask<int?> GetHttpIntegrationTimeoutAsync(string apiId, string integrationId, CancellationToken cancellationToken);
}
