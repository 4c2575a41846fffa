namespace Remediator.Core.Ports.Offline;

/// <summary>Offline (CLI dry-run, replay): the table's current encryption is unknown, so detectors judge the event.</summary>
public sealed class OfflineDynamoDbStatePort : IDynamoDbStatePort
{
    public static OfflineDynamoDbStatePort Instance { get; } = new();

    public ValueTask<TableEncryptionState?> GetEncryptionAsync(string tableName, CancellationToken cancellationToken) =>
        ValueTask.FromResult<TableEncryptionState?>(null);
}
