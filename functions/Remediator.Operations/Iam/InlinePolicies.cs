using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.Iam;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using CorePrincipalKind = Remediator.Core.Ports.IamPrincipalKind;

namespace Remediator.Operations;

/// <summary>Put/Delete{Role,User,Group}Policy: an inline policy; the document only for a put (or kept for undo).</summary>
public interface IInlinePolicyParameters : IPrincipalParameters
{
    string PolicyName { get; }

    string? PolicyDocument { get; }
}

public sealed record RoleInlinePolicy(string RoleName, string PolicyName, string? PolicyDocument = null) : IInlinePolicyParameters
{
    [JsonIgnore] public CorePrincipalKind Kind => CorePrincipalKind.Role;

    [JsonIgnore] public string PrincipalName => RoleName;
}

public sealed record UserInlinePolicy(string UserName, string PolicyName, string? PolicyDocument = null) : IInlinePolicyParameters
{
    [JsonIgnore] public CorePrincipalKind Kind => CorePrincipalKind.User;

    [JsonIgnore] public string PrincipalName => UserName;
}

public sealed record GroupInlinePolicy(string GroupName, string PolicyName, string? PolicyDocument = null) : IInlinePolicyParameters
{
    [JsonIgnore] public CorePrincipalKind Kind => CorePrincipalKind.Group;

    [JsonIgnore] public string PrincipalName => GroupName;
}

[JsonSerializable(typeof(RoleInlinePolicy))]
[JsonSerializable(typeof(UserInlinePolicy))]
[JsonSerializable(typeof(GroupInlinePolicy))]
internal sealed partial class InlinePolicyJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static InlinePolicyOperations<RoleInlinePolicy> RoleInlinePolicy { get; } = RegisterFamily(
        new InlinePolicyOperations<RoleInlinePolicy>("Role", OperationJson.For<RoleInlinePolicy>(InlinePolicyJson.Default), (name, policy, document) => new RoleInlinePolicy(name, policy, document)));

    public static InlinePolicyOperations<UserInlinePolicy> UserInlinePolicy { get; } = RegisterFamily(
        new InlinePolicyOperations<UserInlinePolicy>("User", OperationJson.For<UserInlinePolicy>(InlinePolicyJson.Default), (name, policy, document) => new UserInlinePolicy(name, policy, document)));

    public static InlinePolicyOperations<GroupInlinePolicy> GroupInlinePolicy { get; } = RegisterFamily(
        new InlinePolicyOperations<GroupInlinePolicy>("Group", OperationJson.For<GroupInlinePolicy>(InlinePolicyJson.Default), (name, policy, document) => new GroupInlinePolicy(name, policy, document)));
}

/// <summary>
/// One family of IAM operations that exist once per principal kind (an inline policy of a role, a user or a group):
/// the entries of one kind, so that an inverse finds its partner of the same kind.
/// </summary>
public sealed class InlinePolicyOperations<T> : IOperationFamily
    where T : class, IInlinePolicyParameters
{
    internal InlinePolicyOperations(string noun, JsonTypeInfo<T> json, Func<string, string, string?, T> create)
    {
        Create = create;
        Put = new InlinePolicyOperation<T>($"iam:Put{noun}Policy", [$"iam:Get{noun}Policy"], json, this, isPut: true);
        Delete = new InlinePolicyOperation<T>($"iam:Delete{noun}Policy", [$"iam:Get{noun}Policy"], json, this, isPut: false);
    }

    /// <summary>(principal name, policy name, document) → parameters.</summary>
    public Func<string, string, string?, T> Create { get; }

    public InlinePolicyOperation<T> Put { get; }

    public InlinePolicyOperation<T> Delete { get; }

    IEnumerable<IAwsOperation> IOperationFamily.Members => [Put, Delete];
}

/// <summary>
/// Put or delete an inline policy. Inverse from the recorded document: none before → delete (or nothing, for a
/// delete of what was not there); a document before → put it back.
/// </summary>
public sealed class InlinePolicyOperation<T> : PairedIamOperation<T, InlinePolicyOperations<T>>
    where T : class, IInlinePolicyParameters
{
    internal InlinePolicyOperation(string name, IReadOnlyList<string> reads, JsonTypeInfo<T> json, InlinePolicyOperations<T> family, bool isPut)
        : base(name, reads, json, family, isPut)
    {
        WritesDocument = isPut;
    }

    protected override string? Validate(T parameters) =>
        Required(("PrincipalName", parameters.PrincipalName), ("PolicyName", parameters.PolicyName))
        ?? (Adds && string.IsNullOrEmpty(parameters.PolicyDocument) ? "parameter 'PolicyDocument' is missing" : null);

    protected override Inversion Invert(AuditAction done, T parameters)
    {
        if (!StepStates.TryReadString(done.Before, StepStates.PolicyDocument, out var document))
        {
            return Inversion.Unknown("the inline policy before the change was not recorded");
        }

        var target = Family.Create(parameters.PrincipalName, parameters.PolicyName, null);
        if (document is null)
        {
            // Deleting what was not there changed nothing; putting where nothing was is undone by a delete.
            return Adds
                ? Inversion.Of(Family.Delete.UndoStep(done, $"Delete inline policy '{parameters.PolicyName}' again: it did not exist before.", target))
                : Inversion.NothingToUndo;
        }

        return Inversion.Of(Family.Put.UndoStep(done, $"Put back inline policy '{parameters.PolicyName}' as it was before.",
            Family.Create(parameters.PrincipalName, parameters.PolicyName, document)));
    }

    private protected override Task ExecuteAsync(AwsClients clients, StepRun run, T parameters, CancellationToken cancellationToken) =>
        Adds ? PutAsync(clients.Iam, run, parameters, cancellationToken) : DeleteAsync(clients.Iam, run, parameters, cancellationToken);

    private static async Task<string?> DocumentAsync(IamClient iam, IamPrincipal principal, string policyName, CancellationToken ct) =>
        (await Missing.AsNullAsync(() => iam.GetInlinePolicyAsync(principal, policyName, ct)).ConfigureAwait(false))?.Document;

    private static async Task DeleteAsync(IamClient iam, StepRun run, T parameters, CancellationToken ct)
    {
        var principal = Principal(parameters);
        var name = parameters.PolicyName;
        var before = await DocumentAsync(iam, principal, name, ct).ConfigureAwait(false);
        if (before is null)
        {
            run.AlreadyThere(StepStates.Of(StepStates.PolicyDocument, (string?)null), $"inline policy '{name}' of {principal} was already gone: nothing to delete");
            return;
        }

        run.Before = StepStates.Of(StepStates.PolicyDocument, before);
        try
        {
            await iam.DeleteInlinePolicyAsync(principal, name, ct).ConfigureAwait(false);
            run.Called = true;
        }
        catch (Aws.Transport.AwsServiceException ex) when (ex.IsNotFound)
        {
            // Deleted by someone else between our read and our call: the intended state holds.
            run.Note = $"inline policy '{name}' of {principal} disappeared before the delete";
        }
        catch (Aws.Transport.AwsServiceException ex)
        {
            // Out of retries, but an earlier attempt whose reply was lost (a timeout) may have deleted it: the state says
            // which, so the record never calls failed a change that was made. When the state cannot be read either and an
            // attempt went unanswered, neither is said (StepOutcomeUnknownException): the record is finished by its
            // redelivery. When every attempt was answered with a refusal, nothing was deleted: the delete's error is
            // the failure recorded.
            string? still;
            try
            {
                still = await DocumentAsync(iam, principal, name, ct).ConfigureAwait(false);
            }
            catch (Exception read) when (read is not OperationCanceledException)
            {
                if (!ex.MayHaveTakenEffect)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex);
                }

                throw new StepOutcomeUnknownException(
                    $"iam:Delete{principal.Kind}Policy of '{name}' on {principal} ended in an error ({ex.Message}) and reading the policy back failed too ({read.Message}): an earlier attempt may have deleted it",
                    ex);
            }

            if (still is not null)
            {
                throw;
            }

            run.Called = true; // by the earlier attempt: a failed read back from here on must not hide it
            run.Note = $"the delete ended in an error ({ex.Message}) but the policy is gone: an earlier attempt took effect";
        }

        var after = await DocumentAsync(iam, principal, name, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.PolicyDocument, after);
        run.Verified = after is null;
    }

    private static async Task PutAsync(IamClient iam, StepRun run, T parameters, CancellationToken ct)
    {
        var principal = Principal(parameters);
        var name = parameters.PolicyName;
        var document = parameters.PolicyDocument!;
        run.Before = StepStates.Of(StepStates.PolicyDocument, await DocumentAsync(iam, principal, name, ct).ConfigureAwait(false));
        await iam.PutInlinePolicyAsync(principal, name, document, ct).ConfigureAwait(false);
        run.Called = true;
        var after = await DocumentAsync(iam, principal, name, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.PolicyDocument, after);
        run.Verified = StepRun.SameJson(after, document);
    }
}
