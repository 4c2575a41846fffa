using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using ClientPatch = Remediator.Aws.ApiGateway.PatchOperation;

namespace Remediator.Operations;

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

[JsonSerializable(typeof(RestIntegrationUpdate))]
[JsonSerializable(typeof(HttpIntegrationUpdate))]
[JsonSerializable(typeof(RestDeployment))]
internal sealed partial class IntegrationJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static RestUpdateIntegrationOperation RestUpdateIntegration { get; } = Register(new RestUpdateIntegrationOperation());

    public static HttpUpdateIntegrationOperation HttpUpdateIntegration { get; } = Register(new HttpUpdateIntegrationOperation());

    public static CreateDeploymentOperation CreateDeployment { get; } = Register(new CreateDeploymentOperation());
}

/// <summary>An integration's timeout as a step state.</summary>
internal static class IntegrationTimeout
{
    public static string State(int? millis) => StepStates.Of(StepStates.TimeoutInMillis, millis is null ? null : JsonValue.Create(millis.Value));
}

/// <summary>
/// A REST integration change (API Gateway permissions are HTTP verbs on resource paths). It serves nothing until
/// deployed, so its inverse is the old timeout AND a deployment to every stage.
/// </summary>
public sealed class RestUpdateIntegrationOperation : ExecutableOperation<RestIntegrationUpdate>
{
    internal RestUpdateIntegrationOperation()
        : base("apigateway:UpdateIntegration", ["apigateway:PATCH"], ["apigateway:GET"])
    {
    }

    protected override JsonTypeInfo<RestIntegrationUpdate> Json => OperationJson.For<RestIntegrationUpdate>(IntegrationJson.Default);

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

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, RestIntegrationUpdate parameters, CancellationToken cancellationToken)
    {
        var rest = clients.ApiGateway;
        var (restApiId, resourceId, httpMethod, _, _) = parameters;
        var operations = parameters.PatchOperations!.Select(o => new ClientPatch(o.Op, o.Path, o.Value)).ToList();
        var timeoutOperation = operations.Find(o => string.Equals(o.Path, RestIntegrationUpdate.TimeoutPath, StringComparison.OrdinalIgnoreCase) && o.Op == "replace");
        var target = int.TryParse(timeoutOperation?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
        var before = (await rest.GetIntegrationAsync(restApiId, resourceId, httpMethod, cancellationToken).ConfigureAwait(false)).TimeoutInMillis;
        run.Before = IntegrationTimeout.State(before);
        await rest.UpdateIntegrationAsync(restApiId, resourceId, httpMethod, operations, cancellationToken).ConfigureAwait(false);
        run.Called = true;
        var after = (await rest.GetIntegrationAsync(restApiId, resourceId, httpMethod, cancellationToken).ConfigureAwait(false)).TimeoutInMillis;
        run.After = IntegrationTimeout.State(after);
        run.Verified = target is not null && after == target;
        if (!run.Verified)
        {
            run.Note = "the change serves nothing until the following deployment step";
        }
    }
}

/// <summary>An HTTP API integration's timeout (stages with auto-deploy pick it up). Inverse: the timeout before.</summary>
public sealed class HttpUpdateIntegrationOperation : ExecutableOperation<HttpIntegrationUpdate>
{
    internal HttpUpdateIntegrationOperation()
        : base("apigateway:UpdateIntegration", ["apigateway:PATCH"], ["apigateway:GET"])
    {
    }

    protected override JsonTypeInfo<HttpIntegrationUpdate> Json => OperationJson.For<HttpIntegrationUpdate>(IntegrationJson.Default);

    public override bool Recognises(JsonObject parameters) => parameters.ContainsKey("ApiId");

    protected override string? Validate(HttpIntegrationUpdate parameters) => Required(("ApiId", parameters.ApiId), ("IntegrationId", parameters.IntegrationId))
        ?? (parameters.TimeoutInMillis is null ? "parameter 'TimeoutInMillis' is missing or not a whole number" : null);

    protected override Inversion Invert(AuditAction done, HttpIntegrationUpdate parameters) =>
        StepStates.TryReadInt(done.Before, StepStates.TimeoutInMillis, out var millis)
            ? Inversion.Of(UndoStep(done, $"Set the HTTP API integration timeout back to {millis} ms.", new HttpIntegrationUpdate(parameters.ApiId, parameters.IntegrationId, millis)))
            : Inversion.Unknown("the integration timeout before the change was not recorded");

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, HttpIntegrationUpdate parameters, CancellationToken cancellationToken)
    {
        var http = clients.ApiGatewayV2;
        var (apiId, integrationId, _, _) = parameters;
        var target = parameters.TimeoutInMillis!.Value;
        var before = (await http.GetIntegrationAsync(apiId, integrationId, cancellationToken).ConfigureAwait(false)).TimeoutInMillis;
        if (before == target)
        {
            run.AlreadyThere(IntegrationTimeout.State(before), $"the timeout was already {target} ms");
            return;
        }

        run.Before = IntegrationTimeout.State(before);
        await http.UpdateTimeoutAsync(apiId, integrationId, target, cancellationToken).ConfigureAwait(false);
        run.Called = true;
        var after = (await http.GetIntegrationAsync(apiId, integrationId, cancellationToken).ConfigureAwait(false)).TimeoutInMillis;
        run.After = IntegrationTimeout.State(after);
        run.Verified = after == target;
    }
}

/// <summary>A REST deployment. Not undone by itself: the inverse of the integration change redeploys.</summary>
public sealed class CreateDeploymentOperation : ExecutableOperation<RestDeployment>
{
    internal CreateDeploymentOperation()
        : base("apigateway:CreateDeployment", ["apigateway:POST"], ["apigateway:GET"])
    {
    }

    protected override JsonTypeInfo<RestDeployment> Json => OperationJson.For<RestDeployment>(IntegrationJson.Default);

    protected override string? Validate(RestDeployment parameters) => Required(("restApiId", parameters.RestApiId));

    protected override Inversion Invert(AuditAction done, RestDeployment parameters) => Inversion.NothingToUndo;

    private static async Task<Dictionary<string, string?>> StagesAsync(Aws.ApiGateway.ApiGatewayClient rest, string restApiId, CancellationToken ct) =>
        (await rest.GetStagesAsync(restApiId, ct).ConfigureAwait(false)).ToDictionary(s => s.StageName, s => s.DeploymentId, StringComparer.Ordinal);

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, RestDeployment parameters, CancellationToken cancellationToken)
    {
        var rest = clients.ApiGateway;
        var restApiId = parameters.RestApiId;
        var before = await StagesAsync(rest, restApiId, cancellationToken).ConfigureAwait(false);
        run.Before = StepStates.Of(StepStates.Stages, before);
        // A null stage means "every stage", resolved now: the planner could not read them.
        var targets = parameters.StageName is { Length: > 0 } stage ? [stage] : before.Keys.Order(StringComparer.Ordinal).ToList();
        if (targets.Count == 0)
        {
            run.AlreadyThere(run.Before, $"REST API '{restApiId}' has no stage: nothing serves the integration, nothing to deploy");
            return;
        }

        var deployed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            deployed[target] = await rest.CreateDeploymentAsync(restApiId, target, "remediator: integration change", cancellationToken).ConfigureAwait(false);
            run.Called = true;
        }

        var after = await StagesAsync(rest, restApiId, cancellationToken).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Stages, after);
        run.Verified = deployed.All(d => after.TryGetValue(d.Key, out var id) && id == d.Value);
    }
}
