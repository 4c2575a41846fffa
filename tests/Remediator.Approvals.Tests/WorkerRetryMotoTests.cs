using System.Net;
using System.Text.Json;

namespace Remediator.Approvals.Tests;

/// <summary>
/// The approval worker's AWS calls retry through the shared pipeline, and each retry is reported where an operator looks:
/// a WARN line and the EMF retry counter of the invocation that made it (as the guards and the sweep report theirs).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class WorkerRetryMotoTests(MotoServer moto)
{
    private const string Admin = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    [Fact]
    public async Task An_IAM_call_of_an_approved_fix_that_fails_once_is_retried_logged_and_counted_and_the_fix_lands()
    {
        await using var rig = await StartAsync(moto);
        var envelope = await rig.AdminInlinePolicyAsync("app", Admin);
        var pending = Assert.Single(await rig.GuardAsync(envelope, ApproveRules(Policy())), r => r.Outcome == AuditOutcome.Pending);
        var answer = await rig.Endpoint.HandleAsync(rig.Click(Approver, "apply|" + pending.Id, rig.Slack.ResponseUrl("r1")), default);
        Assert.Equal(200, answer.Response.StatusCode);

        var settings = new SlackFunctionSettings { Part = SlackFunctionSettings.Worker, AuditTable = AuditTable, Region = Region }.Validated();
        var failFirst = new FailFirstCall();
        var overrides = new SlackFunctionOverrides
        {
            EndpointUrl = rig.MotoEndpoint, Credentials = Credentials, Clock = rig.Clock, Environment = _ => null, AllowLoopbackResponseUrl = true, InnerHandler = failFirst,
        };
        var options = new AwsClientOptions { Region = Region, EndpointUrl = rig.MotoEndpoint }.Validate();
        var worker = SlackFunction.CreateWorker(settings, overrides, options, rig.Clock, rig.Store);
        var output = new StringWriter();
        var logger = new JsonLogger(output, LogLevel.Info).ForInvocation("req-1", null);
        var metrics = new MetricsWriter(output, new MetricsOptions { FunctionName = "approval-worker", Concern = "approvals" });

        var result = await worker.HandleAsync(await rig.ReceiveQueuedAsync(), logger, metrics, default);
        metrics.Flush();

        // The fix landed despite the failed first attempt: one call failed, was retried, and moto shows the policy gone.
        Assert.Equal(1, failFirst.Failed);
        Assert.Equal(AuditOutcome.Applied, Assert.Single(result.Records).Outcome);
        Assert.Empty(await rig.Aws.Iam.ListRolePoliciesAsync("app"));

        // ...and the retry was reported in this invocation: one WARN line naming the dependency, one EMF count.
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var retry = Assert.Single(lines, line => line.TryGetProperty("message", out var m) && m.GetString() == "retrying a call");
        Assert.Equal(("WARN", "iam"), (retry.GetProperty("level").GetString(), retry.GetProperty("dependency").GetString()));
        Assert.Equal("req-1", retry.GetProperty("requestId").GetString());
        var emf = Assert.Single(lines, line => line.TryGetProperty("_aws", out _));
        Assert.Equal(1, emf.GetProperty(MetricNames.Retries).GetDouble());
    }

    /// <summary>Answers the worker's first AWS request 503 (as AWS does when it is briefly unavailable); the rest go to moto.</summary>
    private sealed class FailFirstCall() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _failed;

        public int Failed => _failed;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.CompareExchange(ref _failed, 1, 0) == 0
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("unavailable", Encoding.UTF8, "text/plain") })
                : base.SendAsync(request, cancellationToken);
    }
}
