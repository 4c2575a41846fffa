using Remediator.Core.Execution;

namespace Remediator.Aws.Execution;

/// <summary>Tag and untag steps of every service: read the tags, write, read back, check the keys.</summary>
internal static class TagSteps
{
    public static async Task RunAsync(
        StepRun run,
        bool untag,
        Func<Task<IReadOnlyDictionary<string, string>>> read,
        Func<IReadOnlyDictionary<string, string>, Task> tag,
        Func<IReadOnlyList<string>, Task> remove)
    {
        var wanted = StepParameters.Tags(run.Parameters);
        var keys = StepParameters.Keys(run.Parameters);
        if (untag ? keys.Count == 0 : wanted.Count == 0)
        {
            throw new StepParameterException($"{run.Step.Operation} on {run.Step.Resource}: no {(untag ? "tag keys" : "tags")} given");
        }

        var before = await read().ConfigureAwait(false);
        run.Before = State(before);
        if (untag)
        {
            await remove(keys).ConfigureAwait(false);
        }
        else
        {
            await tag(wanted).ConfigureAwait(false);
        }

        run.Called = true;

        var after = await read().ConfigureAwait(false);
        run.After = State(after);
        run.Verified = untag
            ? keys.TrueForAll(k => !after.ContainsKey(k))
            : wanted.All(t => after.TryGetValue(t.Key, out var value) && value == t.Value);
    }

    public static string State(IReadOnlyDictionary<string, string> tags) =>
        StepStates.Of(StepStates.Tags, tags.ToDictionary(t => t.Key, t => (string?)t.Value, StringComparer.Ordinal));
}
