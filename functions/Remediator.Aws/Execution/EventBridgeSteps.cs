using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Aws.EventBridge;
using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Aws.Execution;

/// <summary>Event bus policy steps (RemovePermission by statement or all, PutPermission's policy form) and bus tags.</summary>
internal sealed class EventBridgeSteps(EventBridgeClient events)
{
    public void Register(OperationHandlers handlers)
    {
        handlers.Add(OperationCatalogue.RemovePermission, RemoveAsync);
        handlers.Add(OperationCatalogue.PutPermission, PutPolicyAsync);
        TagSteps.Register(handlers, OperationCatalogue.EventBusTags, events.ListTagsForResourceAsync, events.TagResourceAsync, events.UntagResourceAsync);
    }

    private async Task<string?> PolicyAsync(string? bus, CancellationToken ct)
    {
        var policy = (await events.DescribeEventBusAsync(bus, ct).ConfigureAwait(false)).Policy;
        return string.IsNullOrEmpty(policy) ? null : policy;
    }

    private async Task RemoveAsync(StepRun run, BusPermissionRemoval parameters, CancellationToken ct)
    {
        var bus = string.IsNullOrEmpty(parameters.EventBusName) ? null : parameters.EventBusName;
        var all = parameters.RemovesAll;
        var statementId = all ? null : parameters.StatementId;
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

    private async Task PutPolicyAsync(StepRun run, BusPolicyPut parameters, CancellationToken ct)
    {
        var bus = string.IsNullOrEmpty(parameters.EventBusName) ? null : parameters.EventBusName;
        var policy = parameters.Policy!;

        run.Before = StepStates.Of(StepStates.Policy, await PolicyAsync(bus, ct).ConfigureAwait(false));
        await events.PutPolicyAsync(bus, policy, ct).ConfigureAwait(false);
        run.Called = true;
        var after = await PolicyAsync(bus, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Policy, after);
        // EventBridge fills in Resource ARNs and may reorder: compare the statement ids it kept.
        run.Verified = after is not null && StatementIds(after).SetEquals(StatementIds(policy));
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
