using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Aws.EventBridge;
using Remediator.Core.Execution;

namespace Remediator.Aws.Execution;

/// <summary>Event bus policy steps (RemovePermission by statement or all, PutPermission's policy form) and bus tags.</summary>
internal sealed class EventBridgeSteps(EventBridgeClient events)
{
    public void Register(Dictionary<string, Func<StepRun, CancellationToken, Task>> handlers)
    {
        handlers["events:RemovePermission"] = RemoveAsync;
        handlers["events:PutPermission"] = PutPolicyAsync;
        handlers["events:TagResource"] = (run, ct) => TagsAsync(run, untag: false, ct);
        handlers["events:UntagResource"] = (run, ct) => TagsAsync(run, untag: true, ct);
    }

    private async Task<string?> PolicyAsync(string? bus, CancellationToken ct)
    {
        var policy = (await events.DescribeEventBusAsync(bus, ct).ConfigureAwait(false)).Policy;
        return string.IsNullOrEmpty(policy) ? null : policy;
    }

    private async Task RemoveAsync(StepRun run, CancellationToken ct)
    {
        var bus = run.Optional("EventBusName");
        var all = StepParameters.Bool(run.Parameters, "RemoveAllPermissions");
        var statementId = all ? null : run.Require("StatementId");
        var before = await PolicyAsync(bus, ct).ConfigureAwait(false);
        var state = StepStates.Of(StepStates.Policy, before);
        if (before is null || (statementId is not null && !StatementIds(before).Contains(statementId)))
        {
            run.AlreadyThere(state, before is null ? "the bus has no policy: nothing to remove" : $"statement '{statementId}' was already gone");
            return;
        }

        run.Before = state;
        if (all)
        {
            await events.RemoveAllPermissionsAsync(bus, ct).ConfigureAwait(false);
        }
        else
        {
            await events.RemovePermissionAsync(bus, statementId!, ct).ConfigureAwait(false);
        }

        run.Called = true;

        var after = await PolicyAsync(bus, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Policy, after);
        run.Verified = all ? after is null || StatementIds(after).Count == 0 : after is null || !StatementIds(after).Contains(statementId!);
    }

    private async Task PutPolicyAsync(StepRun run, CancellationToken ct)
    {
        var bus = run.Optional("EventBusName");
        if (run.Optional("Policy") is not { } policy)
        {
            throw new StepParameterException($"{run.Step.Operation} on {run.Step.Resource}: only PutPermission's policy form (a whole 'Policy') is carried out");
        }

        run.Before = StepStates.Of(StepStates.Policy, await PolicyAsync(bus, ct).ConfigureAwait(false));
        await events.PutPolicyAsync(bus, policy, ct).ConfigureAwait(false);
        run.Called = true;
        var after = await PolicyAsync(bus, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Policy, after);
        // EventBridge fills in Resource ARNs and may reorder: compare the statement ids it kept.
        run.Verified = after is not null && StatementIds(after).SetEquals(StatementIds(policy));
    }

    private async Task TagsAsync(StepRun run, bool untag, CancellationToken ct)
    {
        var arn = run.Require("ResourceARN");
        await TagSteps.RunAsync(run, untag,
            () => events.ListTagsForResourceAsync(arn, ct),
            tags => events.TagResourceAsync(arn, tags, ct),
            keys => events.UntagResourceAsync(arn, keys, ct)).ConfigureAwait(false);
    }

    private static HashSet<string> StatementIds(string policy)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var statements = JsonNode.Parse(policy)?["Statement"];
            foreach (var statement in statements is JsonArray list ? list : new JsonArray(statements?.DeepClone()))
            {
                if (statement?["Sid"] is JsonValue sid && sid.TryGetValue<string>(out var text))
                {
                    ids.Add(text);
                }
            }
        }
        catch (JsonException)
        {
        }

        return ids;
    }
}
