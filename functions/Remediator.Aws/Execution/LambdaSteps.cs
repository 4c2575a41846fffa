using Remediator.Aws.Lambda;
using Remediator.Core.Execution;

namespace Remediator.Aws.Execution;

/// <summary>A function's timeout (guarded by its revision id) and its tags.</summary>
internal sealed class LambdaSteps(LambdaClient lambda)
{
    public void Register(Dictionary<string, Func<StepRun, CancellationToken, Task>> handlers)
    {
        handlers["lambda:UpdateFunctionConfiguration"] = UpdateTimeoutAsync;
        handlers["lambda:TagResource"] = (run, ct) => TagsAsync(run, untag: false, ct);
        handlers["lambda:UntagResource"] = (run, ct) => TagsAsync(run, untag: true, ct);
    }

    private async Task UpdateTimeoutAsync(StepRun run, CancellationToken ct)
    {
        var function = run.Require("FunctionName");
        var timeout = run.RequireInt("Timeout");
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

    private async Task TagsAsync(StepRun run, bool untag, CancellationToken ct)
    {
        var arn = run.Require("Resource");
        await TagSteps.RunAsync(run, untag,
            () => lambda.ListTagsAsync(arn, ct),
            tags => lambda.TagResourceAsync(arn, tags, ct),
            keys => lambda.UntagResourceAsync(arn, keys, ct)).ConfigureAwait(false);
    }
}
