namespace Remediator.Aws.ApiGateway;

/// <summary>A REST API integration (v1); <see cref="TimeoutInMillis"/> is what the timeout guard watches.</summary>
public sealed record RestIntegration(string Type, string? Uri, string? HttpMethod, int? TimeoutInMillis);

/// <summary>One JSON Patch operation of UpdateIntegration, e.g. <c>replace /timeoutInMillis 29000</c>.</summary>
public sealed record PatchOperation(string Op, string Path, string? Value)
{
    public static PatchOperation Replace(string path, string value) => new("replace", path, value);
}

/// <summary>A stage of a REST API, the deployment it serves, and its tags.</summary>
public sealed record RestStage(string StageName, string? DeploymentId, IReadOnlyDictionary<string, string> Tags);

/// <summary>A REST API (test set-up).</summary>
public sealed record RestApi(string Id, string Name, string? RootResourceId);

/// <summary>A resource (path) of a REST API (test set-up).</summary>
public sealed record RestResource(string Id, string Path);

/// <summary>An HTTP API integration (v2).</summary>
public sealed record HttpIntegration(string IntegrationId, string IntegrationType, string? IntegrationUri, string? IntegrationMethod, string? PayloadFormatVersion, int? TimeoutInMillis);

/// <summary>An HTTP or WebSocket API (test set-up).</summary>
public sealed record HttpApi(string ApiId, string Name, string ProtocolType);
