using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Core.Ports;
using Remediator.Operations;

namespace Remediator.Detectors.Tables;

/// <summary>
/// Finds DynamoDB tables not encrypted with KMS (the AWS-owned key), and, by option, with the AWS-managed key or a key
/// not on the allowed list. CreateTable always sets encryption (absent means the AWS-owned key); UpdateTable only when it
/// carries <c>sSESpecification</c>. When the port can read the table, its current SSEDescription is judged instead of
/// the event (the event says where to look).
/// </summary>
public sealed class TableEncryptionDetector : ResourceDetector<TableEncryptionOptions>
{
    public const string Name = "table-encryption";
    public const string CheckAwsOwnedKey = "aws-owned-key";
    public const string CheckNotKms = "not-kms";
    public const string CheckAwsManagedKey = "aws-managed-key";
    public const string CheckKeyNotAllowed = "key-not-allowed";
    public const string ResourceType = "AWS::DynamoDB::Table";

    private TableEncryptionDetector()
        : base(Concerns.UnencryptedTable, "dynamodb.amazonaws.com", "CreateTable", "UpdateTable")
    {
    }

    public static DetectorDescriptor Descriptor { get; } = new TableEncryptionDetector().Describe(
        Name,
        "Flags DynamoDB tables encrypted with the AWS-owned key instead of KMS, and optionally with the AWS-managed key or a key "
        + "not in allowedKeys; reverts with UpdateTable to KMS encryption with the configured key.",
        TableEncryptionOptions.Specs,
        TableEncryptionOptions.Bind);

    /// <summary>The encryption a table has or was asked to get: KMS with a key (null = AWS-managed), or not KMS.</summary>
    private sealed record Encryption(bool IsKms, string? SseType, string? KmsKey, bool? KeyIsAwsManaged, string Origin);

    protected override async ValueTask<IReadOnlyList<Finding>> JudgeAsync(DetectionContext context, TableEncryptionOptions options, CancellationToken cancellationToken)
    {
        var ev = context.Event;
        var request = ev.RequestParameters;
        var specification = JsonText.MemberIgnoreCase(request, "sSESpecification");
        if (ev.OperationName == "UpdateTable" && specification.ValueKind == JsonValueKind.Undefined)
        {
            return []; // UpdateTable without sSESpecification leaves encryption as it was
        }

        var description = JsonText.MemberIgnoreCase(ev.ResponseElements, "tableDescription");
        var tableName = EventValues.String(request, "tableName") ?? EventValues.String(description, "tableName");
        if (tableName is null)
        {
            return [];
        }

        var tableArn = TableArn(ev, description, tableName);
        var current = await context.State.DynamoDb.GetEncryptionAsync(tableName, cancellationToken).ConfigureAwait(false);
        var encryption = current is not null ? FromState(current) : FromSpecification(specification);

        var (check, why) = Judge(encryption, options);
        if (check is null)
        {
            return [];
        }

        var evidence = new List<string> { encryption.Origin, why! };
        if (specification.ValueKind != JsonValueKind.Undefined)
        {
            evidence.Add("sSESpecification in the request: " + specification.GetRawText());
        }

        return
        [
            Found(context, tableArn, ResourceType, check, $"DynamoDB table '{tableName}' {why}.", evidence,
                [Revert(tableName, tableArn, options.KmsKeyId, encryption)]),
        ];
    }

    private static (string? Check, string? Why) Judge(Encryption encryption, TableEncryptionOptions options)
    {
        if (!encryption.IsKms)
        {
            return encryption.SseType is null
                ? (CheckAwsOwnedKey, "is encrypted with the AWS-owned key, not a KMS key")
                : (CheckNotKms, $"uses SSE type '{encryption.SseType}', not KMS");
        }

        var awsManaged = encryption.KeyIsAwsManaged ?? KmsKeys.IsAwsManaged(encryption.KmsKey);
        if (options.RequireCustomerManagedKey && awsManaged)
        {
            return (CheckAwsManagedKey, "is encrypted with the AWS-managed key alias/aws/dynamodb, not a customer-managed key");
        }

        var key = encryption.KmsKey ?? TableEncryptionOptions.AwsManagedKeyAlias;
        if (options.AllowedKeys.Count > 0 && !KmsKeys.IsAllowed(key, options.AllowedKeys))
        {
            return (CheckKeyNotAllowed, $"is encrypted with KMS key '{key}', which is not one of the allowed keys");
        }

        return (null, null);
    }

    /// <summary>
    /// The request's SSESpecification as the API reads it: Enabled true means KMS (SSEType defaults to KMS, the key to
    /// the AWS-managed one); Enabled false or absent means the AWS-owned key.
    /// </summary>
    private static Encryption FromSpecification(JsonElement specification)
    {
        const string origin = "judged the event's sSESpecification (current table state not readable)";
        if (specification.ValueKind != JsonValueKind.Object)
        {
            return new Encryption(false, null, null, null, origin + ": absent, so the AWS-owned key");
        }

        var enabled = EventValues.Boolean(specification, "enabled");
        var sseType = EventValues.String(specification, "sSEType");
        if (enabled != true)
        {
            return new Encryption(false, null, null, null, origin + $": enabled is {(enabled is null ? "absent" : "false")}, so the AWS-owned key");
        }

        if (sseType is not null && !string.Equals(sseType, "KMS", StringComparison.OrdinalIgnoreCase))
        {
            return new Encryption(false, sseType, null, null, origin);
        }

        return new Encryption(true, "KMS", EventValues.String(specification, "kMSMasterKeyId"), null, origin);
    }

    private static Encryption FromState(TableEncryptionState state)
    {
        const string origin = "judged the table's current SSEDescription (DescribeTable)";
        var enabled = state.Status is null
            || state.Status.Equals("ENABLED", StringComparison.OrdinalIgnoreCase)
            || state.Status.Equals("ENABLING", StringComparison.OrdinalIgnoreCase)
            || state.Status.Equals("UPDATING", StringComparison.OrdinalIgnoreCase);
        if (state.SseType is null || !enabled)
        {
            return new Encryption(false, null, null, null, origin + ": no KMS encryption, so the AWS-owned key");
        }

        return string.Equals(state.SseType, "KMS", StringComparison.OrdinalIgnoreCase)
            ? new Encryption(true, "KMS", state.KmsMasterKeyArn, state.KeyIsAwsManaged, origin)
            : new Encryption(false, state.SseType, null, null, origin);
    }

    private static PlannedAction Revert(string tableName, string tableArn, string kmsKeyId, Encryption previous) =>
        OperationCatalogue.UpdateTable.Plan(ActionNames.Revert, tableArn,
            $"Encrypt DynamoDB table '{tableName}' with KMS key '{kmsKeyId}'; the change completes when DescribeTable shows SSE ENABLED.",
            new TableEncryptionUpdate(tableName, new SseSpecification(true, "KMS", kmsKeyId),
                previous.IsKms ? new SseSpecification(true, "KMS", previous.KmsKey ?? TableEncryptionOptions.AwsManagedKeyAlias) : new SseSpecification(false)));

    private static string TableArn(CloudTrailEvent ev, JsonElement description, string tableName)
    {
        var fromResponse = EventValues.String(description, "tableArn");
        return ResourceArns.IsArn(fromResponse)
            ? fromResponse!
            : ResourceArns.Build("dynamodb", ev.AwsRegion, ev.RecipientAccountId, "table/" + tableName) ?? tableName;
    }
}
