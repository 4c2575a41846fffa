using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Operations;

namespace Remediator.Detectors.Timeouts;

/// <summary>
/// Finds API Gateway integrations whose timeout is above the allowed maximum or at the service maximum, for REST APIs
/// (PutIntegration, UpdateIntegration) and HTTP APIs (CreateIntegration, UpdateIntegration). Both log eventSource
/// <c>apigateway.amazonaws.com</c> and share the name UpdateIntegration: the request shape tells them apart
/// (<c>restApiId</c> for REST, <c>apiId</c> for HTTP).
/// </summary>
/// <remarks>
/// An integration created without a timeout gets the service maximum, so it is judged at that value. A MOCK
/// integration has no backend to wait for, so it is never a finding. WebSocket APIs also log <c>apiId</c>; an
/// integration is known to be WebSocket when the request uses what only WebSocket integrations accept (type AWS, HTTP
/// or MOCK, passthroughBehavior, templateSelectionExpression, contentHandlingStrategy, requestTemplates), and is then
/// named and limited as WebSocket (29,000 ms); otherwise it is judged as an HTTP API.
/// </remarks>
public sealed class ApiIntegrationTimeoutDetector : ResourceDetector<TimeoutOptions>
{
    public const string Name = "api-integration-timeout";
    public const string CheckAboveMaximum = "timeout-above-maximum";
    public const string CheckAtServiceMaximum = "timeout-at-service-maximum";
    public const string RestApiResourceType = "AWS::ApiGateway::RestApi";
    public const string HttpApiResourceType = "AWS::ApiGatewayV2::Api";
    private const string TimeoutPath = "/timeoutInMillis";

    /// <summary>CreateIntegration members that API Gateway accepts only for WebSocket APIs.</summary>
    private static readonly string[] WebSocketOnlyMembers = ["passthroughBehavior", "templateSelectionExpression", "contentHandlingStrategy", "requestTemplates"];

    private ApiIntegrationTimeoutDetector()
        : base(Concerns.MissingTimeout, "apigateway.amazonaws.com")
    {
    }

    public static DetectorDescriptor Descriptor { get; } = new ApiIntegrationTimeoutDetector().Describe(
        Name,
        "Flags API Gateway REST and HTTP API integrations whose timeout is above the allowed maximum or at the service maximum; "
        + "reverts with UpdateIntegration (and, for REST APIs, a redeployment of the stages).",
        ApiIntegrationTimeoutOptions.Specs,
        ApiIntegrationTimeoutOptions.Bind);

    protected override async ValueTask<IReadOnlyList<Finding>> JudgeAsync(DetectionContext context, TimeoutOptions options, CancellationToken cancellationToken)
    {
        var ev = context.Event;
        var request = ev.RequestParameters;
        if (EventValues.String(request, "restApiId") is { } restApiId && ev.OperationName is "PutIntegration" or "UpdateIntegration")
        {
            return await DetectRestAsync(context, options, restApiId, cancellationToken).ConfigureAwait(false);
        }

        if (EventValues.String(request, "apiId") is { } apiId && ev.OperationName is "CreateIntegration" or "UpdateIntegration")
        {
            return await DetectHttpAsync(context, options, apiId, cancellationToken).ConfigureAwait(false);
        }

        return [];
    }

    private async ValueTask<IReadOnlyList<Finding>> DetectRestAsync(
        DetectionContext context, TimeoutOptions options, string restApiId, CancellationToken cancellationToken)
    {
        var ev = context.Event;
        var request = ev.RequestParameters;
        var input = JsonText.MemberIgnoreCase(request, ev.OperationName == "PutIntegration" ? "putIntegrationInput" : "updateIntegrationInput");
        var resourceId = EventValues.String(request, "resourceId") ?? EventValues.String(input, "resourceId");
        var httpMethod = EventValues.String(request, "httpMethod") ?? EventValues.String(input, "httpMethod");

        if (ReadRequestedTimeout(ev, input) is not { } requested)
        {
            return []; // an UpdateIntegration that does not touch the timeout
        }

        if (IsMock(request, input))
        {
            return []; // no backend, nothing to wait for (CORS preflights, canned answers)
        }

        long? current = resourceId is not null && httpMethod is not null
            ? await context.State.ApiGateway.GetRestIntegrationTimeoutAsync(restApiId, resourceId, httpMethod, cancellationToken).ConfigureAwait(false)
            : null;
        var effective = current ?? EventValues.Integer(ev.ResponseElements, "timeoutInMillis") ?? requested.Millis ?? ApiIntegrationTimeoutOptions.RestServiceMaximumMillis;

        var integrationPath = $"/restapis/{restApiId}/resources/{resourceId ?? "?"}/methods/{httpMethod ?? "?"}/integration";
        var verdict = Judge(options, effective, ApiIntegrationTimeoutOptions.RestServiceMaximumMillis);
        if (verdict is null)
        {
            return [];
        }

        var apiArn = ResourceArns.BuildApiGateway(ev.AwsRegion, $"/restapis/{restApiId}") ?? $"/restapis/{restApiId}";
        var evidence = Evidence(current, requested, effective, options);
        evidence.Insert(0, $"integration: {integrationPath}");

        var steps = new List<PlannedAction>();
        if (resourceId is not null && httpMethod is not null)
        {
            var stages = await context.State.ApiGateway.GetStagesAsync(restApiId, cancellationToken).ConfigureAwait(false);
            steps.Add(RestUpdate(ev.AwsRegion, restApiId, resourceId, httpMethod, integrationPath, options.Target, effective));
            steps.AddRange(RestDeployments(ev.AwsRegion, restApiId, stages));
        }
        else
        {
            evidence.Add("no revert: the event does not name the integration's resourceId and httpMethod");
        }

        return
        [
            Found(context, apiArn, RestApiResourceType, verdict.Value.Check,
                $"REST API '{restApiId}' integration {httpMethod ?? "?"} on resource '{resourceId ?? "?"}' has a timeout of {effective} ms, {verdict.Value.Why}.",
                evidence, steps),
        ];
    }

    private async ValueTask<IReadOnlyList<Finding>> DetectHttpAsync(
        DetectionContext context, TimeoutOptions options, string apiId, CancellationToken cancellationToken)
    {
        var ev = context.Event;
        var request = ev.RequestParameters;
        var input = JsonText.MemberIgnoreCase(request, ev.OperationName == "CreateIntegration" ? "createIntegrationInput" : "updateIntegrationInput");
        var integrationId = EventValues.String(request, "integrationId") ?? EventValues.String(input, "integrationId")
            ?? EventValues.String(ev.ResponseElements, "integrationId");

        var requestedMillis = EventValues.Integer(input, "timeoutInMillis") ?? EventValues.Integer(request, "timeoutInMillis");
        var sendsTimeout = EventValues.HasMember(input, "timeoutInMillis") || EventValues.HasMember(request, "timeoutInMillis");
        if (ev.OperationName == "UpdateIntegration" && !sendsTimeout)
        {
            return []; // an UpdateIntegration that does not touch the timeout
        }

        if (IsMock(request, input))
        {
            return []; // no backend, nothing to wait for (WebSocket connect routes, canned answers)
        }

        var isWebSocket = IsWebSocket(request, input);
        var kind = isWebSocket ? "WebSocket API" : "HTTP API";
        var serviceMaximum = isWebSocket ? ApiIntegrationTimeoutOptions.RestServiceMaximumMillis : ApiIntegrationTimeoutOptions.HttpServiceMaximumMillis;

        long? current = integrationId is not null
            ? await context.State.ApiGateway.GetHttpIntegrationTimeoutAsync(apiId, integrationId, cancellationToken).ConfigureAwait(false)
            : null;
        var effective = current ?? EventValues.Integer(ev.ResponseElements, "timeoutInMillis") ?? requestedMillis ?? serviceMaximum;
        var verdict = Judge(options, effective, serviceMaximum);
        if (verdict is null)
        {
            return [];
        }

        var apiArn = ResourceArns.BuildApiGateway(ev.AwsRegion, $"/apis/{apiId}") ?? $"/apis/{apiId}";
        var evidence = Evidence(current, new RequestedTimeout(requestedMillis, sendsTimeout ? "request" : "none"), effective, options);
        evidence.Insert(0, $"integration: /apis/{apiId}/integrations/{integrationId ?? "?"}");
        var steps = new List<PlannedAction>();
        if (integrationId is not null)
        {
            var path = $"/apis/{apiId}/integrations/{integrationId}";
            steps.Add(OperationCatalogue.HttpUpdateIntegration.Plan(ActionNames.Revert,
                ResourceArns.BuildApiGateway(ev.AwsRegion, path) ?? path,
                $"Set the timeout of {kind} '{apiId}' integration '{integrationId}' to {options.Target} ms (was {effective} ms); "
                + "stages with auto-deploy pick it up, others need a deployment.",
                new HttpIntegrationUpdate(apiId, integrationId, options.Target, effective)));
        }
        else
        {
            evidence.Add("no revert: the event does not name the integration id");
        }

        return
        [
            Found(context, apiArn, HttpApiResourceType, verdict.Value.Check,
                $"{kind} '{apiId}' integration '{integrationId ?? "?"}' has a timeout of {effective} ms, {verdict.Value.Why}.",
                evidence, steps),
        ];
    }

    private static string? IntegrationType(JsonElement request, JsonElement input) =>
        EventValues.String(input, "integrationType") ?? EventValues.String(request, "integrationType")
        ?? EventValues.String(input, "type") ?? EventValues.String(request, "type");

    private static bool IsMock(JsonElement request, JsonElement input) =>
        string.Equals(IntegrationType(request, input), "MOCK", StringComparison.OrdinalIgnoreCase);

    /// <summary>HTTP APIs accept only AWS_PROXY and HTTP_PROXY integrations and none of the WebSocket-only members.</summary>
    private static bool IsWebSocket(JsonElement request, JsonElement input) =>
        IntegrationType(request, input)?.ToUpperInvariant() is "AWS" or "HTTP" or "MOCK"
        || WebSocketOnlyMembers.Any(m => EventValues.HasMember(input, m) || EventValues.HasMember(request, m));

    /// <summary>What the caller asked for: a value, "reset to default" (Millis null), or nothing about the timeout (null).</summary>
    private readonly record struct RequestedTimeout(long? Millis, string Source);

    /// <summary>
    /// PutIntegration: <c>putIntegrationInput.timeoutInMillis</c> (or top level), absent meaning the default.
    /// UpdateIntegration: a patch operation on <c>/timeoutInMillis</c>, top level or inside <c>updateIntegrationInput</c>;
    /// <c>remove</c> resets to the default.
    /// </summary>
    private static RequestedTimeout? ReadRequestedTimeout(CloudTrailEvent ev, JsonElement input)
    {
        var request = ev.RequestParameters;
        if (ev.OperationName == "PutIntegration")
        {
            var millis = EventValues.Integer(input, "timeoutInMillis") ?? EventValues.Integer(request, "timeoutInMillis");
            return new RequestedTimeout(millis, millis is null ? "none (service default)" : "request");
        }

        foreach (var holder in new[] { request, input })
        {
            var operations = JsonText.MemberIgnoreCase(holder, "patchOperations");
            if (operations.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var operation in operations.EnumerateArray())
            {
                if (!string.Equals(EventValues.String(operation, "path"), TimeoutPath, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                return string.Equals(EventValues.String(operation, "op"), "remove", StringComparison.OrdinalIgnoreCase)
                    ? new RequestedTimeout(null, "patch remove (service default)")
                    : new RequestedTimeout(EventValues.Integer(operation, "value"), "patch");
            }
        }

        return null;
    }

    private static (string Check, string Why)? Judge(TimeoutOptions options, long effective, int serviceMaximum)
    {
        if (effective > options.Maximum)
        {
            return (CheckAboveMaximum, $"above the maximum of {options.Maximum} ms");
        }

        if (options.FlagDefault && effective == serviceMaximum)
        {
            return (CheckAtServiceMaximum, $"the service maximum ({serviceMaximum} ms)");
        }

        return null;
    }

    private static List<string> Evidence(long? current, RequestedTimeout requested, long effective, TimeoutOptions options) =>
    [
        current is not null
            ? $"current timeout (GetIntegration): {current} ms"
            : $"timeout from the event ({requested.Source}): {(requested.Millis is { } m ? m.ToString(CultureInfo.InvariantCulture) + " ms" : "absent")}",
        $"effective timeout: {effective} ms; maximum allowed: {options.Maximum} ms",
    ];

    private static PlannedAction RestUpdate(string? region, string restApiId, string resourceId, string httpMethod, string integrationPath, int target, long previous) =>
        OperationCatalogue.RestUpdateIntegration.Plan(ActionNames.Revert, ResourceArns.BuildApiGateway(region, integrationPath) ?? integrationPath,
            $"Set the timeout of REST API '{restApiId}' integration {httpMethod} on resource '{resourceId}' to {target} ms (was {previous} ms).",
            RestIntegrationUpdate.Timeout(restApiId, resourceId, httpMethod, target, previous));

    /// <summary>
    /// A REST integration change serves nothing until deployed. One deployment per known stage; offline, one step whose
    /// <c>stageName</c> is null for the executor to resolve with GetStages. A deployment also publishes any other
    /// change made to the API since its last deployment: the description says so.
    /// </summary>
    private static IEnumerable<PlannedAction> RestDeployments(string? region, string restApiId, IReadOnlyList<string>? stages)
    {
        var path = $"/restapis/{restApiId}/deployments";
        var resource = ResourceArns.BuildApiGateway(region, path) ?? path;
        if (stages is null)
        {
            yield return OperationCatalogue.CreateDeployment.Plan(ActionNames.Revert, resource,
                $"Redeploy REST API '{restApiId}' to all stages (stage names resolved when carried out) so the new timeout takes effect; "
                + "this also publishes any other undeployed change.",
                new RestDeployment(restApiId, null));
            yield break;
        }

        foreach (var stage in stages)
        {
            yield return OperationCatalogue.CreateDeployment.Plan(ActionNames.Revert, resource,
                $"Redeploy REST API '{restApiId}' to stage '{stage}' so the new timeout takes effect; this also publishes any other undeployed change.",
                new RestDeployment(restApiId, stage));
        }
    }
}
