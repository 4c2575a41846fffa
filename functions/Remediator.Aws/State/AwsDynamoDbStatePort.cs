using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Remediator.Core.Ports;

namespace Remediator.Aws.State;

/// <summary>
/// A table's encryption from DescribeTable's SSEDescription; whether its KMS key is the AWS-managed one from
/// kms:DescribeKey (KeyManager = AWS), or unknown (null) when the key cannot be read (no permission, another account).
/// </summary>
public sealed class AwsDynamoDbStatePort : IDynamoDbStatePort
{
    private readonly IAmazonDynamoDB _dynamoDb;
    private readonly IAmazonKeyManagementService? _kms;

    /// <param name="kms">Null: never ask, <see cref="TableEncryptionState.KeyIsAwsManaged"/> stays unknown.</param>
    public AwsDynamoDbStatePort(IAmazonDynamoDB dynamoDb, IAmazonKeyManagementService? kms)
    {
        ArgumentNullException.ThrowIfNull(dynamoDb);
        _dynamoDb = dynamoDb;
        _kms = kms;
    }

    public async ValueTask<TableEncryptionState?> GetEncryptionAsync(string tableName, CancellationToken cancellationToken)
    {
        TableDescription table;
        try
        {
            table = (await _dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false)).Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }

        var sse = table.SSEDescription;
        if (sse is null || (sse.Status is null && sse.SSEType is null && sse.KMSMasterKeyArn is null))
        {
            return TableEncryptionState.AwsOwnedKey;
        }

        var keyArn = sse.KMSMasterKeyArn;
        var awsManaged = keyArn is null ? null : await KeyIsAwsManagedAsync(keyArn, cancellationToken).ConfigureAwait(false);
        return new TableEncryptionState(sse.Status?.Value, sse.SSEType?.Value, keyArn, awsManaged);
    }

    private async Task<bool?> KeyIsAwsManagedAsync(string keyArn, CancellationToken cancellationToken)
    {
        if (_kms is null)
        {
            return null;
        }

        try
        {
            var key = await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyArn }, cancellationToken).ConfigureAwait(false);
            var manager = key.KeyMetadata?.KeyManager?.Value;
            return manager is null ? null : manager == KeyManagerType.AWS.Value;
        }
        catch (AmazonServiceException)
        {
            // Not readable (denied, another account's key, gone): unknown, and the detector says so.
            return null;
        }
    }
}
