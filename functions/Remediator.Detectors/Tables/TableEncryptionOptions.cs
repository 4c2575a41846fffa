namespace Remediator.Detectors.Tables;

/// <summary>Options of <see cref="TableEncryptionDetector"/>.</summary>
/// <param name="RequireCustomerManagedKey">Whether the AWS-managed key (<c>alias/aws/dynamodb</c>) is a finding too.</param>
/// <param name="AllowedKeys">When not empty, the only KMS keys allowed (key ARNs, key ids, alias names or alias ARNs).</param>
/// <param name="KmsKeyId">The key the revert sets.</param>
public sealed record TableEncryptionOptions(bool RequireCustomerManagedKey, IReadOnlyList<string> AllowedKeys, string KmsKeyId)
{
    public const string AwsManagedKeyAlias = "alias/aws/dynamodb";

    public static OptionSpec RequireCustomerManagedKeySpec { get; } = new("requireCustomerManagedKey", OptionKind.Boolean,
        "Also flag tables encrypted with the AWS-managed key alias/aws/dynamodb.")
    {
        Default = false,
    };

    public static OptionSpec AllowedKeysSpec { get; } = new("allowedKeys", OptionKind.StringList,
        "When not empty, the only KMS keys a table may use: key ARNs, key ids, alias names (alias/...) or alias ARNs.")
    {
        Default = Array.Empty<string>(),
    };

    public static OptionSpec KmsKeyIdSpec { get; } = new("kmsKeyId", OptionKind.String,
        "KMS key the revert encrypts the table with; must be a customer-managed key when requireCustomerManagedKey is true.")
    {
        Default = AwsManagedKeyAlias,
    };

    public static IReadOnlyList<OptionSpec> Specs { get; } = [RequireCustomerManagedKeySpec, AllowedKeysSpec, KmsKeyIdSpec];

    public static TableEncryptionOptions Bind(OptionValues values)
    {
        var requireCustomer = OptionReading.Boolean(values, RequireCustomerManagedKeySpec);
        var allowed = OptionReading.StringList(values, AllowedKeysSpec);
        if (allowed.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Option 'allowedKeys' must not hold empty entries.");
        }

        var kmsKeyId = OptionReading.String(values, KmsKeyIdSpec);
        if (string.IsNullOrWhiteSpace(kmsKeyId))
        {
            throw new ArgumentException("Option 'kmsKeyId' must name a KMS key (key ARN, key id, alias name or alias ARN).");
        }

        if (requireCustomer && KmsKeys.IsAwsManaged(kmsKeyId))
        {
            throw new ArgumentException(
                $"Option 'kmsKeyId' must name a customer-managed key when 'requireCustomerManagedKey' is true; '{kmsKeyId}' is the AWS-managed key, so the revert would itself be a finding.");
        }

        if (allowed.Count > 0 && !KmsKeys.IsAllowed(kmsKeyId, allowed))
        {
            throw new ArgumentException(
                $"Option 'kmsKeyId' ('{kmsKeyId}') must be one of 'allowedKeys', or the revert would itself be a finding.");
        }

        return new TableEncryptionOptions(requireCustomer, allowed, kmsKeyId);
    }
}
