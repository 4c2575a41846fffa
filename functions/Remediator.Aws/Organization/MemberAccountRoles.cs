using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Organization;

/// <summary>
/// How the guards and the sweep reach a member account: the per-concern role deploy/organization.template creates
/// there (<c>role/remediator/remediator-&lt;concern&gt;</c>), assumed with the organization's external id.
/// </summary>
/// <param name="CentralAccountId">The guard's own account: its resources are acted on with the function's own role.</param>
/// <param name="RolePath">The role's path and name below <c>role/</c>, e.g. <c>remediator/remediator-iam-broad-permissions</c>.</param>
/// <param name="ExternalId">The <c>sts:ExternalId</c> every member role's trust policy requires.</param>
public sealed record MemberRoleOptions(string CentralAccountId, string RolePath, string ExternalId)
{
    /// <summary>The role path of the member role that deploy/organization.template creates for a concern.</summary>
    public static string RolePathFor(string concern) => Core.Engine.GuardRoles.MemberRolePathFor(concern);

    /// <summary>Session length asked of STS (the role's minimum): short-lived keys, renewed through the cache.</summary>
    public int DurationSeconds { get; init; } = 900;

    /// <summary>Cached keys are renewed when they have less than this left, so no call runs on keys about to expire.</summary>
    public TimeSpan RenewBefore { get; init; } = TimeSpan.FromMinutes(3);

    public string Partition { get; init; } = "aws";

    public string RoleArn(string account) => $"arn:{Partition}:iam::{account}:role/{RolePath}";

    public bool IsCentral(string? account) => account is null || account == CentralAccountId;

    public MemberRoleOptions Validated()
    {
        if (CentralAccountId.Length != 12 || !CentralAccountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"the central account id must be 12 digits, got '{CentralAccountId}'.");
        }

        if (string.IsNullOrWhiteSpace(RolePath) || RolePath.StartsWith('/') || RolePath.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{RolePath}' is not a role path and name such as remediator/remediator-iam-broad-permissions.");
        }

        if (ExternalId.Length is < 2 or > 1224)
        {
            throw new ArgumentException("the external id must be 2 to 1,224 characters.");
        }

        if (DurationSeconds is < 900 or > 43200 || RenewBefore <= TimeSpan.Zero || RenewBefore >= TimeSpan.FromSeconds(DurationSeconds))
        {
            throw new ArgumentException("the session must last 900 to 43,200 s and be renewed before it ends.");
        }

        return this;
    }

    /// <summary>
    /// A RoleSessionName (2-64 of <c>[\w+=,.@-]</c>) that names who acts and why, so the member account's CloudTrail
    /// says which rule set and which event the calls were made for: <c>remediator-&lt;what&gt;-&lt;eventId&gt;</c>.
    /// </summary>
    public static string SessionName(string what, string? eventId)
    {
        var text = new StringBuilder("remediator-");
        foreach (var c in what + (eventId is null ? string.Empty : "-" + eventId))
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or ',' or '.' or '@' or '-' ? c : '-');
        }

        return text.Length <= 64 ? text.ToString() : text.ToString(0, 64);
    }
}

/// <summary>
/// Keys of member accounts' roles, from STS AssumeRole (signed with the caller's own credentials through the same
/// transport, retry and back-off as every other call; AccessDenied is final and never retried), cached per account
/// until <see cref="MemberRoleOptions.RenewBefore"/> before they expire. A cached session keeps the name of the
/// event that opened it.
/// </summary>
public sealed class MemberAccountRoles : IDisposable
{
    private const string StsVersion = "2011-06-15";
    private static readonly AwsOperation AssumeRole = AwsOperation.Rpc("sts", "AssumeRole");

    private readonly MemberRoleOptions _options;
    private readonly AwsTransport _transport;
    private readonly QueryProtocol _sts;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _assuming = new(1, 1);

    public MemberAccountRoles(MemberRoleOptions options, AwsClientOptions client, AwsTransportSettings caller)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(caller);
        _options = options.Validated();
        _transport = new AwsTransport(AwsService.Sts, client, caller);
        _sts = new QueryProtocol(_transport, StsVersion);
        _clock = caller.TimeProvider;
    }

    public MemberRoleOptions Options => _options;

    /// <summary>How many times STS was asked (the cache's effect, for tests and the benchmark).</summary>
    public int AssumeCalls { get; private set; }

    /// <summary>The session for <paramref name="account"/>: cached, or assumed now with <paramref name="sessionName"/>.</summary>
    /// <exception cref="AwsServiceException">STS refused (wrong external id, untrusted caller, no such role).</exception>
    public async Task<MemberSession> SessionAsync(string account, string sessionName, CancellationToken cancellationToken)
    {
        if (Fresh(account) is { } cached)
        {
            return cached.Public;
        }

        await _assuming.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(account) is { } raced)
            {
                return raced.Public;
            }

            var roleArn = _options.RoleArn(account);
            AssumeCalls++;
            var result = await _sts.CallAsync(AssumeRole, roleArn, new QueryParameters()
                .Add("RoleArn", roleArn)
                .Add("RoleSessionName", sessionName)
                .Add("ExternalId", _options.ExternalId)
                .Add("DurationSeconds", _options.DurationSeconds.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            var keys = Xml.Child(result, "Credentials");
            var expiration = Xml.Date(keys, "Expiration") ?? _clock.GetUtcNow().AddSeconds(_options.DurationSeconds);
            var credentials = new SessionAWSCredentials(Xml.Text(keys, "AccessKeyId") ?? "", Xml.Text(keys, "SecretAccessKey") ?? "", Xml.Text(keys, "SessionToken") ?? "");
            var session = new Session(new MemberSession(account, roleArn, sessionName, credentials, expiration));
            _sessions[account] = session;
            return session.Public;
        }
        finally
        {
            _assuming.Release();
        }
    }

    private Session? Fresh(string account) =>
        _sessions.TryGetValue(account, out var session) && session.Public.Expiration - _clock.GetUtcNow() > _options.RenewBefore ? session : null;

    public void Dispose()
    {
        _transport.Dispose();
        _assuming.Dispose();
    }

    private sealed record Session(MemberSession Public);
}

/// <summary>One assumed session in a member account.</summary>
public sealed record MemberSession(string Account, string RoleArn, string SessionName, AWSCredentials Credentials, DateTimeOffset Expiration);

/// <summary>The external id, read once at start-up from its SSM SecureString (ssm:GetParameter on that one parameter).</summary>
public static class ExternalIdParameter
{
    public static async Task<string> ReadAsync(AwsClientOptions client, AwsTransportSettings caller, string parameterName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var ssm = new AwsSdkClients(client, caller.Credentials, caller.Environment).CreateSsm();
        var reply = await ssm.GetParameterAsync(
            new Amazon.SimpleSystemsManagement.Model.GetParameterRequest { Name = parameterName, WithDecryption = true }, cancellationToken).ConfigureAwait(false);
        return reply.Parameter?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"the SSM parameter {parameterName} holds no external id.");
    }
}
