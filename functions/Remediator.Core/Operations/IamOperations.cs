using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Ports;

namespace Remediator.Core.Operations;

/// <summary>A role, user or group named by a step's parameters (<c>RoleName</c>, <c>UserName</c> or <c>GroupName</c>).</summary>
public interface IPrincipalParameters
{
    IamPrincipalKind Kind { get; }

    string PrincipalName { get; }
}

/// <summary>Put/Delete{Role,User,Group}Policy: an inline policy; the document only for a put (or kept for undo).</summary>
public interface IInlinePolicyParameters : IPrincipalParameters
{
    string PolicyName { get; }

    string? PolicyDocument { get; }
}

/// <summary>Attach/Detach{Role,User,Group}Policy: a managed policy.</summary>
public interface IAttachmentParameters : IPrincipalParameters
{
    string PolicyArn { get; }
}

/// <summary>Put/Delete{Role,User}PermissionsBoundary; the boundary only for a put.</summary>
public interface IBoundaryParameters : IPrincipalParameters
{
    string? PermissionsBoundary { get; }
}

public sealed record RoleInlinePolicy(string RoleName, string PolicyName, string? PolicyDocument = null) : IInlinePolicyParameters
{
    [JsonIgnore] public IamPrincipalKind Kind => IamPrincipalKind.Role;

    [JsonIgnore] public string PrincipalName => RoleName;
}

public sealed record UserInlinePolicy(string UserName, string PolicyName, string? PolicyDocument = null) : IInlinePolicyParameters
{
    [JsonIgnore] public IamPrincipalKind Kind => IamPrincipalKind.User;

    [JsonIgnore] public string PrincipalName => UserName;
}

public sealed record GroupInlinePolicy(string GroupName, string PolicyName, string? PolicyDocument = null) : IInlinePolicyParameters
{
    [JsonIgnore] public IamPrincipalKind Kind => IamPrincipalKind.Group;

    [JsonIgnore] public string PrincipalName => GroupName;
}

public sealed record RoleAttachment(string RoleName, string PolicyArn) : IAttachmentParameters
{
    [JsonIgnore] public IamPrincipalKind Kind => IamPrincipalKind.Role;

    [JsonIgnore] public string PrincipalName => RoleName;
}

public sealed record UserAttachment(string UserName, string PolicyArn) : IAttachmentParameters
{
    [JsonIgnore] public IamPrincipalKind Kind => IamPrincipalKind.User;

    [JsonIgnore] public string PrincipalName => UserName;
}

public sealed record GroupAttachment(string GroupName, string PolicyArn) : IAttachmentParameters
{
    [JsonIgnore] public IamPrincipalKind Kind => IamPrincipalKind.Group;

    [JsonIgnore] public string PrincipalName => GroupName;
}

public sealed record RoleBoundary(string RoleName, string? PermissionsBoundary = null) : IBoundaryParameters
{
    [JsonIgnore] public IamPrincipalKind Kind => IamPrincipalKind.Role;

    [JsonIgnore] public string PrincipalName => RoleName;
}

public sealed record UserBoundary(string UserName, string? PermissionsBoundary = null) : IBoundaryParameters
{
    [JsonIgnore] public IamPrincipalKind Kind => IamPrincipalKind.User;

    [JsonIgnore] public string PrincipalName => UserName;
}

/// <summary>iam:SetDefaultPolicyVersion.</summary>
public sealed record DefaultPolicyVersion(string PolicyArn, string VersionId);

/// <summary>iam:UpdateAssumeRolePolicy: the role's whole trust policy.</summary>
public sealed record TrustPolicy(string RoleName, string PolicyDocument);

/// <summary>
/// One direction of a pair of IAM operations that undo each other (put/delete, attach/detach): the name, the family
/// that holds its partner, which direction it is, and its JSON. The pair's classes add only validation and inversion.
/// </summary>
public abstract class PairedIamOperation<T, TFamily> : RemediationOperation<T>
    where T : class
{
    private protected PairedIamOperation(string name, IReadOnlyList<string> reads, JsonTypeInfo<T> json, TFamily family, bool adds)
        : base(name, [name], reads)
    {
        Json = json;
        Family = family;
        Adds = adds;
    }

    protected sealed override JsonTypeInfo<T> Json { get; }

    /// <summary>The pair this operation belongs to, where its inverse is found.</summary>
    private protected TFamily Family { get; }

    /// <summary>True for the operation that puts something on the principal (put, attach), false for its removal.</summary>
    private protected bool Adds { get; }
}

/// <summary>
/// One family of IAM operations that exist once per principal kind (an inline policy of a role, a user or a group):
/// the entries of one kind, so that an inverse finds its partner of the same kind.
/// </summary>
public sealed class InlinePolicyOperations<T>
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
}

/// <summary>Attach and detach of a managed policy, for one principal kind.</summary>
public sealed class AttachmentOperations<T>
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
}

/// <summary>Put and delete of a permissions boundary, for roles and users (groups cannot have one).</summary>
public sealed class BoundaryOperations<T>
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
}

/// <summary>iam:SetDefaultPolicyVersion: inverse, the default version before.</summary>
public sealed class SetDefaultPolicyVersionOperation : RemediationOperation<DefaultPolicyVersion>
{
    internal SetDefaultPolicyVersionOperation()
        : base("iam:SetDefaultPolicyVersion", ["iam:SetDefaultPolicyVersion"], ["iam:GetPolicy"])
    {
    }

    protected override JsonTypeInfo<DefaultPolicyVersion> Json => OperationJsonContext.Default.DefaultPolicyVersion;

    protected override string? Validate(DefaultPolicyVersion parameters) => Required(("PolicyArn", parameters.PolicyArn), ("VersionId", parameters.VersionId));

    protected override Inversion Invert(AuditAction done, DefaultPolicyVersion parameters) =>
        !StepStates.TryReadString(done.Before, StepStates.DefaultVersionId, out var version) || version is null
            ? Inversion.Unknown("the default version before the change was not recorded")
            : Inversion.Of(UndoStep(done, $"Make version {version} the default again.", parameters with { VersionId = version }));
}

/// <summary>iam:UpdateAssumeRolePolicy: inverse, the trust policy before.</summary>
public sealed class UpdateAssumeRolePolicyOperation : RemediationOperation<TrustPolicy>
{
    internal UpdateAssumeRolePolicyOperation()
        : base("iam:UpdateAssumeRolePolicy", ["iam:UpdateAssumeRolePolicy"], ["iam:GetRole"])
    {
    }

    protected override JsonTypeInfo<TrustPolicy> Json => OperationJsonContext.Default.TrustPolicy;

    protected override string? Validate(TrustPolicy parameters) => Required(("RoleName", parameters.RoleName), ("PolicyDocument", parameters.PolicyDocument));

    protected override Inversion Invert(AuditAction done, TrustPolicy parameters) =>
        !StepStates.TryReadString(done.Before, StepStates.AssumeRolePolicyDocument, out var trust) || trust is null
            ? Inversion.Unknown("the trust policy before the change was not recorded")
            : Inversion.Of(UndoStep(done, "Put back the trust policy as it was before.", parameters with { PolicyDocument = trust }));
}
