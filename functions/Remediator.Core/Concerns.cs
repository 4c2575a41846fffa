namespace Remediator.Core;

/// <summary>
/// The four concerns of the guard. The names are part of the product's language: rule files, findings,
/// audit records, metrics and function names all use exactly these strings.
/// </summary>
public static class Concerns
{
    public const string IamBroadPermissions = "iam-broad-permissions";
    public const string PublicEventBus = "public-event-bus";
    public const string MissingTimeout = "missing-timeout";
    public const string UnencryptedTable = "unencrypted-table";

    public static IReadOnlyList<string> All { get; } =
        [IamBroadPermissions, PublicEventBus, MissingTimeout, UnencryptedTable];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
