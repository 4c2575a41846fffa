using System.Text.Json.Nodes;
using Remediator.Aws.ApiGateway;
using Remediator.Core.Execution;

namespace Remediator.Aws.Execution;

/// <summary>
/// Integration timeouts (REST: patch operations; HTTP API when the parameters name an <c>ApiId</c>), REST deployments
/// (every stage when no stage is named) and tags of both API kinds.
/// </summary>
internal sealed class ApiGatewaySteps(ApiGatewayClient rest, ApiGatewayV2Client http)
{
    private const string TimeoutPath = "/timeoutInMillis";

    public void Register(Dictionary<string, Func<StepRun, CancellationToken, Task>> handlers)
    {
        handlers["apigateway:UpdateIntegration"] = (run, ct) => run.Parameters.ContainsKey("ApiId") ? UpdateHttpAsync(run, ct) : UpdateRestAsync(run, ct);
        handlers["apigateway:CreateDeployment"] = DeployAsync;
        handlers["apigateway:TagResource"] = (run, ct) => TagsAsync(run, untag: false, ct);
        handlers["apigateway:UntagResource"] = (run, ct) => TagsAsync(run, untag: true, ct);
    }

    private static string Timeout(int? millis) => StepStates.Of(StepStates.TimeoutInMillis, millis is null ? null : JsonValue.Create(millis.Value));

    private async Task UpdateHttpAsync(StepRun run, CancellationToken ct)
    {
        var apiId = run.Require("ApiId");
        var integrationId = run.Require("IntegrationId");
        var target = run.RequireInt("TimeoutInMillis");
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

    private async Task UpdateRestAsync(StepRun run, CancellationToken ct)
    {
        var restApiId = run.Require("restApiId");
        var resourceId = run.Require("resourceId");
        var httpMethod = run.Require("httpMethod");
        var operations = (run.Parameters["patchOperations"] as JsonArray)?.OfType<JsonObject>()
            .Select(o => new PatchOperation(StepParameters.String(o, "op") ?? "", StepParameters.String(o, "path") ?? "", StepParameters.String(o, "value")))
            .ToList();
        if (operations is not { Count: > 0 } || operations.Exists(o => o.Op.Length == 0 || o.Path.Length == 0))
        {
            throw new StepParameterException($"{run.Step.Operation} on {run.Step.Resource}: 'patchOperations' must list op and path");
        }

        var timeoutOperation = operations.Find(o => string.Equals(o.Path, TimeoutPath, StringComparison.OrdinalIgnoreCase) && o.Op == "replace");
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

    private async Task DeployAsync(StepRun run, CancellationToken ct)
    {
        var restApiId = run.Require("restApiId");
        var before = await StagesAsync(restApiId, ct).ConfigureAwait(false);
        run.Before = StepStates.Of(StepStates.Stages, before);
        // A null stage means "every stage", resolved now: the planner could not read them.
        var targets = run.Optional("stageName") is { } stage ? [stage] : before.Keys.Order(StringComparer.Ordinal).ToList();
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

    private async Task TagsAsync(StepRun run, bool untag, CancellationToken ct)
    {
        // REST APIs name it resourceArn/tags/tagKeys, HTTP APIs ResourceArn/Tags/TagKeys (as the planners write them).
        if (run.Parameters.ContainsKey("ResourceArn"))
        {
            var arn = run.Require("ResourceArn");
            await TagSteps.RunAsync(run, untag,
                () => http.GetTagsAsync(arn, ct),
                tags => http.TagResourceAsync(arn, tags, ct),
                keys => http.UntagResourceAsync(arn, keys, ct)).ConfigureAwait(false);
            return;
        }

        var restArn = run.Require("resourceArn");
        await TagSteps.RunAsync(run, untag,
            () => rest.GetTagsAsync(restArn, ct),
            tags => rest.TagResourceAsync(restArn, tags, ct),
            keys => rest.UntagResourceAsync(restArn, keys, ct)).ConfigureAwait(false);
    }
}
