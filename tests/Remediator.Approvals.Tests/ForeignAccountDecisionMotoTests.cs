namespace Remediator.Approvals.Tests;

/// <summary>
/// The approval worker runs under its own role in the guard's account. A pending record of a member account (the guard
/// entered that account through the organization's role) names a role that may also exist, by the same name, here:
/// an approved fix must not delete this account's namesake. The worker, composed as deployed, knows its account
/// (REMEDIATOR_ACCOUNT_ID) and records the decision as failed, with nothing called.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ForeignAccountDecisionMotoTests(MotoServer moto)
{
    private const string Member = "999999999999";
    private const string Admin = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    [Fact]
    public async Task Approving_a_member_accounts_fix_changes_nothing_here_and_the_ledger_says_why()
    {
        await using var rig = await StartAsync(moto);
        // "app" with an admin policy exists here; the event says the same change happened in the member account.
        await rig.AdminInlinePolicyAsync("app", Admin);
        var envelope = CloudTrailEnvelopes.IamCall("PutRolePolicy", new JsonObject { ["roleName"] = "app", ["policyName"] = "admin", ["policyDocument"] = Admin },
            rig.Clock.GetUtcNow(), Region, account: Member);
        var pending = Assert.Single(await rig.GuardAsync(envelope, ApproveRules(Policy())), r => r.Outcome == AuditOutcome.Pending);
        Assert.Equal($"arn:aws:iam::{Member}:role/app", pending.Resource);

        var answer = await rig.Endpoint.HandleAsync(rig.Click(Approver, "apply|" + pending.Id, rig.Slack.ResponseUrl("r1")), default);
        Assert.Equal(200, answer.Response.StatusCode);

        var settings = FromEnvironment(MotoServer.AccountId);
        var overrides = new SlackFunctionOverrides { EndpointUrl = rig.MotoEndpoint, Credentials = Credentials, Clock = rig.Clock, Environment = _ => null, AllowLoopbackResponseUrl = true };
        var options = new AwsClientOptions { Region = Region, EndpointUrl = rig.MotoEndpoint }.Validate();
        var worker = SlackFunction.CreateWorker(settings, overrides, options, rig.Clock, rig.Store);
        var output = new StringWriter();
        var result = await worker.HandleAsync(await rig.ReceiveQueuedAsync(), new JsonLogger(output, LogLevel.Info).ForInvocation("req-1", null),
            new MetricsWriter(output, new MetricsOptions { FunctionName = "approval-worker", Concern = "approvals" }), default);

        Assert.Equal(["admin"], await rig.Aws.Iam.ListRolePoliciesAsync("app"));
        var decided = Assert.Single(result.Records);
        Assert.Equal(AuditOutcome.Failed, decided.Outcome);
        var step = Assert.Single(decided.Actions, a => !a.IsNotification);
        Assert.Equal(ActionOutcome.Failed, step.Outcome);
        Assert.Contains($"the resource is in account {Member}, and these credentials act in account {MotoServer.AccountId}", step.Error, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Failed, (await rig.Store.GetAsync(decided.Id))!.Outcome);
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("not-an-account")]
    public void An_account_id_that_is_not_twelve_digits_is_refused_at_init(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => FromEnvironment(value));
        Assert.Contains(SlackFunctionSettings.AccountIdVariable, error.Message, StringComparison.Ordinal);
    }

    private static SlackFunctionSettings FromEnvironment(string account) => SlackFunctionSettings.FromEnvironment(name => name switch
    {
        SlackFunctionSettings.PartVariable => SlackFunctionSettings.Worker,
        SlackFunctionSettings.AuditTableVariable => AuditTable,
        SlackFunctionSettings.RegionVariable => Region,
        SlackFunctionSettings.AccountIdVariable => account,
        _ => null,
    });
}
