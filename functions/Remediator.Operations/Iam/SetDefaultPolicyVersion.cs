using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Operations;

/// <summary>iam:SetDefaultPolicyVersion.</summary>
public sealed record DefaultPolicyVersion(string PolicyArn, string VersionId);

[JsonSerializable(typeof(DefaultPolicyVersion))]
internal sealed partial class DefaultPolicyVersionJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static SetDefaultPolicyVersionOperation SetDefaultPolicyVersion { get; } = Register(new SetDefaultPolicyVersionOperation());
}

/// <summary>iam:SetDefaultPolicyVersion: inverse, the default version before.</summary>
public sealed class SetDefaultPolicyVersionOperation : ExecutableOperation<DefaultPolicyVersion>
{
    internal SetDefaultPolicyVersionOperation()
        : base("iam:SetDefaultPolicyVersion", ["iam:SetDefaultPolicyVersion"], ["iam:GetPolicy"])
    {
    }

    protected override JsonTypeInfo<DefaultPolicyVersion> Json => OperationJson.For<DefaultPolicyVersion>(DefaultPolicyVersionJson.Default);

    protected override string? Validate(DefaultPolicyVersion parameters) => Required(("PolicyArn", parameters.PolicyArn), ("VersionId", parameters.VersionId));

    protected override Inversion Invert(AuditAction done, DefaultPolicyVersion parameters) =>
        !StepStates.TryReadString(done.Before, StepStates.DefaultVersionId, out var version) || version is null
            ? Inversion.Unknown("the default version before the change was not recorded")
            : Inversion.Of(UndoStep(done, $"Make version {version} the default again.", parameters with { VersionId = version }));

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, DefaultPolicyVersion parameters, CancellationToken cancellationToken)
    {
        var iam = clients.Iam;
        var (policyArn, versionId) = parameters;
        var before = (await iam.GetPolicyAsync(policyArn, cancellationToken).ConfigureAwait(false)).DefaultVersionId;
        if (before == versionId)
        {
            run.AlreadyThere(StepStates.Of(StepStates.DefaultVersionId, before), $"{versionId} was already the default version");
            return;
        }

        run.Before = StepStates.Of(StepStates.DefaultVersionId, before);
        await iam.SetDefaultPolicyVersionAsync(policyArn, versionId, cancellationToken).ConfigureAwait(false);
        run.Called = true;
        var after = (await iam.GetPolicyAsync(policyArn, cancellationToken).ConfigureAwait(false)).DefaultVersionId;
        run.After = StepStates.Of(StepStates.DefaultVersionId, after);
        run.Verified = after == versionId;
    }
}
