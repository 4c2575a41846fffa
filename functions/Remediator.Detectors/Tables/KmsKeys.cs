namespace Remediator.Detectors.Tables;

/// <summary>
/// Compares the ways a KMS key can be named: key id, key ARN (<c>...:key/ID</c>), alias name (<c>alias/NAME</c>), alias
/// ARN (<c>...:alias/NAME</c>). Without KMS calls an alias cannot be matched to a key id: that needs both spelled alike.
/// </summary>
internal static class KmsKeys
{
    public static bool IsAwsManaged(string? key) =>
        key is null
        || string.Equals(key, TableEncryptionOptions.AwsManagedKeyAlias, StringComparison.Ordinal)
        || key.EndsWith(":" + TableEncryptionOptions.AwsManagedKeyAlias, StringComparison.Ordinal);

    public static bool IsAllowed(string key, IReadOnlyList<string> allowed) => allowed.Any(a => Same(key, a));

    private static bool Same(string a, string b) =>
        string.Equals(a, b, StringComparison.Ordinal) || string.Equals(ShortName(a), ShortName(b), StringComparison.Ordinal);

    /// <summary><c>key/ID</c> or <c>alias/NAME</c> for any spelling; a bare key id becomes <c>key/ID</c>.</summary>
    private static string ShortName(string key)
    {
        if (key.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = key.Split(':', 6);
            return parts.Length == 6 ? parts[5] : key;
        }

        return key.StartsWith("alias/", StringComparison.Ordinal) ? key : "key/" + key;
    }
}
