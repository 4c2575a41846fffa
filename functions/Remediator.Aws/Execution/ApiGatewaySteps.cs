using System.Text.Json.Nodes;
using Remediator.Aws.ApiGateway;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using PatchOperation = Remediator.Aws.ApiGateway.PatchOperation;

namespace Remediator.Aws.Execution;

/// <summary>
/// Integration timeouts (REST: patch operations; HTTP API when the parameters name an <c>ApiId</c>), REST deployments
/// (every stage when no stage is named) and tags of both API kinds.
/// </summary>
internal sealed class ApiGatewaySteps(ApiGatewayClient rest, ApiGatewayV2Client http)
{
    public void Register(OperationHandlers handlers)
    {
        handlers.Add(OperationCatalogue.HttpUpdateIntegration, UpdateHttpAsync);
        handlers.Add(OperationCatalogue.RestUpdateIntegration, UpdateRestAsync);
        handlers.Add(OperationCatalogue.CreateDeployment, DeployAsync);
        TagSteps.Register(handlers, OperationCatalogue.RestApiTags, rest.GetTagsAsync, rest.TagResourceAsync, rest.UntagResourceAsync);
        TagSteps.Register(handlers, OperationCatalogue.HttpApiTags, http.GetTagsAsync, http.TagResourceAsync, http.UntagResourceAsync);
    }

    private static string Timeout(int? millis) => StepStates.Of(StepStates.TimeoutInMillis, millis is null ? null : JsonValue.Create(millis.Value));

    private async Task UpdateHttpAsync(StepRun run, HttpIntegrationUpdate parameters, CancellationToken ct)
    {
        var (apiId, integrationId, _, _) = parameters;
        var target = parameters.TimeoutInMillis!.Value;
        var before = (await http.GetIntegrationAsync(apiId, integrationId, ct).ConfigureAwait(false)).TimeoutInMillis;
        if (before == target)
        {
            run.AlreadyThere(Timeout(before), $"the timeout was already {target} ms");
            return;
        }

        run.Before = Timeout(before);
        await http.UpdateTimeoutAsync(apiId, integrationId, target, ct).ConfigureAwait(false);
        run.Called = true;
        var after = (await http.GetIntegrationAsync(apiId, integrationId, ct).ConfigureAwait(false)).TimeoutInMillis;
        run.After = Timeout(after);
        run.Verified = after == target;
    }

    private async Task UpdateRestAsync(StepRun run, RestIntegrationUpdate parameters, CancellationToken ct)
    {
        var (restApiId, resourceId, httpMethod, _, _) = parameters;
        var operations = parameters.PatchOperations!.Select(o => new PatchOperation(o.Op, o.Path, o.Value)).ToList();
        var timeoutOperation = operations.Find(o => string.Equals(o.Path, RestIntegrationUpdate.TimeoutPath, StringComparison.OrdinalIgnoreCase) && o.Op == "replace");
        var target = int.TryParse(timeoutOperation?.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
        var before = (await rest.GetIntegrationAsync(restApiId, resourceId, httpMethod, ct).ConfigureAwait(false)).TimeoutInMillis;
        run.Before = Timeout(before);
        await rest.UpdateIntegrationAsync(restApiId, resourceId, httpMethod, operations, ct).ConfigureAwait(false);
        run.Called = true;
        var after = (await rest.GetIntegrationAsync(restApiId, resourceId, httpMethod, ct).ConfigureAwait(false)).TimeoutInMillis;
        run.After = Timeout(after);
        run.Verified = target is not null && after == target;
        if (!run.Verified)
        {
            run.Note = "the change serves nothing until the following deployment step";
        }
    }

    private async Task<Dictionary<string, string?>> StagesAsync(string restApiId, CancellationToken ct) =>
        (await rest.GetStagesAsync(restApiId, ct).ConfigureAwait(false)).ToDictionary(s => s.StageName, s => s.DeploymentId, StringComparer.Ordinal);

    private async Task DeployAsync(StepRun run, RestDeployment parameters, CancellationToken ct)
    {
        var restApiId = parameters.RestApiId;
        var before = await StagesAsync(restApiId, ct).ConfigureAwait(false);
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
            deployed[target] = await rest.CreateDeploymentAsync(restApiId, target, "remediator: integration change", ct).ConfigureAwait(false);
            run.Called = true;
        }

        var after = await StagesAsync(restApiId, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Stages, after);
        run.Verified = deployed.All(d => after.TryGetValue(d.Key, out var id) && id == d.Value);
    }
}
