using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.EventBridge;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using Remediator.Core.Registry;
using Remediator.Core.Remediation;

namespace Remediator.Operations;

/// <summary>
/// events:RemovePermission, by statement or all of them. <c>Previous*</c> members are kept for people and undo; the
/// call does not use them.
/// </summary>
public sealed record BusPermissionRemoval(
    string? EventBusName,
    string? StatementId = null,
    bool? RemoveAllPermissions = null,
    string? PreviousStatement = null,
    string? PreviousPolicy = null)
{
    [JsonIgnore] public bool RemovesAll => RemoveAllPermissions == true;
}

/// <summary>events:PutPermission in its policy form: the bus's whole policy.</summary>
public sealed record BusPolicyPut(string? EventBusName, string? Policy, string? PreviousPolicy = null);

[JsonSerializable(typeof(BusPermissionRemoval))]
[JsonSerializable(typeof(BusPolicyPut))]
internal sealed partial class BusPolicyJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static RemovePermissionOperation RemovePermission { get; } = Register(new RemovePermissionOperation());

    public static PutPermissionOperation PutPermission { get; } = Register(new PutPermissionOperation());
}

/// <summary>
/// What the two bus policy calls share: the policy before either is its inverse (put it back, or remove all when there
/// was none), and both read the policy the same way.
/// </summary>
internal static class BusPolicy
{
    public static Inversion Inverse(AuditAction done, string? busName)
    {
        if (!StepStates.TryReadString(done.Before, StepStates.Policy, out var policy))
        {
            return Inversion.Unknown("the bus policy before the change was not recorded");
        }

        return policy is null
            ? Inversion.Of(OperationCatalogue.RemovePermission.UndoStep(done, "Remove the bus policy again: there was none before.", new BusPermissionRemoval(busName, RemoveAllPermissions: true)))
            : Inversion.Of(OperationCatalogue.PutPermission.UndoStep(done, "Put back the bus policy as it was before.", new BusPolicyPut(busName, policy)));
    }

    /// <summary>The bus named by a step (null: the default bus).</summary>
    public static string? Bus(string? name) => string.IsNullOrEmpty(name) ? null : name;

    public static async Task<string?> ReadAsync(EventBridgeClient events, string? bus, CancellationToken ct)
    {
        var policy = (await events.DescribeEventBusAsync(bus, ct).ConfigureAwait(false)).Policy;
        return string.IsNullOrEmpty(policy) ? null : policy;
    }

    public static HashSet<string> StatementIds(string policy)
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

/// <summary>events:RemovePermission: one statement, or the whole policy.</summary>
public sealed class RemovePermissionOperation : ExecutableOperation<BusPermissionRemoval>
{
    internal RemovePermissionOperation()
        : base("events:RemovePermission", ["events:RemovePermission"], ["events:DescribeEventBus"])
    {
    }

    protected override JsonTypeInfo<BusPermissionRemoval> Json => OperationJson.For<BusPermissionRemoval>(BusPolicyJson.Default);

    protected override string? Validate(BusPermissionRemoval parameters) =>
        parameters.RemovesAll ? null : Required(("StatementId", parameters.StatementId));

    protected override Inversion Invert(AuditAction done, BusPermissionRemoval parameters) => BusPolicy.Inverse(done, parameters.EventBusName);

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, BusPermissionRemoval parameters, CancellationToken cancellationToken)
    {
        var events = clients.EventBridge;
        var bus = BusPolicy.Bus(parameters.EventBusName);
        var all = parameters.RemovesAll;
        var statementId = all ? null : parameters.StatementId;
        var before = await BusPolicy.ReadAsync(events, bus, cancellationToken).ConfigureAwait(false);
        var state = StepStates.Of(StepStates.Policy, before);
        if (before is null || (statementId is not null && !BusPolicy.StatementIds(before).Contains(statementId)))
        {
            run.AlreadyThere(state, before is null ? "the bus has no policy: nothing to remove" : $"statement '{statementId}' was already gone");
            return;
        }

        run.Before = state;
        if (all)
        {
            await events.RemoveAllPermissionsAsync(bus, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await events.RemovePermissionAsync(bus, statementId!, cancellationToken).ConfigureAwait(false);
        }

        run.Called = true;

        var after = await BusPolicy.ReadAsync(events, bus, cancellationToken).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Policy, after);
        run.Verified = all ? after is null || BusPolicy.StatementIds(after).Count == 0 : after is null || !BusPolicy.StatementIds(after).Contains(statementId!);
    }
}

/// <summary>events:PutPermission in its policy form (the whole policy).</summary>
public sealed class PutPermissionOperation : ExecutableOperation<BusPolicyPut>
{
    internal PutPermissionOperation()
        : base("events:PutPermission", ["events:PutPermission"], ["events:DescribeEventBus"])
    {
        WritesDocument = true;
    }

    /// <summary>
    /// What a guard that may not write a bus policy does instead of <paramref name="put"/>: remove every statement (the
    /// bus becomes private), keeping the policy before for undo and the rewrite for the person who decides.
    /// </summary>
    public PlannedAction Containment(PlannedAction put)
    {
        ArgumentNullException.ThrowIfNull(put);
        var parameters = ReadLeniently(put.Parameters);
        return OperationCatalogue.RemovePermission.Plan(ActionNames.Quarantine, put.Resource,
            $"Remove every statement from the policy of event bus '{parameters.EventBusName ?? "default"}' (instead of: {put.Description} That writes a whole policy, which only the approval worker may do after a person decides.)",
            new BusPermissionRemoval(parameters.EventBusName, RemoveAllPermissions: true, PreviousPolicy: parameters.PreviousPolicy));
    }

    protected override JsonTypeInfo<BusPolicyPut> Json => OperationJson.For<BusPolicyPut>(BusPolicyJson.Default);

    protected override string? Validate(BusPolicyPut parameters) => string.IsNullOrEmpty(parameters.Policy) ? "only PutPermission's policy form (a whole 'Policy') is carried out" : null;

    protected override Inversion Invert(AuditAction done, BusPolicyPut parameters) => BusPolicy.Inverse(done, parameters.EventBusName);

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, BusPolicyPut parameters, CancellationToken cancellationToken)
    {
        var events = clients.EventBridge;
        var bus = BusPolicy.Bus(parameters.EventBusName);
        var policy = parameters.Policy!;

        run.Before = StepStates.Of(StepStates.Policy, await BusPolicy.ReadAsync(events, bus, cancellationToken).ConfigureAwait(false));
        await events.PutPolicyAsync(bus, policy, cancellationToken).ConfigureAwait(false);
        run.Called = true;
        var after = await BusPolicy.ReadAsync(events, bus, cancellationToken).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Policy, after);
        // EventBridge fills in Resource ARNs and may reorder: compare the statement ids it kept.
        run.Verified = after is not null && BusPolicy.StatementIds(after).SetEquals(BusPolicy.StatementIds(policy));
    }
}
