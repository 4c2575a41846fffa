using Remediator.Aws.ApiGateway;
using Remediator.Core.Ports;

namespace Remediator.Aws.State;

/// <summary>REST API stages and integration timeouts (v1), HTTP API integration timeouts (v2).</summary>
public sealed class AwsApiGatewayStatePort : IApiGatewayStatePort
{
    private readonly ApiGatewayClient _rest;
    private readonly ApiGatewayV2Client _http;

    public AwsApiGatewayStatePort(ApiGatewayClient rest, ApiGatewayV2Client http)
    {
        ArgumentNullException.ThrowIfNull(rest);
        ArgumentNullException.ThrowIfNull(http);
        _rest = rest;
        _http = http;
    }

    public async ValueTask<IReadOnlyList<string>?> GetStagesAsync(string restApiId, CancellationToken cancellationToken)
    {
        var stages = await Missing.AsNullAsync(() => _rest.GetStagesAsync(restApiId, cancellationToken)).ConfigureAwait(false);
        return stages?.Select(s => s.StageName).ToList();
    }

    public ValueTask<int?> GetRestIntegrationTimeoutAsync(string restApiId, string resourceId, string httpMethod, CancellationToken cancellationToken) =>
        Missing.AsNullAsync(async () => (await _rest.GetIntegrationAsync(restApiId, resourceId, httpMethod, cancellationToken).ConfigureAwait(false)).TimeoutInMillis);

    public ValueTask<int?> GetHttpIntegrationTimeoutAsync(string apiId, string integrationId, CancellationToken cancellationToken) =>
        Missing.AsNullAsync(async () => (await _http.GetIntegrationAsync(apiId, integrationId, cancellationToken).ConfigureAwait(false)).TimeoutInMillis);
}
