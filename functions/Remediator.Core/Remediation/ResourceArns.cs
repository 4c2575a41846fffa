namespace Remediator.Core.Remediation;

/// <summary>
/// Builds and takes apart the ARNs the detectors report and the operations plan steps on. Region and account come from the event and may be
/// placeholders ("-", "XXXX") in sanitised records: then no ARN is built and the caller falls back to the name.
/// </summary>
public static class ResourceArns
{
    public static bool IsAccountId(string? text) => text is { Length: 12 } && text.All(char.IsAsciiDigit);

    public static bool IsRegion(string? text) =>
        !string.IsNullOrEmpty(text) && text.Contains('-', StringComparison.Ordinal) && char.IsAsciiLetterLower(text[0])
        && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public static string PartitionOf(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    /// <summary><c>arn:{partition}:{service}:{region}:{account}:{resource}</c>, or null when region or account is not real.</summary>
    public static string? Build(string service, string? region, string? account, string resource) =>
        IsRegion(region) && IsAccountId(account) ? $"arn:{PartitionOf(region!)}:{service}:{region}:{account}:{resource}" : null;

    /// <summary>API Gateway ARNs have no account: <c>arn:aws:apigateway:{region}::{path}</c>.</summary>
    public static string? BuildApiGateway(string? region, string path) =>
        IsRegion(region) ? $"arn:{PartitionOf(region!)}:apigateway:{region}::{path}" : null;

    public static bool IsArn(string? text) => text is not null && text.StartsWith("arn:", StringComparison.Ordinal);

    /// <summary>The account field of an ARN (the fifth), or null when the text is not an ARN.</summary>
    public static string? AccountOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" ? parts[4] : null;
    }

    /// <summary>The resource part of an ARN (after the fifth colon), or null when the text is not an ARN.</summary>
    public static string? ResourceOf(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" ? parts[5] : null;
    }
}
