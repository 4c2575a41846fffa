using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.Iam;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using CorePrincipalKind = Remediator.Core.Ports.IamPrincipalKind;

namespace Remediator.Operations;

/// <summary>Put/Delete{Role,User}PermissionsBoundary; the boundary only for a put.</summary>
public interface IBoundaryParameters : IPrincipalParameters
{
    string? PermissionsBoundary { get; }
}

public sealed record RoleBoundary(string RoleName, string? PermissionsBoundary = null) : IBoundaryParameters
{
    [JsonIgnore] public CorePrincipalKind Kind => CorePrincipalKind.Role;

    [JsonIgnore] public string PrincipalName => RoleName;
}

public sealed record UserBoundary(string UserName, string? PermissionsBoundary = null) : IBoundaryParameters
{
    [JsonIgnore] public CorePrincipalKind Kind => CorePrincipalKind.User;

    [JsonIgnore] public string PrincipalName => UserName;
}

[JsonSerializable(typeof(RoleBoundary))]
[JsonSerializable(typeof(UserBoundary))]
internal sealed partial class BoundaryJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static BoundaryOperations<RoleBoundary> RoleBoundary { get; } = RegisterFamily(
        new BoundaryOperations<RoleBoundary>("Role", OperationJson.For<RoleBoundary>(BoundaryJson.Default), (name, boundary) => new RoleBoundary(name, boundary)));

    public static BoundaryOperations<UserBoundary> UserBoundary { get; } = RegisterFamily(
        new BoundaryOperations<UserBoundary>("User", OperationJson.For<UserBoundary>(BoundaryJson.Default), (name, boundary) => new UserBoundary(name, boundary)));
}

/// <summary>Put and delete of a permissions boundary, for roles and users (groups cannot have one).</summary>
public sealed class BoundaryOperations<T> : IOperationFamily
    where T : class, IBoundaryParameters
{
    internal BoundaryOperations(string noun, JsonTypeInfo<T> json, Func<string, string?, T> create)
    {
        Create = create;
        Put = new BoundaryOperation<T>($"iam:Put{noun}PermissionsBoundary", [$"iam:Get{noun}"], json, this, put: true);
        Delete = new BoundaryOperation<T>($"iam:Delete{noun}PermissionsBoundary", [$"iam:Get{noun}"], json, this, put: false);
    }

    /// <summary>(principal name, boundary or null) → parameters.</summary>
    public Func<string, string?, T> Create { get; }

    public BoundaryOperation<T> Put { get; }

    public BoundaryOperation<T> Delete { get; }

    IEnumerable<IAwsOperation> IOperationFamily.Members => [Put, Delete];
}

/// <summary>Set (the quarantine) or remove a permissions boundary. Inverse: the boundary before, or its removal.</summary>
public sealed class BoundaryOperation<T> : PairedIamOperation<T, BoundaryOperations<T>>
    where T : class, IBoundaryParameters
{
    internal BoundaryOperation(string name, IReadOnlyList<string> reads, JsonTypeInfo<T> json, BoundaryOperations<T> family, bool put)
        : base(name, reads, json, family, put)
    {
    }

    protected override string? Validate(T parameters) =>
        Required(("PrincipalName", parameters.PrincipalName))
        ?? (Adds && string.IsNullOrEmpty(parameters.PermissionsBoundary) ? "parameter 'PermissionsBoundary' is missing" : null);

    protected override Inversion Invert(AuditAction done, T parameters)
    {
        if (!StepStates.TryReadString(done.Before, StepStates.PermissionsBoundary, out var boundary))
        {
            return Inversion.Unknown("the permissions boundary before the change was not recorded");
        }

        if (!Adds && boundary is null)
        {
            return Inversion.NothingToUndo; // removing a boundary that was not there changed nothing
        }

        return boundary is null
            ? Inversion.Of(Family.Delete.UndoStep(done, "Remove the permissions boundary: there was none before.", Family.Create(parameters.PrincipalName, null)))
            : Inversion.Of(Family.Put.UndoStep(done, $"Put back permissions boundary '{boundary}'.", Family.Create(parameters.PrincipalName, boundary)));
    }

    private static async Task<string?> BoundaryOfAsync(IamClient iam, IamPrincipal principal, CancellationToken ct) =>
        principal.Kind == IamPrincipalKind.Role
            ? (await iam.GetRoleAsync(principal.Name, ct).ConfigureAwait(false)).PermissionsBoundaryArn
            : (await iam.GetUserAsync(principal.Name, ct).ConfigureAwait(false)).PermissionsBoundaryArn;

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, T parameters, CancellationToken cancellationToken)
    {
        var iam = clients.Iam;
        var principal = Principal(parameters);
        var boundary = Adds ? parameters.PermissionsBoundary : null; // null removes it
        var before = await BoundaryOfAsync(iam, principal, cancellationToken).ConfigureAwait(false);
        if (before == boundary)
        {
            run.AlreadyThere(StepStates.Of(StepStates.PermissionsBoundary, before), boundary is null ? $"{principal} had no permissions boundary" : $"{principal} already had boundary '{boundary}'");
            return;
        }

        run.Before = StepStates.Of(StepStates.PermissionsBoundary, before);
        if (boundary is null)
        {
            await iam.DeletePermissionsBoundaryAsync(principal, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await iam.PutPermissionsBoundaryAsync(principal, boundary, cancellationToken).ConfigureAwait(false);
        }

        run.Called = true;

        var after = await BoundaryOfAsync(iam, principal, cancellationToken).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.PermissionsBoundary, after);
        run.Verified = after == boundary;
    }
}
