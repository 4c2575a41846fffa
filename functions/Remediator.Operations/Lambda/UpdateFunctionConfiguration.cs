using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Operations;

/// <summary>lambda:UpdateFunctionConfiguration, timeout only (seconds).</summary>
public sealed record FunctionTimeout(string FunctionName, int? Timeout, long? PreviousTimeout = null);

[JsonSerializable(typeof(FunctionTimeout))]
internal sealed partial class FunctionTimeoutJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static UpdateFunctionConfigurationOperation UpdateFunctionConfiguration { get; } = Register(new UpdateFunctionConfigurationOperation());
}

/// <summary>A function's timeout, guarded by its revision id. Inverse: the timeout before.</summary>
public sealed class UpdateFunctionConfigurationOperation : ExecutableOperation<FunctionTimeout>
{
    internal UpdateFunctionConfigurationOperation()
        : base("lambda:UpdateFunctionConfiguration", ["lambda:UpdateFunctionConfiguration"], ["lambda:GetFunctionConfiguration"])
    {
    }

    protected override JsonTypeInfo<FunctionTimeout> Json => OperationJson.For<FunctionTimeout>(FunctionTimeoutJson.Default);

    protected override string? Validate(FunctionTimeout parameters) => Required(("FunctionName", parameters.FunctionName))
        ?? (parameters.Timeout is null ? "parameter 'Timeout' is missing or not a whole number" : null);

    protected override Inversion Invert(AuditAction done, FunctionTimeout parameters) =>
        StepStates.TryReadInt(done.Before, StepStates.Timeout, out var timeout)
            ? Inversion.Of(UndoStep(done, $"Set the timeout back to {timeout} s.", new FunctionTimeout(parameters.FunctionName, timeout)))
            : Inversion.Unknown("the timeout before the change was not recorded");

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, FunctionTimeout parameters, CancellationToken cancellationToken)
    {
        var lambda = clients.Lambda;
        var function = parameters.FunctionName;
        var timeout = parameters.Timeout!.Value;
        var before = await lambda.GetFunctionConfigurationAsync(function, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (before.Timeout == timeout)
        {
            run.AlreadyThere(StepStates.Of(StepStates.Timeout, before.Timeout), $"the timeout was already {timeout} s");
            return;
        }

        run.Before = StepStates.Of(StepStates.Timeout, before.Timeout);
        // The revision id makes Lambda refuse the call if someone changed the function since we read it.
        await lambda.UpdateTimeoutAsync(function, timeout, before.RevisionId, cancellationToken).ConfigureAwait(false);
        run.Called = true;
        var after = await lambda.GetFunctionConfigurationAsync(function, cancellationToken: cancellationToken).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Timeout, after.Timeout);
        run.Verified = after.Timeout == timeout;
    }
}
