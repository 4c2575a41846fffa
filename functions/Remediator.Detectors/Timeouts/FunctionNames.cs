namespace Remediator.Detectors.Timeouts;

/// <summary>
/// Lambda accepts a function as a name, a partial ARN (<c>123456789012:function:name</c>) or a full ARN, each possibly
/// with a <c>:qualifier</c>. Options and findings compare by bare name.
/// </summary>
internal static class FunctionNames
{
    private const string Marker = "function:";

    public static string NameOf(string nameOrArn)
    {
        var at = nameOrArn.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return nameOrArn.Trim();
        }

        var rest = nameOrArn[(at + Marker.Length)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? rest : rest[..colon]).Trim();
    }
}
