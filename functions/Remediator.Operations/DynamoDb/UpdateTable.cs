using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Operations;

/// <summary>DynamoDB's SSESpecification; <c>Enabled=false</c> is its documented way back to the AWS-owned key.</summary>
public sealed record SseSpecification(bool Enabled, string? SSEType = null, string? KMSMasterKeyId = null);

/// <summary>dynamodb:UpdateTable, encryption only.</summary>
public sealed record TableEncryptionUpdate(string TableName, SseSpecification? SSESpecification, SseSpecification? PreviousSSESpecification = null);

[JsonSerializable(typeof(TableEncryptionUpdate))]
internal sealed partial class TableEncryptionJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static UpdateTableOperation UpdateTable { get; } = Register(new UpdateTableOperation());
}

/// <summary>
/// A table's encryption. A KMS key also needs kms:DescribeKey and kms:CreateGrant (DynamoDB checks and grants the key
/// on the caller's behalf). Inverse: the encryption before, from its SSEDescription. DynamoDB changes encryption
/// asynchronously: a re-read showing UPDATING or ENABLING counts as taken (the change is under way and cannot be
/// lost), which the step's note says; the KMS key can then only be compared once the status is ENABLED.
/// </summary>
public sealed class UpdateTableOperation : ExecutableOperation<TableEncryptionUpdate>
{
    private static readonly string[] KmsPermissions = ["dynamodb:UpdateTable", "kms:DescribeKey", "kms:CreateGrant"];

    internal UpdateTableOperation()
        : base("dynamodb:UpdateTable", KmsPermissions, ["dynamodb:DescribeTable"])
    {
    }

    protected override JsonTypeInfo<TableEncryptionUpdate> Json => OperationJson.For<TableEncryptionUpdate>(TableEncryptionJson.Default);

    protected override IReadOnlyList<string> PermissionsOf(TableEncryptionUpdate parameters) =>
        parameters.SSESpecification?.Enabled == true ? KmsPermissions : ["dynamodb:UpdateTable"];

    protected override string? Validate(TableEncryptionUpdate parameters) => Required(("TableName", parameters.TableName))
        ?? (parameters.SSESpecification is null ? "only the 'SSESpecification' change is carried out" : null);

    protected override Inversion Invert(AuditAction done, TableEncryptionUpdate parameters)
    {
        if (!StepStates.TryRead(done.Before, StepStates.SseDescription, out var description))
        {
            return Inversion.Unknown("the table's encryption before the change was not recorded");
        }

        var sse = description as JsonObject;
        var previousKey = sse is null ? null : StepParameters.String(sse, "KMSMasterKeyArn");
        var isKms = sse is not null && string.Equals(StepParameters.String(sse, "SSEType"), "KMS", StringComparison.OrdinalIgnoreCase);
        var specification = isKms && previousKey is not null ? new SseSpecification(true, "KMS", previousKey) : new SseSpecification(false);
        return Inversion.Of(UndoStep(done, isKms ? $"Encrypt the table with KMS key '{previousKey}' again." : "Put the table back on the AWS-owned key.",
            new TableEncryptionUpdate(parameters.TableName, specification)));
    }

    private static async Task<SSEDescription?> EncryptionAsync(IAmazonDynamoDB dynamoDb, string table, CancellationToken ct)
    {
        var sse = (await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct).ConfigureAwait(false)).Table.SSEDescription;
        return sse is null || (sse.Status is null && sse.SSEType is null && sse.KMSMasterKeyArn is null) ? null : sse;
    }

    private static string State(SSEDescription? sse) =>
        StepStates.Of(StepStates.SseDescription, sse is null
            ? null
            : new JsonObject { ["Status"] = sse.Status?.Value, ["SSEType"] = sse.SSEType?.Value, ["KMSMasterKeyArn"] = sse.KMSMasterKeyArn });

    private protected override async Task ExecuteAsync(AwsClients clients, StepRun run, TableEncryptionUpdate parameters, CancellationToken cancellationToken)
    {
        var dynamoDb = clients.DynamoDb;
        var table = parameters.TableName;
        var wanted = parameters.SSESpecification!;
        var enabled = wanted.Enabled;
        var keyId = string.IsNullOrEmpty(wanted.KMSMasterKeyId) ? null : wanted.KMSMasterKeyId;
        var specification = new SSESpecification { Enabled = enabled };
        if (enabled)
        {
            specification.SSEType = SSEType.FindValue(wanted.SSEType ?? "KMS");
            specification.KMSMasterKeyId = keyId;
        }

        var before = await EncryptionAsync(dynamoDb, table, cancellationToken).ConfigureAwait(false);
        run.Before = State(before);
        await dynamoDb.UpdateTableAsync(new UpdateTableRequest { TableName = table, SSESpecification = specification }, cancellationToken).ConfigureAwait(false);
        run.Called = true;
        var after = await EncryptionAsync(dynamoDb, table, cancellationToken).ConfigureAwait(false);
        run.After = State(after);
        var status = after?.Status?.Value;
        if (enabled)
        {
            var kms = after is not null && string.Equals(after.SSEType?.Value, "KMS", StringComparison.Ordinal);
            var keyMatches = keyId is null || !keyId.StartsWith("arn:", StringComparison.Ordinal) || keyId == after?.KMSMasterKeyArn;
            run.Verified = kms && (status is "UPDATING" or "ENABLING" || (status == "ENABLED" && keyMatches));
        }
        else
        {
            run.Verified = after is null || status is "UPDATING" or "DISABLING" or "DISABLED";
        }

        run.Note = run.Verified
            ? status is "UPDATING" or "ENABLING" or "DISABLING" ? $"DynamoDB reports {status}: the change is under way (asynchronous)" : null
            : "UpdateTable was accepted but DescribeTable does not show the new encryption yet (DynamoDB applies it asynchronously)";
    }
}
