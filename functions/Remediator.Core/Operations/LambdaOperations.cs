using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Core.Operations;

/// <summary>lambda:UpdateFunctionConfiguration, timeout only (seconds).</summary>
public sealed record FunctionTimeout(string FunctionName, int? Timeout, long? PreviousTimeout = null);

/// <summary>A function's timeout. Inverse: the timeout before.</summary>
public sealed class UpdateFunctionConfigurationOperation : RemediationOperation<FunctionTimeout>
{
    internal UpdateFunctionConfigurationOperation()
        : base("lambda:UpdateFunctionConfiguration", ["lambda:UpdateFunctionConfiguration"], ["lambda:GetFunctionConfiguration"])
    {
    }

    protected override JsonTypeInfo<FunctionTimeout> Json => OperationJsonContext.Default.FunctionTimeout;

    protected override string? Validate(FunctionTimeout parameters) => Required(("FunctionName", parameters.FunctionName))
        ?? (parameters.Timeout is null ? "parameter 'Timeout' is missing or not a whole number" : null);

    protected override Inversion Invert(AuditAction done, FunctionTimeout parameters) =>
        StepStates.TryReadInt(done.Before, StepStates.Timeout, out var timeout)
            ? Inversion.Of(UndoStep(done, $"Set the timeout back to {timeout} s.", new FunctionTimeout(parameters.FunctionName, timeout)))
            : Inversion.Unknown("the timeout before the change was not recorded");
}
