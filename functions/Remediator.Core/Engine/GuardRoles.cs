namespace Remediator.Core.Engine;

/// <summary>
/// The guard's own IAM roles, by identity rather than by name pattern, for the rule exemption <c>exempt.guardRoles</c>.
/// <para>
/// Why this cannot be satisfied by naming a role: a role name is unique within an account (case-insensitively), so
/// "this account, this name" is one role. The stack's roles are configured as their exact ARNs
/// (<c>!GetAtt Role.Arn</c>, with the CloudFormation-generated suffix); a role merely named like them
/// (<c>x-IamGuardRole-y</c>) is another name and is judged. The per-concern roles that deploy/organization.template
/// creates in member accounts (<c>role/remediator/remediator-&lt;concern&gt;</c>) have one fixed name in every account,
/// so they are recognised by that name in any account except the guard's own (the accounts of the exact ARNs), where
/// the organization template creates none and anyone could create the name.
/// </para>
/// <para>
/// Residual risk: in a member account, whoever can delete the real member role and create one with the same name (or
/// an account not yet enrolled, whose events do not reach the guard anyway) gets the exemption; IAM write there is
/// already admin-equivalent. Exact matching also relies on events naming the role; the path is ignored because
/// CloudTrail's role events carry the name only.
/// </para>
/// </summary>
public sealed record GuardRoles
{
    /// <summary>The per-concern role path and name that deploy/organization.template creates in each member account.</summary>
    public static string MemberRolePathFor(string concern) => "remediator/remediator-" + concern;

    /// <summary>Exact ARNs of the stack's own roles (no wildcard anywhere).</summary>
    public IReadOnlyList<string> Exact { get; init; } = [];

    /// <summary>Path and name below <c>role/</c> of the member-account roles; by default one per concern.</summary>
    public IReadOnlyList<string> MemberRolePaths { get; init; } = [.. Concerns.All.Select(MemberRolePathFor)];

    public static GuardRoles Default { get; } = new();

    public GuardRoles Validated()
    {
        foreach (var arn in Exact)
        {
            if (Parse(arn) is null || arn.Contains('*', StringComparison.Ordinal) || arn.Contains('?', StringComparison.Ordinal))
            {
                throw new ArgumentException($"guard role '{arn}' is not an exact role ARN (arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME, no wildcards).");
            }
        }

        foreach (var path in MemberRolePaths)
        {
            if (string.IsNullOrWhiteSpace(path) || path.StartsWith('/') || path.EndsWith('/') || path.Contains('*', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"member role '{path}' is not a role path and name such as remediator/remediator-iam-broad-permissions.");
            }
        }

        return this;
    }

    /// <summary>Whether <paramref name="resource"/> (a role ARN, with or without its path) is one of the guard's own roles.</summary>
    public bool Owns(string resource)
    {
        if (Parse(resource) is not { } role)
        {
            return false;
        }

        var central = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arn in Exact)
        {
            if (Parse(arn) is { } own)
            {
                central.Add(own.Account);
                if (own.Account == role.Account && string.Equals(own.Name, role.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return !central.Contains(role.Account)
            && MemberRolePaths.Any(path => string.Equals(NameOf(path), role.Name, StringComparison.OrdinalIgnoreCase));
    }

    private static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary><c>arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME</c> gives (ACCOUNT, NAME); anything else null.</summary>
    private static (string Account, string Name)? Parse(string arn)
    {
        var parts = arn.Split(':');
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[3].Length != 0
            || parts[4].Length != 12 || !parts[4].All(char.IsAsciiDigit) || !parts[5].StartsWith("role/", StringComparison.Ordinal))
        {
            return null;
        }

        var name = NameOf(parts[5]);
        return name.Length == 0 ? null : (parts[4], name);
    }
}
