using System.Net;
using Remediator.Aws.EventBridge;
using Remediator.Aws.Iam;
using Remediator.Aws.Tests.Support;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Tests.Transport;

/// <summary>Retries over a real loopback socket, with a fake clock and sleeper so back-off is observed, not waited for.</summary>
public sealed class AwsTransportRetryTests
{
    private const string Bus = """{"Name":"default","Arn":"arn:aws:events:eu-west-1:123456789012:event-bus/default"}""";
    private const string Throttled = """{"__type":"ThrottlingException","message":"Rate exceeded"}""";
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Start);
    private readonly List<TimeSpan> _sleeps = [];

    [Fact]
    public async Task Throttled_twice_then_answered_retries_with_doubling_jittered_backoff()
    {
        using var server = new LoopbackServer(n => n <= 2 ? (HttpStatusCode.BadRequest, Throttled, null) : (HttpStatusCode.OK, Bus, null));
        using var events = new EventBridgeClient(Options(server, maxAttempts: 4), Settings(jitter: 0.5));

        var bus = await events.DescribeEventBusAsync(null);

        Assert.Equal("default", bus.Name);
        Assert.Equal(3, server.RequestCount);
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], _sleeps);
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
        Assert.Equal(2, _sleeps.Count);
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
        Assert.Empty(_sleeps);
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
        Assert.Equal(3, _sleeps.Count);
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
        Assert.Equal(3, _sleeps.Count);
        Assert.True(_clock.Now < deadline, $"slept until {_clock.Now:O}, past the deadline");
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
            Delay = (_, _) =>
            {
                cancellation.Cancel();
                return Task.FromCanceled(cancellation.Token);
            },
        };
        using var events = new EventBridgeClient(Options(server, maxAttempts: 5), settings);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.DescribeEventBusAsync(null, cancellation.Token));

        Assert.Equal(1, server.RequestCount);
    }

    private static AwsClientOptions Options(LoopbackServer server, int maxAttempts) => new()
    {
        Region = TestAws.Region,
        EndpointUrl = server.Endpoint,
        MaxAttempts = maxAttempts,
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(1),
    };

    private AwsTransportSettings Settings(double jitter, DateTimeOffset? deadline = null) => new()
    {
        Credentials = TestAws.Credentials,
        Environment = _ => null,
        TimeProvider = _clock,
        Jitter = () => jitter,
        Deadline = () => deadline,
        Delay = (delay, _) =>
        {
            _sleeps.Add(delay);
            _clock.Now += delay;
            return Task.CompletedTask;
        },
    };
}
