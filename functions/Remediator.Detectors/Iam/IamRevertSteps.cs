using Remediator.Core.Operations;
using Remediator.Operations;
using Remediator.Core.Ports;
using Remediator.Core.Registry;
using Remediator.Core.Remediation;

namespace Remediator.Detectors.Iam;

/// <summary>
/// The exact inverses of IAM changes, planned through their catalogue entries (<see cref="OperationCatalogue"/>).
/// Only what can be undone exactly is here; everything else (a new role, a new policy) gets no revert step and is
/// left to quarantine or notice.
/// </summary>
internal static class IamRevertSteps
{
    /// <summary>
    /// Put{Role,User,Group}Policy: restore the previous document when it is known, else delete the inline policy,
    /// keeping the offending document in <c>PolicyDocument</c> so that undo can put it back.
    /// </summary>
    public static PlannedAction InlinePolicy(
        IamPrincipalKind kind, string principalName, string policyName, string principalArn, string? offendingDocument, string? previousDocument) =>
        kind switch
        {
            IamPrincipalKind.Role => InlinePolicy(OperationCatalogue.RoleInlinePolicy, "role", principalName, policyName, principalArn, offendingDocument, previousDocument),
            IamPrincipalKind.User => InlinePolicy(OperationCatalogue.UserInlinePolicy, "user", principalName, policyName, principalArn, offendingDocument, previousDocument),
            _ => InlinePolicy(OperationCatalogue.GroupInlinePolicy, "group", principalName, policyName, principalArn, offendingDocument, previousDocument),
        };

    /// <summary>Attach{Role,User,Group}Policy: detach it.</summary>
    public static PlannedAction Detach(IamPrincipalKind kind, string principalName, string policyArn, string principalArn) =>
        kind switch
        {
            IamPrincipalKind.Role => Detach(OperationCatalogue.RoleAttachment, "role", principalName, policyArn, principalArn),
            IamPrincipalKind.User => Detach(OperationCatalogue.UserAttachment, "user", principalName, policyArn, principalArn),
            _ => Detach(OperationCatalogue.GroupAttachment, "group", principalName, policyArn, principalArn),
        };

    /// <summary>CreatePolicyVersion as default / SetDefaultPolicyVersion: make the previous default version the default again.</summary>
    public static PlannedAction SetDefaultVersion(string policyArn, string previousVersionId, string? offendingVersionId) =>
        OperationCatalogue.SetDefaultPolicyVersion.Plan(ActionNames.Revert, policyArn,
            $"Make version {previousVersionId} of '{policyArn}' the default again" + (offendingVersionId is null ? "." : $" instead of {offendingVersionId}."),
            new DefaultPolicyVersion(policyArn, previousVersionId));

    /// <summary>UpdateAssumeRolePolicy: put back the previous trust policy.</summary>
    public static PlannedAction RestoreTrustPolicy(string roleName, string roleArn, string previousDocument) =>
        OperationCatalogue.UpdateAssumeRolePolicy.Plan(ActionNames.Revert, roleArn, $"Put back the previous trust policy of role '{roleName}'.",
            new TrustPolicy(roleName, PolicyDocument.Decode(previousDocument)));

    private static PlannedAction InlinePolicy<T>(
        InlinePolicyOperations<T> operations, string noun, string principalName, string policyName, string principalArn, string? offendingDocument, string? previousDocument)
        where T : class, IInlinePolicyParameters
    {
        if (previousDocument is not null)
        {
            return operations.Put.Plan(ActionNames.Revert, principalArn,
                $"Put back the previous document of inline policy '{policyName}' on {noun} '{principalName}'.",
                operations.Create(principalName, policyName, PolicyDocument.Decode(previousDocument)));
        }

        return operations.Delete.Plan(ActionNames.Revert, principalArn,
            $"Delete inline policy '{policyName}' from {noun} '{principalName}' (it did not exist before, or its earlier document is unknown).",
            operations.Create(principalName, policyName, offendingDocument));
    }

    private static PlannedAction Detach<T>(AttachmentOperations<T> operations, string noun, string principalName, string policyArn, string principalArn)
        where T : class, IAttachmentParameters =>
        operations.Detach.Plan(ActionNames.Revert, principalArn, $"Detach managed policy '{policyArn}' from {noun} '{principalName}'.",
            operations.Create(principalName, policyArn));
}
