using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Core.Operations;

/// <summary>One JSON-patch operation of API Gateway's REST API (values are text).</summary>
public sealed record PatchOperation(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("value")] string? Value = null);

/// <summary>apigateway:UpdateIntegration of a REST API (PATCH .../integration).</summary>
public sealed record RestIntegrationUpdate(
    [property: JsonPropertyName("restApiId")] string RestApiId,
    [property: JsonPropertyName("resourceId")] string ResourceId,
    [property: JsonPropertyName("httpMethod")] string HttpMethod,
    [property: JsonPropertyName("patchOperations")] IReadOnlyList<PatchOperation>? PatchOperations,
    long? PreviousTimeoutInMillis = null)
{
    public const string TimeoutPath = "/timeoutInMillis";

    /// <summary>The patch that sets the integration timeout.</summary>
    /// <param name="previous">The timeout it replaces, kept for people (null in an undo step).</param>
    public static RestIntegrationUpdate Timeout(string restApiId, string resourceId, string httpMethod, long millis, long? previous = null) =>
        new(restApiId, resourceId, httpMethod, [new PatchOperation("replace", TimeoutPath, millis.ToString(CultureInfo.InvariantCulture))], previous);
}

/// <summary>apigateway:UpdateIntegration of an HTTP API (PATCH /v2/apis/{id}/integrations/{id}), timeout only.</summary>
public sealed record HttpIntegrationUpdate(string ApiId, string IntegrationId, int? TimeoutInMillis, long? PreviousTimeoutInMillis = null);

/// <summary>apigateway:CreateDeployment of a REST API; a null stage means every stage, resolved when carried out.</summary>
public sealed record RestDeployment(
    [property: JsonPropertyName("restApiId")] string RestApiId,
    [property: JsonPropertyName("stageName"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StageName);

/// <summary>
/// A REST integration change (API Gateway permissions are HTTP verbs on resource paths). It serves nothing until
/// deployed, so its inverse is the old timeout AND a deployment to every stage.
/// </summary>
public sealed class RestUpdateIntegrationOperation : RemediationOperation<RestIntegrationUpdate>
{
    internal RestUpdateIntegrationOperation()
        : base("apigateway:UpdateIntegration", ["apigateway:PATCH"], ["apigateway:GET"])
    {
    }

    protected override JsonTypeInfo<RestIntegrationUpdate> Json => OperationJsonContext.Default.RestIntegrationUpdate;

    /// <summary>Shares its name with the HTTP API call: a REST step names no <c>ApiId</c>.</summary>
    public override bool Recognises(JsonObject parameters) => !parameters.ContainsKey("ApiId");

    protected override string? Validate(RestIntegrationUpdate parameters) =>
        Required(("restApiId", parameters.RestApiId), ("resourceId", parameters.ResourceId), ("httpMethod", parameters.HttpMethod))
        ?? (parameters.PatchOperations is not { Count: > 0 } || parameters.PatchOperations.Any(o => string.IsNullOrEmpty(o.Op) || string.IsNullOrEmpty(o.Path))
            ? "'patchOperations' must list op and path"
            : null);

    protected override Inversion Invert(AuditAction done, RestIntegrationUpdate parameters)
    {
        if (!StepStates.TryReadInt(done.Before, StepStates.TimeoutInMillis, out var millis))
        {
            return Inversion.Unknown("the integration timeout before the change was not recorded");
        }

        return Inversion.Of(
            UndoStep(done, $"Set the REST integration timeout back to {millis} ms.",
                RestIntegrationUpdate.Timeout(parameters.RestApiId, parameters.ResourceId, parameters.HttpMethod, millis)),
            OperationCatalogue.CreateDeployment.UndoStep(done, $"Redeploy REST API '{parameters.RestApiId}' to all stages so the restored timeout takes effect.",
                new RestDeployment(parameters.RestApiId, null)));
    }
}

/// <summary>An HTTP API integration's timeout (stages with auto-deploy pick it up). Inverse: the timeout before.</summary>
public sealed class HttpUpdateIntegrationOperation : RemediationOperation<HttpIntegrationUpdate>
{
    internal HttpUpdateIntegrationOperation()
        : base("apigateway:UpdateIntegration", ["apigateway:PATCH"], ["apigateway:GET"])
    {
    }

    protected override JsonTypeInfo<HttpIntegrationUpdate> Json => OperationJsonContext.Default.HttpIntegrationUpdate;

    public override bool Recognises(JsonObject parameters) => parameters.ContainsKey("ApiId");

    protected override string? Validate(HttpIntegrationUpdate parameters) => Required(("ApiId", parameters.ApiId), ("IntegrationId", parameters.IntegrationId))
        ?? (parameters.TimeoutInMillis is null ? "parameter 'TimeoutInMillis' is missing or not a whole number" : null);

    protected override Inversion Invert(AuditAction done, HttpIntegrationUpdate parameters) =>
        StepStates.TryReadInt(done.Before, StepStates.TimeoutInMillis, out var millis)
            ? Inversion.Of(UndoStep(done, $"Set the HTTP API integration timeout back to {millis} ms.", new HttpIntegrationUpdate(parameters.ApiId, parameters.IntegrationId, millis)))
            : Inversion.Unknown("the integration timeout before the change was not recorded");
}

/// <summary>A REST deployment. Not undone by itself: the inverse of the integration change redeploys.</summary>
public sealed class CreateDeploymentOperation : RemediationOperation<RestDeployment>
{
    internal CreateDeploymentOperation()
        : base("apigateway:CreateDeployment", ["apigateway:POST"], ["apigateway:GET"])
    {
    }

    protected override JsonTypeInfo<RestDeployment> Json => OperationJsonContext.Default.RestDeployment;

    protected override string? Validate(RestDeployment parameters) => Required(("restApiId", parameters.RestApiId));

    protected override Inversion Invert(AuditAction done, RestDeployment parameters) => Inversion.NothingToUndo;
}
