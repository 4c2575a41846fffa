using System.Text.Json.Nodes;
using Remediator.Core.Registry;
using Remediator.Core.Remediation;

namespace Remediator.Detectors.Actions;

/// <summary>
/// Reversible containment of an IAM principal when a change has no exact inverse: attach a deny-all policy or set a
/// permissions boundary. Never a delete: undo is a detach or a boundary removal.
/// </summary>
public static class QuarantineCalls
{
    /// <summary>The quarantine step for the role, user or group the ARN names; null for anything else (policies, non-IAM).</summary>
    public static PlannedAction? For(string principalArn, QuarantineOptions options)
    {
        var resource = ResourceArns.IsArn(principalArn) && principalArn.Contains(":iam::", StringComparison.Ordinal)
            ? ResourceArns.ResourceOf(principalArn)
            : null;
        var slash = resource?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (resource is null || slash < 0)
        {
            return null;
        }

        var kind = resource[..slash] switch
        {
            "role" => "Role",
            "user" => "User",
            "group" => "Group",
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var name = resource[(resource.LastIndexOf('/') + 1)..];
        // Groups cannot carry a permissions boundary: a deny policy is the only reversible containment for them.
        if (options.Method == QuarantineOptions.PermissionsBoundary && kind != "Group")
        {
            var operation = $"iam:Put{kind}PermissionsBoundary";
            return new PlannedAction(ActionNames.Quarantine, operation, principalArn,
                $"Set permissions boundary {options.PolicyArn} on {kind.ToLowerInvariant()} '{name}' (undo: remove the boundary).")
            {
                Parameters = new JsonObject { [kind + "Name"] = name, ["PermissionsBoundary"] = options.PolicyArn },
                Permissions = [operation],
            };
        }

        var attach = $"iam:Attach{kind}Policy";
        return new PlannedAction(ActionNames.Quarantine, attach, principalArn,
            $"Attach {options.PolicyArn} to {kind.ToLowerInvariant()} '{name}' (undo: detach it).")
        {
            Parameters = new JsonObject { [kind + "Name"] = name, ["PolicyArn"] = options.PolicyArn },
            Permissions = [attach],
        };
    }
}
