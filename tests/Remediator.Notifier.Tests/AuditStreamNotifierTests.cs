using System.Text;
using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Remediator.Aws.Sns;
using Remediator.Notifier.Slack;
using Remediator.Notifier.Sns;
using Remediator.Notifier.Tests.Slack;
using Remediator.Notifier.Tests.Support;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;
using Remediator.Testing;

namespace Remediator.Notifier.Tests;

/// <summary>
/// The handler on stream batches: Slack through the local stand-in with its URL read from moto's SSM, SNS published to
/// a moto topic, the partial-batch response, the log and metric lines.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AuditStreamNotifierTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private const string Parameter = "/remediator/slack-webhook";
    private readonly LocalWebhookServer _slack = new();
    private readonly InstantWaitTimeProvider _clock = new(Records.Time);
    private readonly StringWriter _output = new();
    private SnsClient? _snsClient;
    private string _topicArn = "";

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _snsClient = MotoAws.Sns(moto);
        _topicArn = await _snsClient.CreateTopicAsync("remediator-alerts");
        using var ssm = MotoAws.Ssm(moto);
        await ssm.PutParameterAsync(new PutParameterRequest { Name = Parameter, Value = _slack.Url.AbsoluteUri, Type = ParameterType.SecureString });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _snsClient?.Dispose();
        _slack.Dispose();
        _output.Dispose();
    }

    [Fact]
    public async Task The_fixture_batch_sends_the_completed_revert_to_slack_and_sns_and_the_dry_run_to_slack()
    {
        var result = await HandleAsync(File.ReadAllBytes(Records.FixturePath("audit-table-batch.json")));

        Assert.Empty(result.FailedItemIdentifiers);
        Assert.Equal("""{"batchItemFailures":[]}""", Encoding.UTF8.GetString(result.ToResponse().Span));
        Assert.Equal((3, 0, 4, 0), (result.Sent, result.Failed, result.Silent, result.Dropped));

        var messages = _slack.Requests.Select(r => SlackMessageBuilderTests.AllText(JsonDocument.Parse(r.Body).RootElement)).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains("[HIGH] Remediated: iam-admin-wildcard", messages[0], StringComparison.Ordinal);
        Assert.Contains("`remediator undo e-0001/iam-admin-wildcard`", messages[0], StringComparison.Ordinal);
        Assert.Contains("`arn:aws:sts::111122223333:assumed-role/DevOps/alice@example.com`", messages[0], StringComparison.Ordinal);
        Assert.Contains("[CRITICAL] Dry run: public-event-bus", messages[1], StringComparison.Ordinal);
        Assert.Contains("would have: Remove statement 'everyone'", messages[1], StringComparison.Ordinal);

        var published = Assert.Single(await MotoAws.PublishedAsync(moto, _topicArn));
        Assert.Equal("Remediator [HIGH] Remediated: iam-admin-wildcard", published.Subject);
        using var sns = JsonDocument.Parse(published.Message);
        Assert.Equal("e-0001/iam-admin-wildcard", sns.RootElement.GetProperty("id").GetString());
        Assert.Equal("remediator undo e-0001/iam-admin-wildcard", sns.RootElement.GetProperty("undo").GetString());
        Assert.Equal("done", sns.RootElement.GetProperty("actions")[0].GetProperty("outcome").GetString());
        Assert.StartsWith("https://us-east-1.console.aws.amazon.com/dynamodbv2/", sns.RootElement.GetProperty("auditLink").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_what_was_sent_and_failed()
    {
        var metrics = new MetricsWriter(_output, new MetricsOptions { FunctionName = "remediator-notifier" });

        await HandleAsync(File.ReadAllBytes(Records.FixturePath("audit-table-batch.json")), metrics);
        metrics.Flush();

        var emf = _output.ToString().Split('\n').Select(l => l.Trim()).Last(l => l.Contains("\"_aws\"", StringComparison.Ordinal));
        using var line = JsonDocument.Parse(emf);
        Assert.Equal(3, line.RootElement.GetProperty(NotifierMetricNames.NotificationsSent).GetDouble());
        Assert.Equal(0, line.RootElement.GetProperty(NotifierMetricNames.NotificationFailures).GetDouble());
    }

    [Fact]
    public async Task A_burst_above_the_threshold_becomes_one_slack_message()
    {
        var records = Enumerable.Range(1, 5).Select(i => Records.Applied($"e-{i}", role: $"role-{i}")).ToArray();

        var result = await HandleAsync(Records.Inserts(records));

        Assert.Empty(result.FailedItemIdentifiers);
        var request = Assert.Single(_slack.Requests);
        using var message = JsonDocument.Parse(request.Body);
        Assert.Equal("Remediator: 5 decisions", message.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        var text = SlackMessageBuilderTests.AllText(message.RootElement);
        Assert.All(records, r => Assert.Contains("remediator undo " + r.Id, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_message_reports_it_and_every_later_record_and_sends_nothing_after_it()
    {
        _slack.Respond(200, "ok");
        _slack.Respond(400, "invalid_payload");

        var result = await HandleAsync(Records.Inserts(Records.Applied("e-1"), Records.Applied("e-2"), Records.Applied("e-3")));

        Assert.Equal(["2", "3"], result.FailedItemIdentifiers);
        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"2"},{"itemIdentifier":"3"}]}""", Encoding.UTF8.GetString(result.ToResponse().Span));
        Assert.Equal(2, _slack.Requests.Count);
        var log = _output.ToString();
        Assert.Contains("Slack refused the message: HTTP 400 invalid_payload", log, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalWebhookServer.SecretPath, log, StringComparison.Ordinal);
        Assert.DoesNotContain(_slack.Url.AbsoluteUri, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_the_function_is_not_configured_for_is_dropped_not_retried()
    {
        var notifier = new AuditStreamNotifier(new NotifierOptions { SnsTopicArn = _topicArn }, slack: null, new SnsTopicPublisher(_snsClient!));

        var result = await notifier.HandleAsync(Records.Inserts(Records.Applied("e-1", channels: ["slack", "sns"])), Invocation(), CancellationToken.None);

        Assert.Empty(result.FailedItemIdentifiers);
        Assert.Equal((1, 1), (result.Sent, result.Dropped));
        Assert.Empty(_slack.Requests);
        Assert.Contains("channel 'slack' is not configured", _output.ToString(), StringComparison.Ordinal);
        Assert.Single(await MotoAws.PublishedAsync(moto, _topicArn));
    }

    [Fact]
    public async Task A_missing_topic_fails_the_sns_record_only()
    {
        var missing = $"arn:aws:sns:{MotoAws.Region}:{MotoServer.AccountId}:missing";
        var notifier = new AuditStreamNotifier(new NotifierOptions { SnsTopicArn = missing }, slack: null, new SnsTopicPublisher(_snsClient!));

        var result = await notifier.HandleAsync(
            Records.Inserts(Records.Applied("e-1", channels: ["sns"])), Invocation(), CancellationToken.None);

        Assert.Equal(["1"], result.FailedItemIdentifiers);
        Assert.Contains("NotFound", _output.ToString(), StringComparison.Ordinal);
    }

    private async Task<StreamBatchResult> HandleAsync(ReadOnlyMemory<byte> streamEvent, MetricsWriter? metrics = null)
    {
        using var ssm = MotoAws.Ssm(moto);
        using var urls = new SsmWebhookUrlSource(ssm, Parameter, TimeSpan.FromMinutes(5), _clock);
        using var slack = new SlackWebhookClient(urls, clock: _clock);
        var options = new NotifierOptions { SlackParameterName = Parameter, SnsTopicArn = _topicArn };
        var notifier = new AuditStreamNotifier(options, slack, new SnsTopicPublisher(_snsClient!));
        return await notifier.HandleAsync(streamEvent, Invocation(metrics), CancellationToken.None);
    }

    private NotifierInvocation Invocation(MetricsWriter? metrics = null) =>
        new(new JsonLogger(_output, LogLevel.Debug, _clock), metrics ?? new MetricsWriter(TextWriter.Null, new MetricsOptions { FunctionName = "test" }), _clock.GetUtcNow().AddMinutes(1));
}
