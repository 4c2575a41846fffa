namespace Remediator.Notifier.Stream;

/// <summary>
/// The AWS console page of one audit item (the DynamoDB item explorer opened on its key), built from the stream's
/// <c>eventSourceARN</c> (<c>arn:aws:dynamodb:&lt;region&gt;:&lt;account&gt;:table/&lt;name&gt;/stream/&lt;label&gt;</c>)
/// and the item's key. Only for the standard partition: the console has other domains elsewhere, and a wrong link is
/// worse than the record id that is shown instead.
/// </summary>
public static class AuditConsoleLink
{
    public static Uri? For(string? eventSourceArn, string? partitionKey, string? sortKey)
    {
        if (eventSourceArn is null || partitionKey is null || sortKey is null)
        {
            return null;
        }

        var parts = eventSourceArn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "dynamodb" || !IsRegion(parts[3]))
        {
            return null;
        }

        var resource = parts[5].Split('/');
        if (resource.Length < 2 || resource[0] != "table" || resource[1].Length == 0)
        {
            return null;
        }

        var region = parts[3];
        var query = $"table={Uri.EscapeDataString(resource[1])}&itemMode=2&pk={Uri.EscapeDataString(partitionKey)}&sk={Uri.EscapeDataString(sortKey)}&route=ROUTE_ITEM_EXPLORER";
        return new Uri($"https://{region}.console.aws.amazon.com/dynamodbv2/home?region={region}#edit-item?{query}");
    }

    private static bool IsRegion(string text) =>
        text.Length is > 0 and <= 32 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && text.Contains('-', StringComparison.Ordinal);
}
