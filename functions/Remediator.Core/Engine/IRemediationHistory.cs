using System.Collections.Concurrent;

namespace Remediator.Core.Engine;

/// <summary>
/// When the guard last changed a resource: what the cool-down and the circuit breaker decide on.
/// In AWS it is read from the audit table; locally an in-memory history is enough.
/// </summary>
public interface IRemediationHistory
{
    /// <summary>Times of automatic changes to the resource at or after <paramref name="since"/>.</summary>
    ValueTask<IReadOnlyList<DateTimeOffset>> ChangesSinceAsync(string resource, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Records that an automatic change to the resource is planned/applied at <paramref name="at"/>.</summary>
    ValueTask RecordChangeAsync(string resource, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>History kept in memory for one process: replay in the CLI, tests.</summary>
public sealed class InMemoryRemediationHistory : IRemediationHistory
{
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _changes = new(StringComparer.Ordinal);

    public ValueTask<IReadOnlyList<DateTimeOffset>> ChangesSinceAsync(string resource, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (!_changes.TryGetValue(resource, out var times))
        {
            return ValueTask.FromResult<IReadOnlyList<DateTimeOffset>>([]);
        }

        lock (times)
        {
            return ValueTask.FromResult<IReadOnlyList<DateTimeOffset>>(times.Where(t => t >= since).ToList());
        }
    }

    public ValueTask RecordChangeAsync(string resource, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var times = _changes.GetOrAdd(resource, _ => []);
        lock (times)
        {
            times.Add(at);
        }

        return ValueTask.CompletedTask;
    }
}
