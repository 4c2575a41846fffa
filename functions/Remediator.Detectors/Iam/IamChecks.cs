namespace Remediator.Detectors.Iam;

/// <summary>
/// The checks of the <c>iam-broad-policy</c> detector. The strings are part of rule files (option <c>checks</c>) and
/// of findings (<c>Finding.Check</c>): never rename them.
/// </summary>
public static class IamChecks
{
    /// <summary>Allow with Action <c>*</c> or <c>*:*</c>.</summary>
    public const string AdminWildcard = "admin-wildcard";

    /// <summary>Allow with <c>service:*</c> (not <c>ec2:Describe*</c>), unless the service is allowed.</summary>
    public const string ServiceWildcard = "service-wildcard";

    /// <summary>Allow with NotAction: everything except a list.</summary>
    public const string NotAction = "not-action";

    /// <summary>Allow with NotResource: every resource except a list.</summary>
    public const string NotResource = "not-resource";

    /// <summary>Allow with NotPrincipal: every principal except a list.</summary>
    public const string NotPrincipal = "not-principal";

    /// <summary>An action (or a documented combination) that lets its holder grant itself more, on Resource <c>*</c>.</summary>
    public const string PrivilegeEscalation = "privilege-escalation";

    /// <summary>A trust policy anyone can assume.</summary>
    public const string PublicTrust = "public-trust";

    /// <summary>A trust policy naming an account that is neither this one nor a trusted one, without ExternalId or org pinning.</summary>
    public const string UntrustedAccountTrust = "untrusted-account-trust";

    /// <summary>One of the broad AWS-managed policies (AdministratorAccess, PowerUserAccess, IAMFullAccess) was attached.</summary>
    public const string ManagedPolicy = "managed-policy";

    /// <summary>The document could not be read as a policy: it cannot be judged, which is itself worth a look.</summary>
    public const string UnparseableDocument = "unparseable-document";

    /// <summary>Every check, in the order findings are reported for one statement.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AdminWildcard, ServiceWildcard, NotAction, NotResource, NotPrincipal, PrivilegeEscalation,
        PublicTrust, UntrustedAccountTrust, ManagedPolicy, UnparseableDocument,
    ];

    /// <summary>Position in <see cref="All"/>: the tie-breaker that makes finding order deterministic.</summary>
    public static int OrderOf(string check)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], check, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return All.Count;
    }
}
