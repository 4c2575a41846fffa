using System.Net;
using System.Text;
using System.Text.Json;
using Remediator.Core;
using Remediator.Guard.Tests.Support;
using Remediator.Runtime.Metrics;
using Remediator.Testing;
using static Remediator.Guard.Tests.Support.GuardTestSupport;

namespace Remediator.Guard.Tests;

/// <summary>The sweep's retries are reported as the guards' are: a WARN line and the EMF retry counter of the invocation.</summary>
[Collection(MotoCollection.Name)]
public sealed class SweepFunctionRetryTests(MotoServer moto) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        using var dynamo = MotoDynamoDb(moto.Endpoint);
        await CreateAuditTableAsync(dynamo);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_throttled_listing_is_retried_logged_and_counted_in_the_invocations_metrics()
    {
        using var sqs = new Amazon.SQS.AmazonSQSClient(Credentials, new Amazon.SQS.AmazonSQSConfig { ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = Region });
        var queue = (await sqs.CreateQueueAsync("sweep-units")).QueueUrl;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GuardSettings.AuditTableVariable] = AuditTable,
            [GuardSettings.RegionVariable] = Region,
            [SweepFunction.QueueUrlVariable] = queue,
            [GuardSettings.AccountIdVariable] = MotoServer.AccountId,
        };
        var throttle = new ThrottleFirstEventBridgeCall();
        var (invocation, output) = Invocation();
        using (var sweep = SweepFunction.Create(name => environment.GetValueOrDefault(name), Overrides(moto) with { InnerHandler = throttle }, sqs))
        {
            var unit = JsonSerializer.Serialize($$"""{"account":0,"concern":"{{Concerns.PublicEventBus}}","startAt":0}""");
            var reply = JsonDocument.Parse(await sweep.HandleAsync(Encoding.UTF8.GetBytes($$"""{"Records":[{"body":{{unit}}}]}"""), invocation, default));
            Assert.Equal(0, reply.RootElement[0].GetProperty("failedResources").GetInt32());
        }

        invocation.Metrics.Flush();
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(1, throttle.Throttled);
        var retry = Assert.Single(lines, line => line.TryGetProperty("message", out var m) && m.GetString() == "retrying a call");
        Assert.Equal(("WARN", "events"), (retry.GetProperty("level").GetString(), retry.GetProperty("dependency").GetString()));
        var emf = Assert.Single(lines, line => line.TryGetProperty("_aws", out _));
        Assert.Equal(1, emf.GetProperty(MetricNames.Retries).GetDouble());
    }

    /// <summary>Answers the first EventBridge request with a throttling error (as AWS does under load); the rest go to moto.</summary>
    private sealed class ThrottleFirstEventBridgeCall() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _throttled;

        public int Throttled => _throttled;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "";
            if (target.StartsWith("AWSEvents.", StringComparison.Ordinal) && Interlocked.CompareExchange(ref _throttled, 1, 0) == 0)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest)
                {
                    Content = new StringContent("""{"__type":"ThrottlingException","message":"Rate exceeded"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
                });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
