using Remediator.Operations;

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

        var name = resource[(resource.LastIndexOf('/') + 1)..];
        var boundary = options.Method == QuarantineOptions.PermissionsBoundary;
        // Groups cannot carry a permissions boundary: a deny policy is the only reversible containment for them.
        return resource[..slash] switch
        {
            "role" when boundary => Boundary(OperationCatalogue.RoleBoundary, "role", name, principalArn, options),
            "user" when boundary => Boundary(OperationCatalogue.UserBoundary, "user", name, principalArn, options),
            "role" => Attach(OperationCatalogue.RoleAttachment, "role", name, principalArn, options),
            "user" => Attach(OperationCatalogue.UserAttachment, "user", name, principalArn, options),
            "group" => Attach(OperationCatalogue.GroupAttachment, "group", name, principalArn, options),
            _ => null,
        };
    }

    private static PlannedAction Boundary<T>(BoundaryOperations<T> operations, string noun, string name, string principalArn, QuarantineOptions options)
        where T : class, IBoundaryParameters =>
        operations.Put.Plan(ActionNames.Quarantine, principalArn,
            $"Set permissions boundary {options.PolicyArn} on {noun} '{name}' (undo: remove the boundary).",
            operations.Create(name, options.PolicyArn));

    private static PlannedAction Attach<T>(AttachmentOperations<T> operations, string noun, string name, string principalArn, QuarantineOptions options)
        where T : class, IAttachmentParameters =>
        operations.Attach.Plan(ActionNames.Quarantine, principalArn,
            $"Attach {options.PolicyArn} to {noun} '{name}' (undo: detach it).",
            operations.Create(name, options.PolicyArn));
}
