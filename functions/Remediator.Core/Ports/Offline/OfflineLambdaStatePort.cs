namespace Remediator.Core.Ports.Offline;

/// <summary>Offline (CLI dry-run, replay): the current timeout is unknown, so detectors judge the event itself.</summary>
public sealed class OfflineLambdaStatePort : ILambdaStatePort
{
    public static OfflineLambdaStatePort Instance { get; } = new();

    public ValueTask<int?> GetFunctionTimeoutAsync(string functionNameOrArn, CancellationToken cancellationToken) =>
        ValueTask.FromResult<int?>(null);
}
