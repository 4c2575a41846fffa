using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Core.Operations;

/// <summary>DynamoDB's SSESpecification; <c>Enabled=false</c> is its documented way back to the AWS-owned key.</summary>
public sealed record SseSpecification(bool Enabled, string? SSEType = null, string? KMSMasterKeyId = null);

/// <summary>dynamodb:UpdateTable, encryption only.</summary>
public sealed record TableEncryptionUpdate(string TableName, SseSpecification? SSESpecification, SseSpecification? PreviousSSESpecification = null);

/// <summary>
/// A table's encryption. A KMS key also needs kms:DescribeKey and kms:CreateGrant (DynamoDB checks and grants the key
/// on the caller's behalf). Inverse: the encryption before, from its SSEDescription.
/// </summary>
public sealed class UpdateTableOperation : RemediationOperation<TableEncryptionUpdate>
{
    private static readonly string[] KmsPermissions = ["dynamodb:UpdateTable", "kms:DescribeKey", "kms:CreateGrant"];

    internal UpdateTableOperation()
        : base("dynamodb:UpdateTable", KmsPermissions, ["dynamodb:DescribeTable"])
    {
    }

    protected override JsonTypeInfo<TableEncryptionUpdate> Json => OperationJsonContext.Default.TableEncryptionUpdate;

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

        var sse = description as System.Text.Json.Nodes.JsonObject;
        var previousKey = sse is null ? null : StepParameters.String(sse, "KMSMasterKeyArn");
        var isKms = sse is not null && string.Equals(StepParameters.String(sse, "SSEType"), "KMS", StringComparison.OrdinalIgnoreCase);
        var specification = isKms && previousKey is not null ? new SseSpecification(true, "KMS", previousKey) : new SseSpecification(false);
        return Inversion.Of(UndoStep(done, isKms ? $"Encrypt the table with KMS key '{previousKey}' again." : "Put the table back on the AWS-owned key.",
            new TableEncryptionUpdate(parameters.TableName, specification)));
    }
}
