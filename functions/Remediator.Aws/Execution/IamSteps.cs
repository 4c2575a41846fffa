using Remediator.Aws.Iam;
using Remediator.Aws.State;
using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Aws.Execution;

/// <summary>The IAM steps: inline and attached policies, boundaries, default versions, trust policies, tags.</summary>
internal sealed class IamSteps(IamClient iam)
{
    public void Register(OperationHandlers handlers)
    {
        RegisterInline(handlers, OperationCatalogue.RoleInlinePolicy);
        RegisterInline(handlers, OperationCatalogue.UserInlinePolicy);
        RegisterInline(handlers, OperationCatalogue.GroupInlinePolicy);
        RegisterAttachment(handlers, OperationCatalogue.RoleAttachment);
        RegisterAttachment(handlers, OperationCatalogue.UserAttachment);
        RegisterAttachment(handlers, OperationCatalogue.GroupAttachment);
        RegisterBoundary(handlers, OperationCatalogue.RoleBoundary);
        RegisterBoundary(handlers, OperationCatalogue.UserBoundary);
        handlers.Add(OperationCatalogue.SetDefaultPolicyVersion, SetDefaultVersionAsync);
        handlers.Add(OperationCatalogue.UpdateAssumeRolePolicy, UpdateTrustAsync);
        TagSteps.Register(handlers, OperationCatalogue.RoleTags, iam.ListRoleTagsAsync, iam.TagRoleAsync, iam.UntagRoleAsync);
        TagSteps.Register(handlers, OperationCatalogue.UserTags, iam.ListUserTagsAsync, iam.TagUserAsync, iam.UntagUserAsync);
        TagSteps.Register(handlers, OperationCatalogue.PolicyTags,
            async (arn, ct) => (await iam.GetPolicyAsync(arn, ct).ConfigureAwait(false)).Tags, iam.TagPolicyAsync, iam.UntagPolicyAsync);
    }

    private void RegisterInline<T>(OperationHandlers handlers, InlinePolicyOperations<T> operations)
        where T : class, IInlinePolicyParameters
    {
        handlers.Add(operations.Put, PutInlineAsync);
        handlers.Add(operations.Delete, DeleteInlineAsync);
    }

    private void RegisterAttachment<T>(OperationHandlers handlers, AttachmentOperations<T> operations)
        where T : class, IAttachmentParameters
    {
        handlers.Add(operations.Attach, (run, p, ct) => AttachmentAsync(run, p, attach: true, ct));
        handlers.Add(operations.Detach, (run, p, ct) => AttachmentAsync(run, p, attach: false, ct));
    }

    private void RegisterBoundary<T>(OperationHandlers handlers, BoundaryOperations<T> operations)
        where T : class, IBoundaryParameters
    {
        handlers.Add(operations.Put, (run, p, ct) => BoundaryAsync(run, p, p.PermissionsBoundary, ct));
        handlers.Add(operations.Delete, (run, p, ct) => BoundaryAsync(run, p, null, ct));
    }

    private static IamPrincipal Principal(IPrincipalParameters parameters) => new(Kind(parameters.Kind), parameters.PrincipalName);

    private static IamPrincipalKind Kind(Core.Ports.IamPrincipalKind kind) =>
        kind switch
        {
            Core.Ports.IamPrincipalKind.Role => IamPrincipalKind.Role,
            Core.Ports.IamPrincipalKind.User => IamPrincipalKind.User,
            _ => IamPrincipalKind.Group,
        };

    private async Task<string?> InlineDocumentAsync(IamPrincipal principal, string policyName, CancellationToken ct) =>
        (await Missing.AsNullAsync(() => iam.GetInlinePolicyAsync(principal, policyName, ct)).ConfigureAwait(false))?.Document;

    private async Task DeleteInlineAsync(StepRun run, IInlinePolicyParameters parameters, CancellationToken ct)
    {
        var principal = Principal(parameters);
        var name = parameters.PolicyName;
        var before = await InlineDocumentAsync(principal, name, ct).ConfigureAwait(false);
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
        catch (Transport.AwsServiceException ex) when (ex.IsNotFound)
        {
            // Deleted by someone else between our read and our call: the intended state holds.
            run.Note = $"inline policy '{name}' of {principal} disappeared before the delete";
        }
        catch (Transport.AwsServiceException ex)
        {
            // Out of retries, but an earlier attempt whose reply was lost (a timeout) may have deleted it: the state says
            // which, so the record never calls failed a change that was made.
            if (await InlineDocumentAsync(principal, name, ct).ConfigureAwait(false) is not null)
            {
                throw;
            }

            run.Note = $"the delete ended in an error ({ex.Message}) but the policy is gone: an earlier attempt took effect";
        }

        var after = await InlineDocumentAsync(principal, name, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.PolicyDocument, after);
        run.Verified = after is null;
    }

    private async Task PutInlineAsync(StepRun run, IInlinePolicyParameters parameters, CancellationToken ct)
    {
        var principal = Principal(parameters);
        var name = parameters.PolicyName;
        var document = parameters.PolicyDocument!;
        run.Before = StepStates.Of(StepStates.PolicyDocument, await InlineDocumentAsync(principal, name, ct).ConfigureAwait(false));
        await iam.PutInlinePolicyAsync(principal, name, document, ct).ConfigureAwait(false);
        run.Called = true;
        var after = await InlineDocumentAsync(principal, name, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.PolicyDocument, after);
        run.Verified = StepRun.SameJson(after, document);
    }

    private async Task<List<string>> AttachedAsync(IamPrincipal principal, CancellationToken ct) =>
        (await iam.ListAttachedPoliciesAsync(principal, ct).ConfigureAwait(false)).Select(p => p.PolicyArn).Order(StringComparer.Ordinal).ToList();

    private async Task AttachmentAsync(StepRun run, IAttachmentParameters parameters, bool attach, CancellationToken ct)
    {
        var principal = Principal(parameters);
        var policyArn = parameters.PolicyArn;
        var before = await AttachedAsync(principal, ct).ConfigureAwait(false);
        var state = StepStates.Of(StepStates.AttachedPolicyArns, before);
        if (before.Contains(policyArn, StringComparer.Ordinal) == attach)
        {
            run.AlreadyThere(state, $"'{policyArn}' was already {(attach ? "attached to" : "detached from")} {principal}");
            return;
        }

        run.Before = state;
        if (attach)
        {
            await iam.AttachPolicyAsync(principal, policyArn, ct).ConfigureAwait(false);
        }
        else
        {
            await iam.DetachPolicyAsync(principal, policyArn, ct).ConfigureAwait(false);
        }

        run.Called = true;

        var after = await AttachedAsync(principal, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.AttachedPolicyArns, after);
        run.Verified = after.Contains(policyArn, StringComparer.Ordinal) == attach;
    }

    private async Task<string?> BoundaryOfAsync(IamPrincipal principal, CancellationToken ct) =>
        principal.Kind == IamPrincipalKind.Role
            ? (await iam.GetRoleAsync(principal.Name, ct).ConfigureAwait(false)).PermissionsBoundaryArn
            : (await iam.GetUserAsync(principal.Name, ct).ConfigureAwait(false)).PermissionsBoundaryArn;

    /// <param name="boundary">The boundary to set, or null to remove it.</param>
    private async Task BoundaryAsync(StepRun run, IBoundaryParameters parameters, string? boundary, CancellationToken ct)
    {
        var principal = Principal(parameters);
        var before = await BoundaryOfAsync(principal, ct).ConfigureAwait(false);
        if (before == boundary)
        {
            run.AlreadyThere(StepStates.Of(StepStates.PermissionsBoundary, before), boundary is null ? $"{principal} had no permissions boundary" : $"{principal} already had boundary '{boundary}'");
            return;
        }

        run.Before = StepStates.Of(StepStates.PermissionsBoundary, before);
        if (boundary is null)
        {
            await iam.DeletePermissionsBoundaryAsync(principal, ct).ConfigureAwait(false);
        }
        else
        {
            await iam.PutPermissionsBoundaryAsync(principal, boundary, ct).ConfigureAwait(false);
        }

        run.Called = true;

        var after = await BoundaryOfAsync(principal, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.PermissionsBoundary, after);
        run.Verified = after == boundary;
    }

    private async Task SetDefaultVersionAsync(StepRun run, DefaultPolicyVersion parameters, CancellationToken ct)
    {
        var (policyArn, versionId) = parameters;
        var before = (await iam.GetPolicyAsync(policyArn, ct).ConfigureAwait(false)).DefaultVersionId;
        if (before == versionId)
        {
            run.AlreadyThere(StepStates.Of(StepStates.DefaultVersionId, before), $"{versionId} was already the default version");
            return;
        }

        run.Before = StepStates.Of(StepStates.DefaultVersionId, before);
        await iam.SetDefaultPolicyVersionAsync(policyArn, versionId, ct).ConfigureAwait(false);
        run.Called = true;
        var after = (await iam.GetPolicyAsync(policyArn, ct).ConfigureAwait(false)).DefaultVersionId;
        run.After = StepStates.Of(StepStates.DefaultVersionId, after);
        run.Verified = after == versionId;
    }

    private async Task UpdateTrustAsync(StepRun run, TrustPolicy parameters, CancellationToken ct)
    {
        var (roleName, document) = parameters;
        run.Before = StepStates.Of(StepStates.AssumeRolePolicyDocument, (await iam.GetRoleAsync(roleName, ct).ConfigureAwait(false)).AssumeRolePolicyDocument);
        await iam.UpdateAssumeRolePolicyAsync(roleName, document, ct).ConfigureAwait(false);
        run.Called = true;
        var after = (await iam.GetRoleAsync(roleName, ct).ConfigureAwait(false)).AssumeRolePolicyDocument;
        run.After = StepStates.Of(StepStates.AssumeRolePolicyDocument, after);
        run.Verified = StepRun.SameJson(after, document);
    }
}
