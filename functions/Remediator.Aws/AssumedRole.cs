using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using Remediator.Aws.Transport;

namespace Remediator.Aws;

/// <summary>
/// Acting in another account of the organisation: the guard (or a person with the CLI) assumes the role that account
/// provides for it (deploy/organization.template), with an external id, and signs every call with the session's keys.
/// </summary>
public static class AssumedRole
{
    public const string SessionName = "remediator";

    /// <summary>Temporary credentials of <paramref name="roleArn"/>, asked of STS with the caller's own credentials.</summary>
    public static async Task<AWSCredentials> CredentialsAsync(
        AwsClientOptions options, string roleArn, string? externalId, AWSCredentials? caller = null, CancellationToken cancellationToken = default)
    {
        if (!roleArn.StartsWith("arn:", StringComparison.Ordinal) || !roleArn.Contains(":role/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{roleArn}' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).");
        }

        using var sts = new AwsSdkClients(options, caller).CreateSts();
        var reply = await sts.AssumeRoleAsync(
            new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = SessionName, ExternalId = externalId, DurationSeconds = 900 },
            cancellationToken).ConfigureAwait(false);
        var keys = reply.Credentials;
        return new SessionAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken);
    }
}
