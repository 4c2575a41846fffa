using Remediator.Aws.Iam;
using Remediator.Operations;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.Execution;

/// <summary>
/// An executor that knows the account its credentials act in never carries out a step on another account's resource:
/// IAM, EventBridge, Lambda and DynamoDB calls name the resource by name, so the call would change this account's
/// namesake (a member account's role "app" approved from Slack, say, applied to the central account's "app").
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccountBoundExecutorMotoTests(MotoServer moto) : MotoTests(moto)
{
    private const string Member = "999999999999";

    [Theory]
    [InlineData("arn:aws:iam::999999999999:role/app")]
    [InlineData("arn:aws-cn:iam::999999999999:role/app")] // another partition's spelling names the account alike
    [InlineData("arn:aws:iam::999999999999:role/remediator/../app")]
    [InlineData("arn:aws:iam::aws:role/app")] // not an account id at all
    public async Task A_step_on_another_accounts_resource_is_refused_before_any_call_and_the_namesake_here_is_untouched(string resource)
    {
        await Aws.Iam.CreateRoleAsync("app", TrustLambda);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", AdminInline);
        var requests = new CountingHandler();
        using var counted = Clients(Moto.Endpoint, requests);
        var executor = new AwsStepExecutor(counted, account: MotoServer.AccountId);

        var result = await executor.ExecuteAsync(Step("iam:DeleteRolePolicy", resource, new() { ["RoleName"] = "app", ["PolicyName"] = "admin" }), default);

        Assert.Equal(ActionOutcome.Failed, result.Outcome);
        Assert.Contains($"these credentials act in account {MotoServer.AccountId}", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was called", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, requests.Count);
        Assert.Equal(["admin"], await Aws.Iam.ListRolePoliciesAsync("app"));
    }

    [Fact]
    public async Task The_same_step_on_this_accounts_resource_is_carried_out()
    {
        var role = await Aws.Iam.CreateRoleAsync("app", TrustLambda);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", AdminInline);
        var executor = new AwsStepExecutor(Aws, account: MotoServer.AccountId);

        var result = await executor.ExecuteAsync(Step("iam:DeleteRolePolicy", role.Arn, new() { ["RoleName"] = "app", ["PolicyName"] = "admin" }), default);

        Assert.Equal(ActionOutcome.Verified, result.Outcome);
        Assert.Empty(await Aws.Iam.ListRolePoliciesAsync("app"));
    }

    [Fact]
    public async Task An_arn_without_an_account_names_a_unique_id_and_is_not_refused()
    {
        // API Gateway ARNs carry no account (arn:aws:apigateway:REGION::/apis/ID/...): the id is unique, not a name, so
        // there is no namesake to hit. The step goes to AWS, which answers for the unknown id.
        var requests = new CountingHandler();
        using var counted = Clients(Moto.Endpoint, requests);
        var executor = new AwsStepExecutor(counted, account: Member);

        var result = await executor.ExecuteAsync(Step("apigateway:UpdateIntegration", "arn:aws:apigateway:us-east-1::/apis/nope/integrations/i",
            new() { ["ApiId"] = "nope", ["IntegrationId"] = "i", ["TimeoutInMillis"] = 29000 }), default);

        Assert.True(requests.Count > 0);
        Assert.DoesNotContain("nothing was called", result.Error ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_that_is_not_twelve_digits_is_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new AwsStepExecutor(Aws, account: "12345678901"));
        Assert.Throws<ArgumentException>(() => new AwsStepExecutor(Aws, account: " 123456789012"));
    }

    [Fact]
    public async Task A_command_lines_executor_asks_sts_once_whose_credentials_it_holds_and_then_refuses_the_other_account()
    {
        var role = await Aws.Iam.CreateRoleAsync("app", TrustLambda);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", AdminInline);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "other", AdminInline);
        var asked = 0;
        var executor = new AwsStepExecutor(Aws, async ct =>
        {
            asked++;
            return await Aws.CallerAccountAsync(ct);
        });

        var foreign = await executor.ExecuteAsync(Step("iam:DeleteRolePolicy", $"arn:aws:iam::{Member}:role/app", new() { ["RoleName"] = "app", ["PolicyName"] = "admin" }), default);
        var own = await executor.ExecuteAsync(Step("iam:DeleteRolePolicy", role.Arn, new() { ["RoleName"] = "app", ["PolicyName"] = "other" }), default);

        Assert.Equal(MotoServer.AccountId, executor.Account);
        Assert.Equal(1, asked);
        Assert.Equal(ActionOutcome.Failed, foreign.Outcome);
        Assert.Equal(ActionOutcome.Verified, own.Outcome);
        Assert.Equal(["admin"], await Aws.Iam.ListRolePoliciesAsync("app"));
    }

    [Fact]
    public async Task When_the_account_cannot_be_told_a_step_on_an_account_arn_fails_closed_with_nothing_called()
    {
        await Aws.Iam.CreateRoleAsync("app", TrustLambda);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", AdminInline);
        var requests = new CountingHandler();
        using var counted = Clients(Moto.Endpoint, requests);
        var executor = new AwsStepExecutor(counted, _ => throw new HttpRequestException("sts unreachable"));

        var result = await executor.ExecuteAsync(Step("iam:DeleteRolePolicy", $"arn:aws:iam::{MotoServer.AccountId}:role/app", new() { ["RoleName"] = "app", ["PolicyName"] = "admin" }), default);

        Assert.Equal(ActionOutcome.Failed, result.Outcome);
        Assert.Contains("could not tell which account these credentials act in (HttpRequestException: sts unreachable); nothing was called", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, requests.Count);
        Assert.Equal(["admin"], await Aws.Iam.ListRolePoliciesAsync("app"));
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
