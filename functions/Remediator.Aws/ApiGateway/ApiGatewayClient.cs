using System.Globalization;
using System.Text.Json;
using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.ApiGateway;

/// <summary>
/// The API Gateway (REST APIs, v1) operations <see cref="ApiGatewayClient"/> calls. API Gateway's IAM actions are
/// the HTTP method (<c>apigateway:PATCH</c>) on the resource's ARN path.
/// </summary>
public static class ApiGatewayOperations
{
    private const string Integration = "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration";

    public static readonly AwsOperation GetIntegration = new("GetIntegration", "apigateway:GET", HttpMethod.Get, Integration);
    public static readonly AwsOperation UpdateIntegration = new("UpdateIntegration", "apigateway:PATCH", HttpMethod.Patch, Integration);
    public static readonly AwsOperation CreateDeployment = new("CreateDeployment", "apigateway:POST", HttpMethod.Post, "/restapis/{restapi_id}/deployments");
    public static readonly AwsOperation GetStages = new("GetStages", "apigateway:GET", HttpMethod.Get, "/restapis/{restapi_id}/stages");
    public static readonly AwsOperation TagResource = new("TagResource", "apigateway:PUT", HttpMethod.Put, "/tags/{resource_arn}");
    public static readonly AwsOperation GetTags = new("GetTags", "apigateway:GET", HttpMethod.Get, "/tags/{resource_arn}");
    public static readonly AwsOperation UntagResource = new("UntagResource", "apigateway:DELETE", HttpMethod.Delete, "/tags/{resource_arn}");

    // Test set-up only.
    public static readonly AwsOperation CreateRestApi = new("CreateRestApi", "apigateway:POST", HttpMethod.Post, "/restapis");
    public static readonly AwsOperation GetResources = new("GetResources", "apigateway:GET", HttpMethod.Get, "/restapis/{restapi_id}/resources");
    public static readonly AwsOperation PutMethod = new("PutMethod", "apigateway:PUT", HttpMethod.Put, "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}");
    public static readonly AwsOperation PutIntegration = new("PutIntegration", "apigateway:PUT", HttpMethod.Put, Integration);

    public static readonly IReadOnlyList<AwsOperation> All =
        [GetIntegration, UpdateIntegration, CreateDeployment, GetStages, TagResource, GetTags, UntagResource, CreateRestApi, GetResources, PutMethod, PutIntegration];
}

/// <summary>The REST API calls the timeout guard makes. An integration change takes effect only after a deployment.</summary>
public sealed class ApiGatewayClient : AwsServiceClient
{
    private readonly RestJsonProtocol _rest;

    public ApiGatewayClient(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.ApiGateway, options, settings)
    {
        _rest = new RestJsonProtocol(Transport);
    }

    public async Task<RestIntegration> GetIntegrationAsync(string restApiId, string resourceId, string httpMethod, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayOperations.GetIntegration, IntegrationResource(restApiId, resourceId, httpMethod),
            IntegrationLabels(restApiId, resourceId, httpMethod), null, null, cancellationToken).ConfigureAwait(false);
        return ReadIntegration(reply);
    }

    public async Task<RestIntegration> UpdateIntegrationAsync(string restApiId, string resourceId, string httpMethod, IReadOnlyList<PatchOperation> patchOperations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patchOperations);
        var reply = await _rest.CallAsync(ApiGatewayOperations.UpdateIntegration, IntegrationResource(restApiId, resourceId, httpMethod),
            IntegrationLabels(restApiId, resourceId, httpMethod), null, writer =>
            {
                writer.WriteStartArray("patchOperations");
                foreach (var operation in patchOperations)
                {
                    writer.WriteStartObject();
                    writer.WriteString("op", operation.Op);
                    writer.WriteString("path", operation.Path);
                    writer.WriteStringIfSet("value", operation.Value);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }, cancellationToken).ConfigureAwait(false);
        return ReadIntegration(reply);
    }

    /// <summary>Deploys the API to a stage and returns the deployment id.</summary>
    public async Task<string> CreateDeploymentAsync(string restApiId, string stageName, string? description = null, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayOperations.CreateDeployment, $"restapis/{restApiId}/stages/{stageName}", Labels(restApiId), null, writer =>
        {
            writer.WriteString("stageName", stageName);
            writer.WriteStringIfSet("description", description);
        }, cancellationToken).ConfigureAwait(false);
        return Json.String(reply, "id") ?? "";
    }

    public async Task<IReadOnlyList<RestStage>> GetStagesAsync(string restApiId, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayOperations.GetStages, $"restapis/{restApiId}", Labels(restApiId), null, null, cancellationToken).ConfigureAwait(false);
        return Json.Items(reply, "item").Select(stage => new RestStage(Json.String(stage, "stageName") ?? "", Json.String(stage, "deploymentId"), Json.StringMap(stage, "tags"))).ToList();
    }

    /// <param name="resourceArn">e.g. <c>arn:aws:apigateway:us-east-1::/restapis/abc/stages/prod</c>.</param>
    public Task TagResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        _rest.CallAsync(ApiGatewayOperations.TagResource, resourceArn, ArnLabels(resourceArn), null, writer => writer.WriteStringMap("tags", tags), cancellationToken);

    public Task UntagResourceAsync(string resourceArn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tagKeys);
        return _rest.CallAsync(ApiGatewayOperations.UntagResource, resourceArn, ArnLabels(resourceArn),
            tagKeys.Select(key => KeyValuePair.Create("tagKeys", key)).ToList(), null, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string resourceArn, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayOperations.GetTags, resourceArn, ArnLabels(resourceArn), null, null, cancellationToken).ConfigureAwait(false);
        return Json.StringMap(reply, "tags");
    }

    /// <summary>Test set-up.</summary>
    public async Task<RestApi> CreateRestApiAsync(string name, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayOperations.CreateRestApi, $"restapis/{name}", new Dictionary<string, string>(), null,
            writer => writer.WriteString("name", name), cancellationToken).ConfigureAwait(false);
        return new RestApi(Json.String(reply, "id") ?? "", Json.String(reply, "name") ?? name, Json.String(reply, "rootResourceId"));
    }

    /// <summary>Test set-up.</summary>
    public async Task<IReadOnlyList<RestResource>> GetResourcesAsync(string restApiId, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayOperations.GetResources, $"restapis/{restApiId}", Labels(restApiId), null, null, cancellationToken).ConfigureAwait(false);
        return Json.Items(reply, "item").Select(resource => new RestResource(Json.String(resource, "id") ?? "", Json.String(resource, "path") ?? "")).ToList();
    }

    /// <summary>Test set-up: a method without authorization.</summary>
    public Task PutMethodAsync(string restApiId, string resourceId, string httpMethod, CancellationToken cancellationToken = default) =>
        _rest.CallAsync(ApiGatewayOperations.PutMethod, IntegrationResource(restApiId, resourceId, httpMethod), IntegrationLabels(restApiId, resourceId, httpMethod), null,
            writer => writer.WriteString("authorizationType", "NONE"), cancellationToken);

    /// <summary>Test set-up: an HTTP proxy integration with a timeout.</summary>
    public async Task<RestIntegration> PutIntegrationAsync(string restApiId, string resourceId, string httpMethod, string uri, int timeoutInMillis, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(ApiGatewayOperations.PutIntegration, IntegrationResource(restApiId, resourceId, httpMethod), IntegrationLabels(restApiId, resourceId, httpMethod), null, writer =>
        {
            writer.WriteString("type", "HTTP_PROXY");
            writer.WriteString("httpMethod", httpMethod);
            writer.WriteString("uri", uri);
            writer.WriteNumber("timeoutInMillis", timeoutInMillis);
        }, cancellationToken).ConfigureAwait(false);
        return ReadIntegration(reply);
    }

    private static string IntegrationResource(string restApiId, string resourceId, string httpMethod) =>
        $"restapis/{restApiId}/resources/{resourceId}/methods/{httpMethod}/integration";

    private static Dictionary<string, string> Labels(string restApiId) => new(StringComparer.Ordinal) { ["restapi_id"] = restApiId };

    private static Dictionary<string, string> ArnLabels(string resourceArn) => new(StringComparer.Ordinal) { ["resource_arn"] = resourceArn };

    private static Dictionary<string, string> IntegrationLabels(string restApiId, string resourceId, string httpMethod) => new(StringComparer.Ordinal)
    {
        ["restapi_id"] = restApiId,
        ["resource_id"] = resourceId,
        ["http_method"] = httpMethod,
    };

    private static RestIntegration ReadIntegration(JsonElement reply) => new(
        Json.String(reply, "type") ?? "",
        Json.String(reply, "uri"),
        Json.String(reply, "httpMethod"),
        Json.Int(reply, "timeoutInMillis") ?? (int.TryParse(Json.String(reply, "timeoutInMillis"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var text) ? text : null));
}
