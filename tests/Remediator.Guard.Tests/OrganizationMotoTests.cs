using System.Net;
using Amazon.DynamoDBv2;
using Amazon.SimpleSystemsManagement.Model;
using Remediator.Aws;
using Remediator.Aws.Organization;
using Remediator.Aws.Iam;

namespace Remediator.Guard.Tests;

/// <summary>
/// Two moto accounts: the guard runs in the central one (moto's default), the change happens in a member account that
/// moto enters through STS AssumeRole. The guard must act in the member account through the member's per-concern
/// role, with the external id from SSM, and leave the central account's namesake alone.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class OrganizationMotoTests(MotoServer moto) : GuardMotoTests(moto)
{
    private const string Member = "222233334444";
    private const string ExternalIdName = "/remediator/external-id";
    private const string ExternalId = "correct-horse-battery-staple";
    private const string AdminInline = """{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string PutRolePolicyFixture = "synthetic/iam/PutRolePolicy__admin_wildcard.json";

    protected override async Task SetUpAsync()
    {
        using var ssm = new AwsSdkClients(MotoOptions, Support.GuardTestSupport.Credentials, _ => null).CreateSsm();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = ExternalIdName, Value = ExternalId, Type = Amazon.SimpleSystemsManagement.ParameterType.SecureString, Overwrite = true });
    }

    [Fact]
    public async Task A_member_account_change_is_fixed_in_the_member_account_through_its_role_and_the_session_is_reused()
    {
        var (member, central) = await AdminRoleInBothAccountsAsync();
        using var disposeMember = member;
        using var disposeCentral = central;

        var sts = new StsRecorder(expectedExternalId: ExternalId);
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(Moto) with { InnerHandler = sts }, Organization());
        var first = await guard.HandleAsync(Bytes(MemberEnvelope("e-member-1")), Invocation().Invocation, default);

        Assert.Empty(await member.ListRolePoliciesAsync("app-role"));
        Assert.Equal(["everything"], await central.ListRolePoliciesAsync("app-role"));
        Assert.Contains(first.Records, r => r.Rule == "iam-admin-wildcard" && r.Outcome == "applied");
        var assumed = Assert.Single(sts.AssumeRoles);
        Assert.Contains($"RoleArn={Uri.EscapeDataString($"arn:aws:iam::{Member}:role/remediator/remediator-iam-broad-permissions")}", assumed, StringComparison.Ordinal);
        Assert.Contains("RoleSessionName=remediator-iam-broad-permissions-e-member-1", assumed, StringComparison.Ordinal);
        var item = Assert.Single(await AuditItemsAsync(DynamoDb), i => i["id"].S.EndsWith("/iam-admin-wildcard", StringComparison.Ordinal));
        Assert.Contains($"\"account\":\"{Member}\"", item["record"].S, StringComparison.Ordinal);

        // A second event of the same account within the session's life (another role: app-role is cooling down): no new AssumeRole.
        await member.CreateRoleAsync("other-role", TrustLambda);
        await member.PutInlinePolicyAsync(IamPrincipal.Role("other-role"), "everything", AdminInline);
        await guard.HandleAsync(Bytes(MemberEnvelope("e-member-2", "other-role")), Invocation().Invocation, default);
        Assert.Single(sts.AssumeRoles);
        Assert.Empty(await member.ListRolePoliciesAsync("other-role"));
    }

    [Fact]
    public async Task A_wrong_external_id_is_refused_recorded_as_failed_once_and_not_retried_moto_lacks_trust_conditions_so_a_stand_in_refuses()
    {
        using var member = await MemberIamAsync();
        await member.CreateRoleAsync("app-role", TrustLambda);
        await member.PutInlinePolicyAsync(IamPrincipal.Role("app-role"), "everything", AdminInline);
        // moto's AssumeRole ignores the trust policy: the stand-in answers AccessDenied as IAM does when sts:ExternalId differs.
        var sts = new StsRecorder(expectedExternalId: "the-member-roles-real-id");
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(Moto) with { InnerHandler = sts }, Organization());

        var result = await guard.HandleAsync(Bytes(MemberEnvelope("e-member-3")), Invocation().Invocation, default);
        var again = await guard.HandleAsync(Bytes(MemberEnvelope("e-member-3")), Invocation().Invocation, default);

        Assert.Equal(["everything"], await member.ListRolePoliciesAsync("app-role"));
        var failed = Assert.Single(result.Records);
        Assert.Equal("failed", failed.Outcome);
        Assert.Equal(GuardResult.Duplicate, Assert.Single(again.Records).Outcome);
        Assert.Equal(2, sts.AssumeRoles.Count); // one per delivery: AccessDenied is final, the transport never retries it
        var item = Assert.Single(await AuditItemsAsync(DynamoDb));
        Assert.Equal("failed", item["outcome"].S);
        Assert.Contains("AccessDenied", item["record"].S, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_organization_settings_a_member_account_event_is_refused_and_neither_account_is_touched()
    {
        // Events of member accounts reach the central bus once the organization template forwards them. A guard that
        // cannot enter those accounts must not act on the names they carry with its own role: that would delete the
        // central account's namesake ("app-role" exists in both).
        var (member, central) = await AdminRoleInBothAccountsAsync();
        using var disposeMember = member;
        using var disposeCentral = central;

        var settings = Settings(Concerns.IamBroadPermissions) with { AccountId = MotoServer.AccountId };
        using var guard = GuardFunction.Create(settings, Overrides(Moto));
        var result = await guard.HandleAsync(Bytes(MemberEnvelope("e-member-4")), Invocation().Invocation, default);
        var again = await guard.HandleAsync(Bytes(MemberEnvelope("e-member-4")), Invocation().Invocation, default);

        Assert.Equal(["everything"], await central.ListRolePoliciesAsync("app-role"));
        Assert.Equal(["everything"], await member.ListRolePoliciesAsync("app-role"));
        Assert.Equal("failed", Assert.Single(result.Records).Outcome);
        Assert.Equal(GuardResult.Duplicate, Assert.Single(again.Records).Outcome);
        var item = Assert.Single(await AuditItemsAsync(DynamoDb));
        Assert.Contains($"the event is from account {Member}, and this guard acts only in its own account {MotoServer.AccountId}", item["record"].S, StringComparison.Ordinal);

        // The guard's own account is still guarded.
        var own = await guard.HandleAsync(Bytes(Envelope(PutRolePolicyFixture, record =>
        {
            record["recipientAccountId"] = MotoServer.AccountId;
            record["eventID"] = "e-central-1";
            record["requestParameters"]!["roleName"] = "app-role";
            return record;
        })), Invocation().Invocation, default);
        Assert.Contains(own.Records, r => r.Rule == "iam-admin-wildcard" && r.Outcome == "applied");
        Assert.Empty(await central.ListRolePoliciesAsync("app-role"));
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("arn:aws:iam::123456789012:root")]
    public void An_account_id_setting_that_is_not_twelve_digits_is_an_init_error_naming_the_variable(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => GuardSettings.FromEnvironment(name => name switch
        {
            GuardSettings.ConcernVariable => Concerns.IamBroadPermissions,
            GuardSettings.AuditTableVariable => AuditTable,
            GuardSettings.RegionVariable => Region,
            GuardSettings.AccountIdVariable => value,
            _ => null,
        }));

        Assert.Contains(GuardSettings.AccountIdVariable, error.Message, StringComparison.Ordinal);
    }

    /// <summary>"app-role" with the admin inline policy "everything" in the member account and, by the same name, here.</summary>
    private async Task<(IamClient Member, IamClient Central)> AdminRoleInBothAccountsAsync()
    {
        var member = await MemberIamAsync();
        var central = new IamClient(MotoOptions, new AwsTransportSettings { Credentials = Support.GuardTestSupport.Credentials });
        foreach (var iam in new[] { member, central })
        {
            await iam.CreateRoleAsync("app-role", TrustLambda);
            await iam.PutInlinePolicyAsync(IamPrincipal.Role("app-role"), "everything", AdminInline);
        }

        return (member, central);
    }

    private static OrganizationSettings Organization() => new() { CentralAccountId = MotoServer.AccountId, ExternalIdParameter = ExternalIdName };

    /// <summary>An IAM client acting in the member account: moto enters another account through STS AssumeRole.</summary>
    private async Task<IamClient> MemberIamAsync()
    {
        var keys = await AssumedRole.CredentialsAsync(MotoOptions, $"arn:aws:iam::{Member}:role/remediator/setup", "setup", Support.GuardTestSupport.Credentials);
        return new IamClient(MotoOptions, new AwsTransportSettings { Credentials = keys });
    }

    private static string MemberEnvelope(string eventId, string role = "app-role") => Envelope(PutRolePolicyFixture, record =>
    {
        record["recipientAccountId"] = Member;
        record["eventID"] = eventId;
        record["requestParameters"]!["roleName"] = role;
        return record;
    });

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Passes every call to moto; records STS AssumeRole requests and refuses those with another external id.</summary>
    private sealed class StsRecorder(string expectedExternalId) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        public List<string> AssumeRoles { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            if (body.Contains("Action=AssumeRole", StringComparison.Ordinal))
            {
                lock (AssumeRoles)
                {
                    AssumeRoles.Add(body);
                }

                if (!body.Contains("ExternalId=" + Uri.EscapeDataString(expectedExternalId), StringComparison.Ordinal))
                {
                    return new HttpResponseMessage(HttpStatusCode.Forbidden)
                    {
                        Content = new StringContent(
                            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: sts:AssumeRole</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
                            Encoding.UTF8, "text/xml"),
                    };
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>The organization settings and session names, without AWS.</summary>
public sealed class OrganizationSettingsTests
{
    [Fact]
    public void Only_one_of_the_two_organization_variables_is_an_init_error_naming_the_missing_one()
    {
        var error = Assert.Throws<InvalidSettingException>(() => OrganizationSettings.FromEnvironment(name =>
            name == OrganizationSettings.CentralAccountVariable ? MotoServer.AccountId : null));

        Assert.Contains(OrganizationSettings.ExternalIdParameterVariable, error.Message, StringComparison.Ordinal);
        Assert.Null(OrganizationSettings.FromEnvironment(_ => null));
    }

    [Fact]
    public void Session_names_fit_sts_and_name_the_concern_and_the_event()
    {
        var name = MemberRoleOptions.SessionName("iam-broad-permissions", "5b9f0e6c-2d7a-4d6b-8f7e-6a1c2b3d4e01/x y");

        Assert.True(name.Length <= 64);
        Assert.StartsWith("remediator-iam-broad-permissions-5b9f0e6c", name, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_+=,.@-]+$", name);
    }
}
