using Remediator.Aws.Iam;
using Remediator.Aws.State;
using Remediator.Core.Execution;

namespace Remediator.Aws.Execution;

/// <summary>The IAM steps: inline and attached policies, boundaries, default versions, trust policies, tags.</summary>
internal sealed class IamSteps(IamClient iam)
{
    public void Register(Dictionary<string, Func<StepRun, CancellationToken, Task>> handlers)
    {
        foreach (var kind in new[] { IamPrincipalKind.Role, IamPrincipalKind.User, IamPrincipalKind.Group })
        {
            var noun = kind.ToString();
            handlers[$"iam:Delete{noun}Policy"] = (run, ct) => DeleteInlineAsync(run, kind, ct);
            handlers[$"iam:Put{noun}Policy"] = (run, ct) => PutInlineAsync(run, kind, ct);
            handlers[$"iam:Detach{noun}Policy"] = (run, ct) => AttachmentAsync(run, kind, attach: false, ct);
            handlers[$"iam:Attach{noun}Policy"] = (run, ct) => AttachmentAsync(run, kind, attach: true, ct);
        }

        foreach (var kind in new[] { IamPrincipalKind.Role, IamPrincipalKind.User })
        {
            var noun = kind.ToString();
            handlers[$"iam:Put{noun}PermissionsBoundary"] = (run, ct) => BoundaryAsync(run, kind, run.Require("PermissionsBoundary"), ct);
            handlers[$"iam:Delete{noun}PermissionsBoundary"] = (run, ct) => BoundaryAsync(run, kind, null, ct);
        }

        handlers["iam:SetDefaultPolicyVersion"] = SetDefaultVersionAsync;
        handlers["iam:UpdateAssumeRolePolicy"] = UpdateTrustAsync;
        handlers["iam:TagRole"] = (run, ct) => TagsAsync(run, "RoleName", untag: false, ct);
        handlers["iam:TagUser"] = (run, ct) => TagsAsync(run, "UserName", untag: false, ct);
        handlers["iam:TagPolicy"] = (run, ct) => TagsAsync(run, "PolicyArn", untag: false, ct);
        handlers["iam:UntagRole"] = (run, ct) => TagsAsync(run, "RoleName", untag: true, ct);
        handlers["iam:UntagUser"] = (run, ct) => TagsAsync(run, "UserName", untag: true, ct);
        handlers["iam:UntagPolicy"] = (run, ct) => TagsAsync(run, "PolicyArn", untag: true, ct);
    }

    private static IamPrincipal Principal(StepRun run, IamPrincipalKind kind) => new(kind, run.Require(kind + "Name"));

    private async Task<string?> InlineDocumentAsync(IamPrincipal principal, string policyName, CancellationToken ct) =>
        (await Missing.AsNullAsync(() => iam.GetInlinePolicyAsync(principal, policyName, ct)).ConfigureAwait(false))?.Document;

    private async Task DeleteInlineAsync(StepRun run, IamPrincipalKind kind, CancellationToken ct)
    {
        var principal = Principal(run, kind);
        var name = run.Require("PolicyName");
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

        var after = await InlineDocumentAsync(principal, name, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.PolicyDocument, after);
        run.Verified = after is null;
    }

    private async Task PutInlineAsync(StepRun run, IamPrincipalKind kind, CancellationToken ct)
    {
        var principal = Principal(run, kind);
        var name = run.Require("PolicyName");
        var document = run.Require("PolicyDocument");
        run.Before = StepStates.Of(StepStates.PolicyDocument, await InlineDocumentAsync(principal, name, ct).ConfigureAwait(false));
        await iam.PutInlinePolicyAsync(principal, name, document, ct).ConfigureAwait(false);
        run.Called = true;
        var after = await InlineDocumentAsync(principal, name, ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.PolicyDocument, after);
        run.Verified = StepRun.SameJson(after, document);
    }

    private async Task<List<string>> AttachedAsync(IamPrincipal principal, CancellationToken ct) =>
        (await iam.ListAttachedPoliciesAsync(principal, ct).ConfigureAwait(false)).Select(p => p.PolicyArn).Order(StringComparer.Ordinal).ToList();

    private async Task AttachmentAsync(StepRun run, IamPrincipalKind kind, bool attach, CancellationToken ct)
    {
        var principal = Principal(run, kind);
        var policyArn = run.Require("PolicyArn");
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
    private async Task BoundaryAsync(StepRun run, IamPrincipalKind kind, string? boundary, CancellationToken ct)
    {
        var principal = Principal(run, kind);
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

    private async Task SetDefaultVersionAsync(StepRun run, CancellationToken ct)
    {
        var policyArn = run.Require("PolicyArn");
        var versionId = run.Require("VersionId");
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

    private async Task UpdateTrustAsync(StepRun run, CancellationToken ct)
    {
        var roleName = run.Require("RoleName");
        var document = run.Require("PolicyDocument");
        run.Before = StepStates.Of(StepStates.AssumeRolePolicyDocument, (await iam.GetRoleAsync(roleName, ct).ConfigureAwait(false)).AssumeRolePolicyDocument);
        await iam.UpdateAssumeRolePolicyAsync(roleName, document, ct).ConfigureAwait(false);
        run.Called = true;
        var after = (await iam.GetRoleAsync(roleName, ct).ConfigureAwait(false)).AssumeRolePolicyDocument;
        run.After = StepStates.Of(StepStates.AssumeRolePolicyDocument, after);
        run.Verified = StepRun.SameJson(after, document);
    }

    private async Task<IReadOnlyDictionary<string, string>> TagsOfAsync(string targetKey, string target, CancellationToken ct) =>
        targetKey switch
        {
            "RoleName" => await iam.ListRoleTagsAsync(target, ct).ConfigureAwait(false),
            "UserName" => await iam.ListUserTagsAsync(target, ct).ConfigureAwait(false),
            _ => (await iam.GetPolicyAsync(target, ct).ConfigureAwait(false)).Tags,
        };

    private async Task TagsAsync(StepRun run, string targetKey, bool untag, CancellationToken ct)
    {
        var target = run.Require(targetKey);
        await TagSteps.RunAsync(
            run,
            untag,
            () => TagsOfAsync(targetKey, target, ct),
            tags => targetKey switch
            {
                "RoleName" => iam.TagRoleAsync(target, tags, ct),
                "UserName" => iam.TagUserAsync(target, tags, ct),
                _ => iam.TagPolicyAsync(target, tags, ct),
            },
            keys => targetKey switch
            {
                "RoleName" => iam.UntagRoleAsync(target, keys, ct),
                "UserName" => iam.UntagUserAsync(target, keys, ct),
                _ => iam.UntagPolicyAsync(target, keys, ct),
            }).ConfigureAwait(false);
    }
}
