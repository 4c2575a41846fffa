using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.Iam;
using Remediator.Core.Operations;
using CorePrincipalKind = Remediator.Core.Ports.IamPrincipalKind;

namespace Remediator.Operations;

/// <summary>A role, user or group named by a step's parameters (<c>RoleName</c>, <c>UserName</c> or <c>GroupName</c>).</summary>
public interface IPrincipalParameters
{
    CorePrincipalKind Kind { get; }

    string PrincipalName { get; }
}

/// <summary>
/// One direction of a pair of IAM operations that undo each other (put/delete, attach/detach): the name, the family
/// that holds its partner, which direction it is, and its JSON. The pair's classes add validation, inversion and
/// execution.
/// </summary>
public abstract class PairedIamOperation<T, TFamily> : ExecutableOperation<T>
    where T : class, IPrincipalParameters
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

    /// <summary>The principal as the IAM client names it.</summary>
    private protected static IamPrincipal Principal(IPrincipalParameters parameters) =>
        new(parameters.Kind switch
        {
            CorePrincipalKind.Role => IamPrincipalKind.Role,
            CorePrincipalKind.User => IamPrincipalKind.User,
            _ => IamPrincipalKind.Group,
        }, parameters.PrincipalName);
}
