using System.Text.Json.Nodes;
using Remediator.Operations;

namespace Remediator.Detectors.Timeouts;

/// <summary>
/// Finds Lambda functions whose timeout is above the allowed maximum, or that were created without one (3 s taken by
/// accident). CreateFunction and UpdateFunctionConfiguration, whatever API-version suffix the event name carries.
/// The effective timeout is, in order of trust: the function's current configuration (port), the event's response,
/// the event's request.
/// </summary>
public sealed class LambdaTimeoutDetector : ResourceDetector<LambdaTimeoutOptions>
{
    public const string Name = "lambda-timeout";
    public const string CheckAboveMaximum = "timeout-above-maximum";
    public const string CheckDefaultTimeout = "default-timeout";
    public const string ResourceType = "AWS::Lambda::Function";
    public const int LambdaDefaultSeconds = 3;

    private LambdaTimeoutDetector()
        : base(Concerns.MissingTimeout, "lambda.amazonaws.com", "CreateFunction", "UpdateFunctionConfiguration")
    {
    }

    public static DetectorDescriptor Descriptor { get; } = new LambdaTimeoutDetector().Describe(
        Name,
        "Flags Lambda functions created without a timeout (the 3 s default) or with a timeout above the allowed maximum; "
        + "reverts with UpdateFunctionConfiguration to the target timeout, only ever shorter (raiseDefaultTimeout allows raising a 3 s default).",
        LambdaTimeoutOptions.Specs,
        LambdaTimeoutOptions.Bind);

    protected override async ValueTask<IReadOnlyList<Finding>> JudgeAsync(DetectionContext context, LambdaTimeoutOptions options, CancellationToken cancellationToken)
    {
        var ev = context.Event;
        var request = ev.RequestParameters;
        var response = ev.ResponseElements;
        var isCreate = ev.OperationName == "CreateFunction";
        var requestSetsTimeout = EventValues.HasMember(request, "timeout");
        if (!isCreate && !requestSetsTimeout)
        {
            return []; // UpdateFunctionConfiguration without a timeout key leaves the timeout as it was
        }

        var nameOrArn = EventValues.String(response, "functionName") ?? EventValues.String(request, "functionName");
        if (nameOrArn is null)
        {
            return [];
        }

        var functionName = FunctionNames.NameOf(nameOrArn);
        var functionArn = FunctionArn(ev, response, request, functionName);

        var current = await context.State.Lambda.GetFunctionTimeoutAsync(functionArn, cancellationToken).ConfigureAwait(false);
        var fromEvent = EventValues.Integer(response, "timeout") ?? EventValues.Integer(request, "timeout");
        long? effective = current ?? fromEvent ?? (isCreate && !requestSetsTimeout ? LambdaDefaultSeconds : null);
        var maximum = options.MaximumFor(functionName);

        string check;
        string summary;
        var evidence = new List<string>
        {
            current is not null ? $"current timeout (GetFunctionConfiguration): {current} s" : $"timeout from the event: {Show(fromEvent)}",
            $"maximum for '{functionName}': {maximum} s" + (options.Overrides.ContainsKey(functionName) ? " (override)" : string.Empty),
        };
        if (effective > maximum)
        {
            check = CheckAboveMaximum;
            summary = $"Lambda function '{functionName}' has a timeout of {effective} s, above the maximum of {maximum} s.";
        }
        else if (isCreate && !requestSetsTimeout && options.Timeout.FlagDefault && (current is null || current == LambdaDefaultSeconds))
        {
            // A function whose current timeout differs from 3 s was given one since: the default is no longer in force.
            check = CheckDefaultTimeout;
            summary = $"Lambda function '{functionName}' was created without a timeout and runs with Lambda's {LambdaDefaultSeconds} s default.";
            evidence.Add("CreateFunction request has no 'timeout'");
        }
        else
        {
            return [];
        }

        // The revert never lengthens a timeout unless the rule explicitly allows raising a 3 s default: a longer
        // timeout is the opposite of this rule's purpose. Without a revert step the planner tags and notifies only.
        var target = options.TargetFor(functionName);
        var shortens = effective is null || target < effective;
        if (!shortens && !options.RaiseDefaultTimeout)
        {
            evidence.Add($"not reverted: the target of {target} s would lengthen the timeout (set raiseDefaultTimeout to allow it)");
        }

        return
        [
            Found(context, functionArn, ResourceType, check, summary, evidence,
                shortens || options.RaiseDefaultTimeout ? [Revert(functionName, functionArn, target, effective)] : []),
        ];
    }

    private static PlannedAction Revert(string functionName, string functionArn, int target, long? previous) =>
        OperationCatalogue.UpdateFunctionConfiguration.Plan(ActionNames.Revert, functionArn,
            $"Set the timeout of Lambda function '{functionName}' to {target} s" + (previous is null ? "." : $" (was {previous} s)."),
            new FunctionTimeout(functionArn, target, previous));

    /// <summary>The response's functionArn, a full ARN in the request, or one built from region and account; else the name.</summary>
    private static string FunctionArn(CloudTrailEvent ev, System.Text.Json.JsonElement response, System.Text.Json.JsonElement request, string functionName)
    {
        foreach (var candidate in new[] { EventValues.String(response, "functionArn"), EventValues.String(request, "functionName") })
        {
            if (ResourceArns.IsArn(candidate) && ResourceArns.ResourceOf(candidate!) is { } resource
                && resource.StartsWith("function:", StringComparison.Ordinal))
            {
                return candidate!;
            }
        }

        return ResourceArns.Build("lambda", ev.AwsRegion, ev.RecipientAccountId, "function:" + functionName) ?? functionName;
    }

    private static string Show(long? seconds) => seconds is null ? "unknown" : $"{seconds} s";
}
