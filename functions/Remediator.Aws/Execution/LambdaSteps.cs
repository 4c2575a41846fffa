using Remediator.Aws.Lambda;
using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Aws.Execution;

/// <summary>A function's timeout (guarded by its revision id) and its tags.</summary>
internal sealed class LambdaSteps(LambdaClient lambda)
{
    public void Register(OperationHandlers handlers)
    {
        handlers.Add(OperationCatalogue.UpdateFunctionConfiguration, UpdateTimeoutAsync);
        TagSteps.Register(handlers, OperationCatalogue.FunctionTags, lambda.ListTagsAsync, lambda.TagResourceAsync, lambda.UntagResourceAsync);
    }

    private async Task UpdateTimeoutAsync(StepRun run, FunctionTimeout parameters, CancellationToken ct)
    {
        var function = parameters.FunctionName;
        var timeout = parameters.Timeout!.Value;
        var before = await lambda.GetFunctionConfigurationAsync(function, cancellationToken: ct).ConfigureAwait(false);
        if (before.Timeout == timeout)
        {
            run.AlreadyThere(StepStates.Of(StepStates.Timeout, before.Timeout), $"the timeout was already {timeout} s");
            return;
        }

        run.Before = StepStates.Of(StepStates.Timeout, before.Timeout);
        // The revision id makes Lambda refuse the call if someone changed the function since we read it.
        await lambda.UpdateTimeoutAsync(function, timeout, before.RevisionId, ct).ConfigureAwait(false);
        run.Called = true;
        var after = await lambda.GetFunctionConfigurationAsync(function, cancellationToken: ct).ConfigureAwait(false);
        run.After = StepStates.Of(StepStates.Timeout, after.Timeout);
        run.Verified = after.Timeout == timeout;
    }
}
