namespace Remediator.Core.Ports;

/// <summary>Reads current state for the detectors (see <see cref="ResourceStatePorts"/>).</summary>
public interface IDynamoDbStatePort
{
    /// <summary>
    /// The table's current encryption (DescribeTable's <c>SSEDescription</c>), or null when it cannot be read
    /// (offline, or the table is gone): the detector then judges the event.
    /// </summary>
    ValueTask<TableEncryptionState?> GetEncryptionAsync(string tableName, CancellationToken cancellationToken);
}

/// <summary>
/// A table's encryption at rest as DescribeTable reports it. A table with no <c>SSEDescription</c> uses the
/// AWS-owned key: <see cref="AwsOwnedKey"/>.
/// </summary>
/// <param name="Status">SSEDescription.Status (ENABLED, UPDATING, ...), null without an SSEDescription.</param>
/// <param name="SseType">SSEDescription.SSEType (KMS), null without an SSEDescription.</param>
/// <param name="KmsMasterKeyArn">SSEDescription.KMSMasterKeyArn: always a key ARN, never an alias.</param>
/// <param name="KeyIsAwsManaged">
/// Whether that key is the AWS-managed <c>alias/aws/dynamodb</c> (kms:DescribeKey's KeyManager = AWS); null when unknown,
/// because a key ARN alone does not say so.
/// </param>
public sealed record TableEncryptionState(string? Status, string? SseType, string? KmsMasterKeyArn, bool? KeyIsAwsManaged)
{
    public static TableEncryptionState AwsOwnedKey { get; } = new(null, null, null, null);
}
