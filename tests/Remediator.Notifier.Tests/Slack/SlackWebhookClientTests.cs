using System.Net;
using System.Text.Json;
using Remediator.Notifier.Slack;
using Remediator.Notifier.Tests.Support;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;
using Remediator.Runtime.Resilience;
using Remediator.Testing;

namespace Remediator.Notifier.Tests.Slack;

/// <summary>The webhook client against a local stand-in for Slack; waits go through a fake time provider, not the wall clock.</summary>
public sealed class SlackWebhookClientTests : IDisposable
{
    private const string Payload = """{"text":"hello","blocks":[]}""";
    private readonly LocalWebhookServer _slack = new();
    private readonly InstantWaitTimeProvider _clock = new(Records.Time);
    private readonly FixedWebhookUrl _url;
    private readonly SlackWebhookClient _client;

    public SlackWebhookClientTests()
    {
        _url = new FixedWebhookUrl(_slack.Url);
        _client = new SlackWebhookClient(
            _url,
            new SlackDeliveryOptions { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2), AttemptTimeout = TimeSpan.FromSeconds(10) },
            clock: _clock,
            jitter: () => 1);
    }

    private DateTimeOffset Deadline => _clock.GetUtcNow().AddMinutes(1);

    public void Dispose()
    {
        _client.Dispose();
        _slack.Dispose();
    }

    [Fact]
    public async Task A_message_is_posted_as_json_to_the_webhook()
    {
        await _client.PostAsync(Payload, Deadline, CancellationToken.None);

        var request = Assert.Single(_slack.Requests);
        Assert.Equal(("POST", LocalWebhookServer.SecretPath), (request.Method, request.Path));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("hello", JsonDocument.Parse(request.Body).RootElement.GetProperty("text").GetString());
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public async Task A_429_is_answered_by_waiting_as_long_as_retry_after_says_then_posting_again()
    {
        _slack.Respond(429, "rate_limited", retryAfter: "7");

        await _client.PostAsync(Payload, Deadline, CancellationToken.None);

        Assert.Equal(2, _slack.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], _clock.Waits);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_invocations_deadline_fails_now_without_waiting()
    {
        _slack.Respond(429, "rate_limited", retryAfter: "120");

        var error = await Assert.ThrowsAsync<SlackDeliveryException>(() => _client.PostAsync(Payload, Deadline, CancellationToken.None));

        Assert.Single(_slack.Requests);
        Assert.Empty(_clock.Waits);
        Assert.True(error.IsTransient);
        Assert.Contains("HTTP 429", error.Message, StringComparison.Ordinal);
        Assert.Contains("deadline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_doubling_back_off_whose_cap_the_jitter_reaches_at_one()
    {
        _slack.Respond(500, "internal_error");
        _slack.Respond(503, "service_unavailable");

        await _client.PostAsync(Payload, Deadline, CancellationToken.None);

        Assert.Equal(3, _slack.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], _clock.Waits);
    }

    [Fact]
    public async Task Server_errors_past_the_attempt_limit_fail_with_the_last_answer()
    {
        for (var i = 0; i < 4; i++)
        {
            _slack.Respond(502, "bad_gateway");
        }

        var error = await Assert.ThrowsAsync<SlackDeliveryException>(() => _client.PostAsync(Payload, Deadline, CancellationToken.None));

        Assert.Equal(4, _slack.Requests.Count);
        Assert.Equal("the Slack webhook failed 4 attempts; last: HTTP 502 bad_gateway", error.Message);
        Assert.True(error.IsTransient);
    }

    [Theory]
    [InlineData(400, "invalid_payload")]
    [InlineData(403, "invalid_token")]
    [InlineData(404, "no_service")]
    public async Task A_client_error_is_a_refusal_reported_at_once_without_the_url(int status, string slackError)
    {
        _slack.Respond(status, slackError + " for " + _slack.Url);

        var error = await Assert.ThrowsAsync<SlackDeliveryException>(() => _client.PostAsync(Payload, Deadline, CancellationToken.None));

        Assert.Single(_slack.Requests);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.StartsWith($"Slack refused the message: HTTP {status} {slackError}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalWebhookServer.SecretPath, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("notARealToken", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hook_that_is_gone_makes_the_source_forget_the_cached_url()
    {
        _slack.Respond(404, "no_service");

        await Assert.ThrowsAsync<SlackDeliveryException>(() => _client.PostAsync(Payload, Deadline, CancellationToken.None));

        Assert.Equal(1, _url.Invalidations);
    }

    [Fact]
    public async Task An_unreachable_webhook_is_a_transient_failure_whose_message_hides_the_path()
    {
        var closedPort = new Uri(_slack.Url.AbsoluteUri.Replace($":{_slack.Url.Port}/", ":1/", StringComparison.Ordinal));
        using var client = new SlackWebhookClient(new FixedWebhookUrl(closedPort), new SlackDeliveryOptions { MaxAttempts = 2 }, clock: _clock, jitter: () => 1);

        var error = await Assert.ThrowsAsync<SlackDeliveryException>(() => client.PostAsync(Payload, Deadline, CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.Contains("network error", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("notARealToken", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_retry_is_logged_and_counted_in_the_bound_invocation_without_the_webhook_url()
    {
        var log = new StringWriter();
        var emf = new StringWriter();
        var metrics = new MetricsWriter(emf, new MetricsOptions { FunctionName = "notifier" });
        var retries = new RetryTelemetry();
        using var client = new SlackWebhookClient(_url, new SlackDeliveryOptions { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(200) }, clock: _clock, retries: retries, jitter: () => 1);
        _slack.Respond(429, "rate_limited for " + _slack.Url, retryAfter: "3");
        _slack.Respond(503, "service_unavailable");

        using (retries.Bind(new JsonLogger(log, LogLevel.Info, _clock), metrics))
        {
            await client.PostAsync(Payload, Deadline, CancellationToken.None);
        }

        metrics.Flush();
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal(("WARN", "retrying a call", "slack", "webhook"), (line.GetProperty("level").GetString(), line.GetProperty("message").GetString(), line.GetProperty("dependency").GetString(), line.GetProperty("operation").GetString())));
        Assert.Equal(("HTTP 429", 1, 3000.0), (lines[0].GetProperty("reason").GetString(), lines[0].GetProperty("failedAttempt").GetInt32(), lines[0].GetProperty("delayMs").GetDouble()));
        Assert.Equal(("HTTP 503", 2, 400.0), (lines[1].GetProperty("reason").GetString(), lines[1].GetProperty("failedAttempt").GetInt32(), lines[1].GetProperty("delayMs").GetDouble()));
        Assert.DoesNotContain(LocalWebhookServer.SecretPath, log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("notARealToken", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(emf.ToString()).RootElement.GetProperty(MetricNames.Retries).GetDouble());
    }

    [Fact]
    public async Task Retries_outside_a_bound_invocation_are_neither_logged_nor_counted_and_a_binding_ends_with_its_scope()
    {
        var log = new StringWriter();
        var emf = new StringWriter();
        var metrics = new MetricsWriter(emf, new MetricsOptions { FunctionName = "notifier" });
        var retries = new RetryTelemetry();
        using var client = new SlackWebhookClient(_url, clock: _clock, retries: retries, jitter: () => 1);
        retries.Bind(new JsonLogger(log, LogLevel.Info, _clock), metrics).Dispose();
        _slack.Respond(500, "internal_error");

        await client.PostAsync(Payload, Deadline, CancellationToken.None);

        metrics.Flush();
        Assert.Equal(2, _slack.Requests.Count);
        Assert.Empty(log.ToString());
        Assert.Empty(emf.ToString());
    }
}
