using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Core.Operations;

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

/// <summary>The bus policy before either call is its inverse: put it back, or remove all when there was none.</summary>
internal static class BusPolicyInverse
{
    public static Inversion Of(AuditAction done, string? busName)
    {
        if (!StepStates.TryReadString(done.Before, StepStates.Policy, out var policy))
        {
            return Inversion.Unknown("the bus policy before the change was not recorded");
        }

        return policy is null
            ? Inversion.Of(OperationCatalogue.RemovePermission.UndoStep(done, "Remove the bus policy again: there was none before.", new BusPermissionRemoval(busName, RemoveAllPermissions: true)))
            : Inversion.Of(OperationCatalogue.PutPermission.UndoStep(done, "Put back the bus policy as it was before.", new BusPolicyPut(busName, policy)));
    }
}

public sealed class RemovePermissionOperation : RemediationOperation<BusPermissionRemoval>
{
    internal RemovePermissionOperation()
        : base("events:RemovePermission", ["events:RemovePermission"], ["events:DescribeEventBus"])
    {
    }

    protected override JsonTypeInfo<BusPermissionRemoval> Json => OperationJsonContext.Default.BusPermissionRemoval;

    protected override string? Validate(BusPermissionRemoval parameters) =>
        parameters.RemovesAll ? null : Required(("StatementId", parameters.StatementId));

    protected override Inversion Invert(AuditAction done, BusPermissionRemoval parameters) => BusPolicyInverse.Of(done, parameters.EventBusName);
}

public sealed class PutPermissionOperation : RemediationOperation<BusPolicyPut>
{
    internal PutPermissionOperation()
        : base("events:PutPermission", ["events:PutPermission"], ["events:DescribeEventBus"])
    {
    }

    protected override JsonTypeInfo<BusPolicyPut> Json => OperationJsonContext.Default.BusPolicyPut;

    protected override string? Validate(BusPolicyPut parameters) => string.IsNullOrEmpty(parameters.Policy) ? "only PutPermission's policy form (a whole 'Policy') is carried out" : null;

    protected override Inversion Invert(AuditAction done, BusPolicyPut parameters) => BusPolicyInverse.Of(done, parameters.EventBusName);
}
