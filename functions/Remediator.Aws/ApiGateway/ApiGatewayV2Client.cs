using System.Text.Json;
using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.ApiGateway;

/// <summary>The API Gateway v2 (HTTP APIs) operations <see cref="ApiGatewayV2Client"/> calls.</summary>
public static class ApiGatewayV2Operations
{
    private const string Integration = "/v2/apis/{apiId}/integrations/{integrationId}";
    private const string Tags = "/v2/tags/{resource-arn}";

    public static readonly AwsOperation GetIntegration = new("GetIntegration", "apigateway:GET", HttpMethod.Get, Integration);
    public static readonly AwsOperation UpdateIntegration = new("UpdateIntegration", "apigateway:PATCH", HttpMethod.Patch, Integration);
    public static readonly AwsOperation TagResource = new("TagResource", "apigateway:POST", HttpMethod.Post, Tags);
    public static readonly AwsOperation GetTags = new("GetTags", "apigateway:GET", HttpMethod.Get, Tags);
    public static readonly AwsOperation UntagResource = new("UntagResource", "apigateway:DELETE", HttpMethod.Delete, Tags);

    // Test set-up only.
    public static readonly AwsOperation CreateApi = new("CreateApi", "apigateway:POST", HttpMethod.Post, "/v2/apis");
    public static readonly AwsOperation CreateIntegration = new("CreateIntegration", "apigateway:POST", HttpMethod.Post, "/v2/apis/{apiId}/integrations");

    public static readonly IReadOnlyList<AwsOperation> All = [GetIntegration, UpdateIntegration, TagResource, GetTags, UntagResource, CreateApi, CreateIntegration];
}

/// <summary>The HTTP API calls the timeout guard makes. HTTP API changes apply without a deployment on auto-deploy stages.</summary>
public sealed class ApiGatewayV2Client : AwsServiceClient
{
    private readonly RestJsonProtocol _rest;

    public ApiGatewayV2Client(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.ApiGatewayV2, options, settings)
    {
        _rest = new RestJsonProtocol(Transport);
    }

    public async Task<HttpIntegration> GetIntegrationAsync(string apiId, string integrationId, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayV2Operations.GetIntegration, Resource(apiId, integrationId), Labels(apiId, integrationId), null, null, cancellationToken).ConfigureAwait(false);
        return Read(reply);
    }

    /// <summary>Sets the integration's timeout (50–30,000 ms).</summary>
    public async Task<HttpIntegration> UpdateTimeoutAsync(string apiId, string integrationId, int timeoutInMillis, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayV2Operations.UpdateIntegration, Resource(apiId, integrationId), Labels(apiId, integrationId), null,
            writer => writer.WriteNumber("timeoutInMillis", timeoutInMillis), cancellationToken).ConfigureAwait(false);
        return Read(reply);
    }

    /// <param name="resourceArn">e.g. <c>arn:aws:apigateway:us-east-1::/apis/abc</c>.</param>
    public Task TagResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        _rest.CallAsync(ApiGatewayV2Operations.TagResource, resourceArn, ArnLabels(resourceArn), null, writer => writer.WriteStringMap("tags", tags), cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string resourceArn, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayV2Operations.GetTags, resourceArn, ArnLabels(resourceArn), null, null, cancellationToken).ConfigureAwait(false);
        return Json.StringMap(reply, "tags");
    }

    public Task UntagResourceAsync(string resourceArn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tagKeys);
        return _rest.CallAsync(ApiGatewayV2Operations.UntagResource, resourceArn, ArnLabels(resourceArn),
            tagKeys.Select(key => KeyValuePair.Create("tagKeys", key)).ToList(), null, cancellationToken);
    }

    /// <summary>Test set-up.</summary>
    public async Task<HttpApi> CreateApiAsync(string name, string protocolType = "HTTP", CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayV2Operations.CreateApi, $"apis/{name}", new Dictionary<string, string>(), null, writer =>
        {
            writer.WriteString("name", name);
            writer.WriteString("protocolType", protocolType);
        }, cancellationToken).ConfigureAwait(false);
        return new HttpApi(Json.String(reply, "apiId") ?? "", Json.String(reply, "name") ?? name, Json.String(reply, "protocolType") ?? protocolType);
    }

    /// <summary>Test set-up: an HTTP proxy integration.</summary>
    public async Task<HttpIntegration> CreateIntegrationAsync(string apiId, string integrationUri, int timeoutInMillis, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayV2Operations.CreateIntegration, $"apis/{apiId}/integrations", new Dictionary<string, string>(StringComparer.Ordinal) { ["apiId"] = apiId }, null, writer =>
        {
            writer.WriteString("integrationType", "HTTP_PROXY");
            writer.WriteString("integrationMethod", "ANY");
            writer.WriteString("integrationUri", integrationUri);
            writer.WriteString("payloadFormatVersion", "1.0");
            writer.WriteNumber("timeoutInMillis", timeoutInMillis);
        }, cancellationToken).ConfigureAwait(false);
        return Read(reply);
    }

    private static string Resource(string apiId, string integrationId) => $"apis/{apiId}/integrations/{integrationId}";

    private static Dictionary<string, string> ArnLabels(string resourceArn) => new(StringComparer.Ordinal) { ["resource-arn"] = resourceArn };

    private static Dictionary<string, string> Labels(string apiId, string integrationId) => new(StringComparer.Ordinal)
    {
        ["apiId"] = apiId,
        ["integrationId"] = integrationId,
    };

    private static HttpIntegration Read(JsonElement reply) => new(
        Json.String(reply, "integrationId") ?? "",
        Json.String(reply, "integrationType") ?? "",
        Json.String(reply, "integrationUri"),
        Json.String(reply, "integrationMethod"),
        Json.String(reply, "payloadFormatVersion"),
        Json.Int(reply, "timeoutInMillis"));
}
