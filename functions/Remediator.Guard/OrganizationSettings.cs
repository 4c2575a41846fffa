using Remediator.Aws.Organization;

namespace Remediator.Guard;

/// <summary>
/// Acting across an organization (deploy/organization.template): set when the function's template passes the central
/// account and the SSM parameter that holds the external id; absent, the guard acts only in its own account.
/// Read separately from <see cref="GuardSettings"/> because it is optional as a whole.
/// </summary>
public sealed record OrganizationSettings
{
    public const string CentralAccountVariable = "REMEDIATOR_CENTRAL_ACCOUNT";
    public const string ExternalIdParameterVariable = "REMEDIATOR_EXTERNAL_ID_PARAMETER";
    public const string MemberRolePathVariable = "REMEDIATOR_MEMBER_ROLE_PATH";

    /// <summary>The guard's own account: changes there use the function's role.</summary>
    public required string CentralAccountId { get; init; }

    /// <summary>The SSM SecureString holding the external id (never in the template, the environment or the logs).</summary>
    public required string ExternalIdParameter { get; init; }

    /// <summary>The member role below <c>role/</c>; default <c>remediator/remediator-&lt;concern&gt;</c>.</summary>
    public string? MemberRolePath { get; init; }

    /// <summary>Null when neither variable is set; throws when only one is.</summary>
    public static OrganizationSettings? FromEnvironment(Func<string, string?> readVariable)
    {
        ArgumentNullException.ThrowIfNull(readVariable);
        var central = Optional(readVariable, CentralAccountVariable);
        var parameter = Optional(readVariable, ExternalIdParameterVariable);
        if (central is null && parameter is null)
        {
            return null;
        }

        if (central is null || parameter is null)
        {
            var missing = central is null ? CentralAccountVariable : ExternalIdParameterVariable;
            throw new InvalidSettingException(missing, "is not set: acting in member accounts needs both the central account and the external id's parameter.");
        }

        if (central.Length != 12 || !central.All(char.IsAsciiDigit))
        {
            throw new InvalidSettingException(CentralAccountVariable, $"must be a 12-digit account id, got '{central}'.");
        }

        return new OrganizationSettings { CentralAccountId = central, ExternalIdParameter = parameter, MemberRolePath = Optional(readVariable, MemberRolePathVariable) };
    }

    public MemberRoleOptions ToRoleOptions(string concern, string externalId) =>
        new MemberRoleOptions(CentralAccountId, MemberRolePath ?? MemberRoleOptions.RolePathFor(concern), externalId).Validated();

    private static string? Optional(Func<string, string?> readVariable, string variable) =>
        readVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
