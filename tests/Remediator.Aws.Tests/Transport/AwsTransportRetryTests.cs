using System.Net;
using Remediator.Aws.EventBridge;
using Remediator.Aws.Iam;
using Microsoft.Extensions.Time.Testing;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;
using Remediator.Runtime.Resilience;

namespace Remediator.Aws.Tests.Transport;

/// <summary>Retries over a real loopback socket, with a fake time provider so back-off is observed, not waited for.</summary>
public sealed class AwsTransportRetryTests
{
    private const string Bus = """{"Name":"default","Arn":"arn:aws:events:eu-west-1:123456789012:event-bus/default"}""";
    private const string Throttled = """{"__type":"ThrottlingException","message":"Rate exceeded"}""";
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly InstantWaitTimeProvider _time = new(Start);

    private IReadOnlyList<TimeSpan> Sleeps => _time.Waits;

    [Fact]
    public async Task Throttled_twice_then_answered_retries_with_doubling_jittered_backoff()
    {
        using var server = new LoopbackServer(n => n <= 2 ? (HttpStatusCode.BadRequest, Throttled, null) : (HttpStatusCode.OK, Bus, null));
        using var events = new EventBridgeClient(Options(server, maxAttempts: 4), Settings(jitter: 0.5));

        var bus = await events.DescribeEventBusAsync(null);

        Assert.Equal("default", bus.Name);
        Assert.Equal(3, server.RequestCount);
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], Sleeps);
    }

    [Fact]
    public async Task Too_many_requests_429_and_server_fault_500_are_retried_for_the_query_protocol()
    {
        const string role = "<GetRoleResponse><GetRoleResult><Role><RoleName>app</RoleName><Arn>arn:aws:iam::123456789012:role/app</Arn></Role></GetRoleResult></GetRoleResponse>";
        using var server = new LoopbackServer(n => n switch
        {
            1 => (HttpStatusCode.TooManyRequests, "<ErrorResponse><Error><Code>Throttling</Code><Message>slow down</Message></Error></ErrorResponse>", null),
            2 => (HttpStatusCode.InternalServerError, "<ErrorResponse><Error><Code>ServiceFailure</Code><Message>oops</Message></Error></ErrorResponse>", null),
            _ => (HttpStatusCode.OK, role, null),
        });
        using var iam = new IamClient(Options(server, maxAttempts: 3), Settings(jitter: 0.999));

        var read = await iam.GetRoleAsync("app");

        Assert.Equal("arn:aws:iam::123456789012:role/app", read.Arn);
        Assert.Equal(3, server.RequestCount);
        Assert.Equal(2, Sleeps.Count);
    }

    [Fact]
    public async Task Every_attempt_is_signed_afresh()
    {
        using var server = new LoopbackServer(n => n <= 2 ? (HttpStatusCode.ServiceUnavailable, "{}", "ServiceUnavailable") : (HttpStatusCode.OK, Bus, null));
        using var events = new EventBridgeClient(Options(server, maxAttempts: 3), Settings(jitter: 0));

        await events.DescribeEventBusAsync(null);

        Assert.Equal(3, server.Authorizations.Count);
        Assert.All(server.Authorizations, authorization => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=", authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Other_client_errors_are_not_retried()
    {
        using var server = new LoopbackServer(_ => (HttpStatusCode.BadRequest, """{"__type":"ValidationException","message":"bad name"}""", null));
        using var events = new EventBridgeClient(Options(server, maxAttempts: 5), Settings(jitter: 0.5));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => events.DescribeEventBusAsync("bad/name"));

        Assert.Equal(1, server.RequestCount);
        Assert.Empty(Sleeps);
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("req-1", error.RequestId);
        Assert.StartsWith("events:DescribeEventBus on event-bus/bad/name failed: ValidationException: bad name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_faults_are_retried_up_to_max_attempts_then_reported()
    {
        using var server = new LoopbackServer(_ => (HttpStatusCode.ServiceUnavailable, "{}", "ServiceUnavailableException:http://internal.amazon.com/coral/"));
        using var events = new EventBridgeClient(Options(server, maxAttempts: 4), Settings(jitter: 0.5));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => events.DescribeEventBusAsync(null));

        Assert.Equal(4, server.RequestCount);
        Assert.Equal(3, Sleeps.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("ServiceUnavailableException", error.ErrorCode);
    }

    [Fact]
    public async Task Endless_throttling_gives_up_before_the_deadline_instead_of_sleeping_past_it()
    {
        using var server = new LoopbackServer(_ => (HttpStatusCode.BadRequest, Throttled, null));
        var deadline = Start + TimeSpan.FromSeconds(1);
        var options = Options(server, maxAttempts: 20) with { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(400) };
        using var events = new EventBridgeClient(options, Settings(jitter: 0.999, deadline: deadline));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => events.DescribeEventBusAsync(null));

        // Sleeps of ~100, 200, 400 ms end at ~700 ms; another 400 ms would pass the deadline, so it stops there.
        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(4, server.RequestCount);
        Assert.Equal(3, Sleeps.Count);
        Assert.True(_time.GetUtcNow() < deadline, $"slept until {_time.GetUtcNow():O}, past the deadline");
    }

    [Fact]
    public async Task Passed_deadline_sends_nothing()
    {
        using var server = new LoopbackServer(_ => (HttpStatusCode.OK, Bus, null));
        using var events = new EventBridgeClient(Options(server, maxAttempts: 3), Settings(jitter: 0.5, deadline: Start - TimeSpan.FromSeconds(1)));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => events.DescribeEventBusAsync(null));

        Assert.Equal("DeadlineExceeded", error.ErrorCode);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Caller_cancellation_stops_the_retries()
    {
        using var server = new LoopbackServer(_ => (HttpStatusCode.BadRequest, Throttled, null));
        using var cancellation = new CancellationTokenSource();
        var settings = new AwsTransportSettings
        {
            Credentials = TestAws.Credentials,
            Environment = _ => null,
            Jitter = () => 0.5,

            // Never advanced: the back-off would wait forever unless the cancellation ends it.
            TimeProvider = new FakeTimeProvider(Start),
            Retries = new CancelOnRetry(cancellation),
        };
        using var events = new EventBridgeClient(Options(server, maxAttempts: 5), settings);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.DescribeEventBusAsync(null, cancellation.Token));

        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Every_retry_is_logged_and_counted_with_operation_and_code_but_no_credentials()
    {
        using var server = new LoopbackServer(n => n <= 2 ? (HttpStatusCode.BadRequest, Throttled, null) : (HttpStatusCode.OK, Bus, null));
        var log = new StringWriter();
        var emf = new StringWriter();
        var metrics = new MetricsWriter(emf, new MetricsOptions { FunctionName = "guard", Concern = "events" });
        var retries = new RetryTelemetry();
        using var events = new EventBridgeClient(Options(server, maxAttempts: 4), Settings(jitter: 0.5, retries: retries));

        using (retries.Bind(new JsonLogger(log, LogLevel.Info, _time), metrics))
        {
            await events.DescribeEventBusAsync(null);
        }

        metrics.Flush();
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal(
            ("WARN", "events", "DescribeEventBus", "HTTP 400 ThrottlingException"),
            (line.GetProperty("level").GetString(), line.GetProperty("dependency").GetString(), line.GetProperty("operation").GetString(), line.GetProperty("reason").GetString())));
        Assert.Equal([50.0, 100.0], lines.Select(line => line.GetProperty("delayMs").GetDouble()));
        Assert.DoesNotContain(MotoServer.SecretKey, log.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(emf.ToString()).RootElement.GetProperty(MetricNames.Retries).GetDouble());
    }

    [Fact]
    public async Task A_429_retry_after_is_honoured_instead_of_the_back_off()
    {
        using var server = new LoopbackServer(n => n == 1 ? (HttpStatusCode.TooManyRequests, Throttled, null) : (HttpStatusCode.OK, Bus, null), retryAfter: "2");
        using var events = new EventBridgeClient(Options(server, maxAttempts: 3), Settings(jitter: 0.5));

        await events.DescribeEventBusAsync(null);

        Assert.Equal([TimeSpan.FromSeconds(2)], Sleeps);
    }

    [Theory]
    [InlineData(true, "network error first, then refused")]
    [InlineData(false, "refused every time")]
    public async Task A_call_that_failed_says_whether_an_attempt_went_unanswered_and_so_may_have_been_carried_out(bool firstUnanswered, string story)
    {
        // A lost reply (here a broken connection) means the request may have been carried out; a throttle is AWS's answer
        // that it was not. The final error after the retries must carry which, whatever the last attempt was.
        var handler = new ScriptedHandler(n => firstUnanswered && n == 1 ? null : Reply(HttpStatusCode.BadRequest, Throttled));
        using var events = new EventBridgeClient(Options(new Uri("http://127.0.0.1:9/"), maxAttempts: 3), Settings(jitter: 0, inner: handler));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => events.DescribeEventBusAsync(null));

        Assert.Equal(3, handler.Requests);
        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.True(error.MayHaveTakenEffect == firstUnanswered, story);
    }

    private static HttpResponseMessage Reply(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-amz-json-1.1") };

    /// <summary>Answers request N with what the script says; null breaks the connection (HttpRequestException).</summary>
    private sealed class ScriptedHandler(Func<int, HttpResponseMessage?> script) : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            script(Interlocked.Increment(ref _requests)) is { } reply ? Task.FromResult(reply) : throw new HttpRequestException("the connection was reset");
    }

    private static AwsClientOptions Options(Uri endpoint, int maxAttempts) => new()
    {
        Region = TestAws.Region,
        EndpointUrl = endpoint,
        MaxAttempts = maxAttempts,
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(1),
    };

    private static AwsClientOptions Options(LoopbackServer server, int maxAttempts) => Options(server.Endpoint, maxAttempts);

    private AwsTransportSettings Settings(double jitter, DateTimeOffset? deadline = null, IRetryObserver? retries = null, HttpMessageHandler? inner = null) => new()
    {
        InnerHandler = inner,
        Credentials = TestAws.Credentials,
        Environment = _ => null,
        TimeProvider = _time,
        Jitter = () => jitter,
        Deadline = () => deadline,
        Retries = retries,
    };

    private sealed class CancelOnRetry(CancellationTokenSource cancellation) : IRetryObserver
    {
        public void OnRetry(in RetryNotice notice) => cancellation.Cancel();
    }
}
