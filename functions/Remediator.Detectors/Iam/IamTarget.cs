using Remediator.Core.Events;
using Remediator.Core.Ports;

namespace Remediator.Detectors.Iam;

/// <summary>The IAM entity a finding is about: its ARN (or name), CloudFormation type, and how people call it.</summary>
internal sealed record IamTarget(string Resource, string ResourceType, string Description)
{
    public const string RoleType = "AWS::IAM::Role";
    public const string UserType = "AWS::IAM::User";
    public const string GroupType = "AWS::IAM::Group";
    public const string ManagedPolicyType = "AWS::IAM::ManagedPolicy";

    /// <summary>Never a valid IAM name, so a plan built from it fails instead of touching a real entity.</summary>
    public const string UnknownName = "(unknown)";

    public static IamTarget Principal(CloudTrailEvent e, IamPrincipalKind kind, string? name, string? knownArn = null, string? path = null)
    {
        var (type, segment, noun) = kind switch
        {
            IamPrincipalKind.Role => (RoleType, "role", "role"),
            IamPrincipalKind.User => (UserType, "user", "user"),
            _ => (GroupType, "group", "group"),
        };
        var resource = knownArn ?? (name is null ? UnknownName : Arn(e, segment, path, name));
        return new IamTarget(resource, type, $"{noun} '{name ?? UnknownName}'");
    }

    public static IamTarget ManagedPolicy(string policyArn) => new(policyArn, ManagedPolicyType, $"managed policy '{policyArn}'");

    /// <summary>
    /// <c>arn:PARTITION:iam::ACCOUNT:SEGMENT/PATH/NAME</c> from the event's account (the recipient's, else the caller's);
    /// the name alone when no account is known. Events that give only a name carry no path: the ARN then assumes "/",
    /// which a planner must not rely on for paths other than "/" (it should act by name).
    /// </summary>
    public static string Arn(CloudTrailEvent e, string segment, string? path, string name)
    {
        var account = e.RecipientAccountId ?? e.Identity.AccountId;
        if (string.IsNullOrEmpty(account))
        {
            return name;
        }

        var normalisedPath = string.IsNullOrEmpty(path) ? "/" : (path.StartsWith('/') ? path : "/" + path);
        if (!normalisedPath.EndsWith('/'))
        {
            normalisedPath += "/";
        }

        return $"arn:{Partition(e.AwsRegion)}:iam::{account}:{segment}{normalisedPath}{name}";
    }

    /// <summary>The account of the event (recipient, else caller): the "own account" of a role created in it.</summary>
    public static string? AccountOf(CloudTrailEvent e, string? arn)
    {
        var parts = arn?.Split(':');
        if (parts is { Length: >= 6 } && IamBroadPolicyOptions.IsAccountId(parts[4]))
        {
            return parts[4];
        }

        return e.RecipientAccountId ?? e.Identity.AccountId;
    }

    private static string Partition(string? region) =>
        region switch
        {
            not null when region.StartsWith("cn-", StringComparison.Ordinal) => "aws-cn",
            not null when region.StartsWith("us-gov-", StringComparison.Ordinal) => "aws-us-gov",
            _ => "aws",
        };
}
