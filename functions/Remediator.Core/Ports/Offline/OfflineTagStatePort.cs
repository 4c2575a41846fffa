namespace Remediator.Core.Ports.Offline;

/// <summary>Tags are unknown offline: the engine then falls back to the tags the creating call carried.</summary>
public sealed class OfflineTagStatePort : ITagStatePort
{
    public static OfflineTagStatePort Instance { get; } = new();

    public ValueTask<IReadOnlyDictionary<string, string>?> GetTagsAsync(string resourceArn, string resourceType, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, string>?>(null);
}
