using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Aws.Execution;

/// <summary>Tag and untag steps of every service: read the tags, write, read back, check the keys.</summary>
internal static class TagSteps
{
    /// <summary>Registers the tag and untag entries of one service against its client's three calls.</summary>
    public static void Register<TTag, TUntag>(
        OperationHandlers handlers,
        TagOperations<TTag, TUntag> operations,
        Func<string, CancellationToken, Task<IReadOnlyDictionary<string, string>>> read,
        Func<string, IReadOnlyDictionary<string, string>, CancellationToken, Task> tag,
        Func<string, IReadOnlyList<string>, CancellationToken, Task> untag)
        where TTag : class, ITagParameters
        where TUntag : class, IUntagParameters
    {
        handlers.Add(operations.Tag, (run, p, ct) => RunAsync(run, () => read(p.Target, ct), after => p.TagMap.All(t => after.TryGetValue(t.Key, out var value) && value == t.Value),
            () => tag(p.Target, p.TagMap, ct)));
        handlers.Add(operations.Untag, (run, p, ct) => RunAsync(run, () => read(p.Target, ct), after => p.Keys.All(k => !after.ContainsKey(k)),
            () => untag(p.Target, p.Keys, ct)));
    }

    private static async Task RunAsync(
        StepRun run,
        Func<Task<IReadOnlyDictionary<string, string>>> read,
        Func<IReadOnlyDictionary<string, string>, bool> took,
        Func<Task> change)
    {
        var before = await read().ConfigureAwait(false);
        run.Before = State(before);
        await change().ConfigureAwait(false);
        run.Called = true;

        var after = await read().ConfigureAwait(false);
        run.After = State(after);
        run.Verified = took(after);
    }

    public static string State(IReadOnlyDictionary<string, string> tags) =>
        StepStates.Of(StepStates.Tags, tags.ToDictionary(t => t.Key, t => (string?)t.Value, StringComparer.Ordinal));
}
