using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.Iam;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using CorePrincipalKind = Remediator.Core.Ports.IamPrincipalKind;

namespace Remediator.Operations;

/// <summary>Attach/Detach{Role,User,Group}Policy: a managed policy.</summary>
public interface IAttachmentParameters : IPrincipalParameters
{
    string PolicyArn { get; }
}

public sealed record RoleAttachment(string RoleName, string PolicyArn) : IAttachmentParameters
{
    [JsonIgnore] public CorePrincipalKind Kind => CorePrincipalKind.Role;

    [JsonIgnore] public string PrincipalName => RoleName;
}

public sealed record UserAttachment(string UserName, string PolicyArn) : IAttachmentParameters
{
    [JsonIgnore] public CorePrincipalKind Kind => CorePrincipalKind.User;

    [JsonIgnore] public string PrincipalName => UserName;
}

public sealed record GroupAttachment(string GroupName, string PolicyArn) : IAttachmentParameters
{
    [JsonIgnore] public CorePrincipalKind Kind => CorePrincipalKind.Group;

    [JsonIgnore] public string PrincipalName => GroupName;
}

[JsonSerializable(typeof(RoleAttachment))]
[JsonSerializable(typeof(UserAttachment))]
[JsonSerializable(typeof(GroupAttachment))]
internal sealed partial class AttachmentJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static AttachmentOperations<RoleAttachment> RoleAttachment { get; } = RegisterFamily(
        new AttachmentOperations<RoleAttachment>("Role", OperationJson.For<RoleAttachment>(AttachmentJson.Default), (name, arn) => new RoleAttachment(name, arn)));

    public static AttachmentOperations<UserAttachment> UserAttachment { get; } = RegisterFamily(
        new AttachmentOperations<UserAttachment>("User", OperationJson.For<UserAttachment>(AttachmentJson.Default), (name, arn) => new UserAttachment(name, arn)));

    public static AttachmentOperations<GroupAttachment> GroupAttachment { get; } = RegisterFamily(
        new AttachmentOperations<GroupAttachment>("Group", OperationJson.For<GroupAttachment>(AttachmentJson.Default), (name, arn) => new GroupAttachment(name, arn)));
}

/// <summary>Attach and detach of a managed policy, for one principal kind.</summary>
public sealed class AttachmentOperations<T> : IOperationFamily
    where T : class, IAttachmentParameters
{
    internal AttachmentOperations(string noun, JsonTypeInfo<T> json, Func<string, string, T> create)
    {
        Create = create;
        Attach = new AttachmentOperation<T>($"iam:Attach{noun}Policy", [$"iam:ListAttached{noun}Policies"], json, this, attach: true);
        Detach = new AttachmentOperation<T>($"iam:Detach{noun}Policy", [$"iam:ListAttached{noun}Policies"], json, this, attach: false);
    }

    /// <summary>(principal name, policy ARN) → parameters.</summary>
    public Func<string, string, T> Create { get; }

    public AttachmentOperation<T> Attach { get; }

    public AttachmentOperation<T> Detach { get; }

    IEnumerable<IAwsOperation> IOperationFamily.Members => [Attach, Detach];
}

/// <summary>
/// Attach (the quarantine) or detach a managed policy. Inverse from the attached list before: the opposite call,
/// or nothing when the policy already was where the step put it.
/// </summary>
public sealed class AttachmentOperation<T> : PairedIamOperation<T, AttachmentOperations<T>>
    where T : class, IAttachmentParameters
{
    internal AttachmentOperation(string name, IReadOnlyList<string> reads, JsonTypeInfo<T> json, AttachmentOperations<T> family, bool attach)
        : base(name, reads, json, family, attach)
    {
    }

    protected override string? Validate(T parameters) => Required(("PrincipalName", parameters.PrincipalName), ("PolicyArn", parameters.PolicyArn));

    protected override Inversion Invert(AuditAction done, T parameters)
    {
        if (!StepStates.TryReadList(done.Before, StepStates.AttachedPolicyArns, out var attached))
        {
            return Inversion.Unknown("the attached policies before the change were not recorded");
        }

        var wasAttached = attached.Contains(parameters.PolicyArn, StringComparer.Ordinal);
        if (wasAttached == Adds)
        {
            return Inversion.NothingToUndo;
        }

        return Adds
            ? Inversion.Of(Family.Detach.UndoStep(done, $"Detach '{parameters.PolicyArn}' again (the quarantine).", parameters))
            : Inversion.Of(Family.Attach.UndoStep(done, $"Attach '{parameters.PolicyArn}' again.", parameters));
    }

    private static async Task<List<string>> AttachedAsync(IamClient iam, IamPrincipal principal, CancellationToken ct) =>
        (await iam.ListAttachedPoliciesAsync(principal, ct).ConfigureAwait(false)).Select(p => p.PolicyArn).Order(StringComparer.Ordinal).ToList();

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, T parameters, CancellationToken cancellationToken)
    {
        var iam = clients.Iam;
        var principal = Principal(parameters);
        var policyArn = parameters.PolicyArn;
        var before = await AttachedAsync(iam, principal, cancellationToken).ConfigureAwait(false);
        var state = StepStates.Of(StepStates.AttachedPolicyArns, before);
        if (before.Contains(policyArn, StringComparer.Ordinal) == Adds)
        {
            run.AlreadyThere(state, $"'{policyArn}' was already {(Adds ? "attached to" : "detached from")} {principal}");
            return;
        }

        run.Before = state;
        if (Adds)
        {
            await iam.AttachPolicyAsync(principal, policyArn, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await iam.DetachPolicyAsync(principal, policyArn, cancellationToken).ConfigureAwait(false);
        }

        run.Called = true;

        var after = await AttachedAsync(iam, principal, cancellationToken).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.AttachedPolicyArns, after);
        run.Verified = after.Contains(policyArn, StringComparer.Ordinal) == Adds;
    }
}
