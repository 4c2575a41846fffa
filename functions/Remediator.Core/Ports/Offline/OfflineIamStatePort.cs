namespace Remediator.Core.Ports.Offline;

/// <summary>
/// IAM state without AWS (the CLI's dry-run and replay): knows the documents of the broad AWS-managed policies that
/// attacks and mistakes attach most (AdministratorAccess, PowerUserAccess, IAMFullAccess); everything else is unknown.
/// It records no earlier state, so every <c>Previous*</c> answer is null.
/// </summary>
public sealed class OfflineIamStatePort : IIamStatePort
{
    // Written from the AWS Managed Policy Reference (default versions as documented there). Only what they allow
    // matters to the detectors; if AWS edits them, a real adapter reads the live version anyway.
    private static readonly Dictionary<string, (string VersionId, string Document)> _awsManagedPolicies = new(StringComparer.Ordinal)
    {
        ["AdministratorAccess"] = ("v1", """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}
            """),
        ["PowerUserAccess"] = ("v12", """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},
              {"Effect":"Allow","Action":["account:GetAccountInformation","account:GetGovCloudAccountInformation",
                "account:GetPrimaryEmail","account:ListRegions","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole",
                "iam:ListRoles","organizations:DescribeEffectivePolicy","organizations:DescribeOrganization"],"Resource":"*"}]}
            """),
        ["IAMFullAccess"] = ("v2", """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount",
              "organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy",
              "organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget",
              "organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}
            """),
    };

    /// <summary>Names of the AWS-managed policies this port knows.</summary>
    public static IReadOnlyCollection<string> KnownAwsManagedPolicyNames => _awsManagedPolicies.Keys;

    public ValueTask<IamPolicyVersion?> GetPolicyDefaultVersionAsync(string policyArn, CancellationToken cancellationToken)
    {
        var name = AwsManagedPolicyName(policyArn);
        return ValueTask.FromResult(
            name is not null && _awsManagedPolicies.TryGetValue(name, out var known)
                ? new IamPolicyVersion(policyArn, known.VersionId, known.Document)
                : null);
    }

    public ValueTask<string?> GetPreviousDefaultVersionIdAsync(string policyArn, DateTimeOffset? before, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);

    public ValueTask<string?> GetPreviousInlinePolicyAsync(
        IamPrincipalKind kind, string principalName, string policyName, DateTimeOffset? before, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);

    public ValueTask<string?> GetPreviousAssumeRolePolicyAsync(string roleName, DateTimeOffset? before, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);

    /// <summary><c>arn:PARTITION:iam::aws:policy/[path/]NAME</c> gives NAME; customer policies give null.</summary>
    private static string? AwsManagedPolicyName(string policyArn)
    {
        var parts = policyArn.Split(':');
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[4] != "aws"
            || !parts[5].StartsWith("policy/", StringComparison.Ordinal))
        {
            return null;
        }

        var slash = parts[5].LastIndexOf('/');
        return parts[5][(slash + 1)..];
    }
}
