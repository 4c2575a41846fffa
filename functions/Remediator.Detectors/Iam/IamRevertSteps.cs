using System.Text.Json.Nodes;
using Remediator.Core.Ports;
using Remediator.Core.Registry;
using Remediator.Core.Remediation;

namespace Remediator.Detectors.Iam;

/// <summary>
/// The exact inverses of IAM changes, as planned API calls with IAM's own parameter names. Only what can be undone
/// exactly is here; everything else (a new role, a new policy) gets no revert step and is left to quarantine or notice.
/// </summary>
internal static class IamRevertSteps
{
    /// <summary>
    /// Put{Role,User,Group}Policy: restore the previous document when it is known, else delete the inline policy,
    /// keeping the offending document in <c>PolicyDocument</c> so that undo can put it back.
    /// </summary>
    public static PlannedAction InlinePolicy(
        IamPrincipalKind kind, string principalName, string policyName, string principalArn, string? offendingDocument, string? previousDocument)
    {
        var noun = KindName(kind);
        var parameters = new JsonObject
        {
            [noun + "Name"] = principalName,
            ["PolicyName"] = policyName,
        };
        if (previousDocument is not null)
        {
            parameters["PolicyDocument"] = PolicyDocument.Decode(previousDocument);
            var put = $"iam:Put{noun}Policy";
            return new PlannedAction(ActionNames.Revert, put, principalArn,
                $"Put back the previous document of inline policy '{policyName}' on {noun.ToLowerInvariant()} '{principalName}'.")
            {
                Parameters = parameters,
                Permissions = [put],
            };
        }

        if (offendingDocument is not null)
        {
            parameters["PolicyDocument"] = offendingDocument;
        }

        var delete = $"iam:Delete{noun}Policy";
        return new PlannedAction(ActionNames.Revert, delete, principalArn,
            $"Delete inline policy '{policyName}' from {noun.ToLowerInvariant()} '{principalName}' (it did not exist before, or its earlier document is unknown).")
        {
            Parameters = parameters,
            Permissions = [delete],
        };
    }

    /// <summary>Attach{Role,User,Group}Policy: detach it.</summary>
    public static PlannedAction Detach(IamPrincipalKind kind, string principalName, string policyArn, string principalArn)
    {
        var noun = KindName(kind);
        var detach = $"iam:Detach{noun}Policy";
        return new PlannedAction(ActionNames.Revert, detach, principalArn,
            $"Detach managed policy '{policyArn}' from {noun.ToLowerInvariant()} '{principalName}'.")
        {
            Parameters = new JsonObject { [noun + "Name"] = principalName, ["PolicyArn"] = policyArn },
            Permissions = [detach],
        };
    }

    /// <summary>CreatePolicyVersion as default / SetDefaultPolicyVersion: make the previous default version the default again.</summary>
    public static PlannedAction SetDefaultVersion(string policyArn, string previousVersionId, string? offendingVersionId) =>
        new(ActionNames.Revert, "iam:SetDefaultPolicyVersion", policyArn,
            $"Make version {previousVersionId} of '{policyArn}' the default again" + (offendingVersionId is null ? "." : $" instead of {offendingVersionId}."))
        {
            Parameters = new JsonObject { ["PolicyArn"] = policyArn, ["VersionId"] = previousVersionId },
            Permissions = ["iam:SetDefaultPolicyVersion"],
        };

    /// <summary>UpdateAssumeRolePolicy: put back the previous trust policy.</summary>
    public static PlannedAction RestoreTrustPolicy(string roleName, string roleArn, string previousDocument) =>
        new(ActionNames.Revert, "iam:UpdateAssumeRolePolicy", roleArn, $"Put back the previous trust policy of role '{roleName}'.")
        {
            Parameters = new JsonObject { ["RoleName"] = roleName, ["PolicyDocument"] = PolicyDocument.Decode(previousDocument) },
            Permissions = ["iam:UpdateAssumeRolePolicy"],
        };

    private static string KindName(IamPrincipalKind kind) =>
        kind switch
        {
            IamPrincipalKind.Role => "Role",
            IamPrincipalKind.User => "User",
            _ => "Group",
        };
}
