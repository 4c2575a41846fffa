using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Operations;

/// <summary>iam:UpdateAssumeRolePolicy: the role's whole trust policy.</summary>
public sealed record TrustPolicy(string RoleName, string PolicyDocument);

[JsonSerializable(typeof(TrustPolicy))]
internal sealed partial class TrustPolicyJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static UpdateAssumeRolePolicyOperation UpdateAssumeRolePolicy { get; } = Register(new UpdateAssumeRolePolicyOperation());
}

/// <summary>iam:UpdateAssumeRolePolicy: inverse, the trust policy before.</summary>
public sealed class UpdateAssumeRolePolicyOperation : ExecutableOperation<TrustPolicy>
{
    internal UpdateAssumeRolePolicyOperation()
        : base("iam:UpdateAssumeRolePolicy", ["iam:UpdateAssumeRolePolicy"], ["iam:GetRole"])
    {
        WritesDocument = true;
    }

    protected override JsonTypeInfo<TrustPolicy> Json => OperationJson.For<TrustPolicy>(TrustPolicyJson.Default);

    protected override string? Validate(TrustPolicy parameters) => Required(("RoleName", parameters.RoleName), ("PolicyDocument", parameters.PolicyDocument));

    protected override Inversion Invert(AuditAction done, TrustPolicy parameters) =>
        !StepStates.TryReadString(done.Before, StepStates.AssumeRolePolicyDocument, out var trust) || trust is null
            ? Inversion.Unknown("the trust policy before the change was not recorded")
            : Inversion.Of(UndoStep(done, "Put back the trust policy as it was before.", parameters with { PolicyDocument = trust }));

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, TrustPolicy parameters, CancellationToken cancellationToken)
    {
        var iam = clients.Iam;
        var (roleName, document) = parameters;
        run.Before = StepStates.Of(StepStates.AssumeRolePolicyDocument, (await iam.GetRoleAsync(roleName, cancellationToken).ConfigureAwait(false)).AssumeRolePolicyDocument);
        await iam.UpdateAssumeRolePolicyAsync(roleName, document, cancellationToken).ConfigureAwait(false);
        run.Called = true;
        var after = (await iam.GetRoleAsync(roleName, cancellationToken).ConfigureAwait(false)).AssumeRolePolicyDocument;
        run.After = StepStates.Of(StepStates.AssumeRolePolicyDocument, after);
        run.Verified = StepRun.SameJson(after, document);
    }
}
