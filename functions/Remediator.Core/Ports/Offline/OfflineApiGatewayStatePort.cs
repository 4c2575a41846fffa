namespace Remediator.Core.Ports.Offline;

/// <summary>Offline (CLI dry-run, replay): stages and current timeouts are unknown; plans say "all stages".</summary>
public sealed class OfflineApiGatewayStatePort : IApiGatewayStatePort
{
    public static OfflineApiGatewayStatePort Instance { get; } = new();

    public ValueTask<IReadOnlyList<string>?> GetStagesAsync(string restApiId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>?>(null);

    public ValueTask<int?> GetRestIntegrationTimeoutAsync(string restApiId, string resourceId, string httpMethod, CancellationToken cancellationToken) =>
        ValueTask.FromResult<int?>(null);

    public ValueTask<int?> GetHttpIntegrationTimeoutAsync(string apiId, string integrationId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<int?>(null);
}
