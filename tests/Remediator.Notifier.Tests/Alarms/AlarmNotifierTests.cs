using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Notifier.Alarms;
using Remediator.Notifier.Slack;
using Remediator.Notifier.Tests.Support;
using Remediator.Runtime.Logging;

namespace Remediator.Notifier.Tests.Alarms;

/// <summary>CloudWatch alarms (failure queue, function errors) delivered by SNS reach the Slack webhook as one message each.</summary>
public sealed class AlarmNotifierTests : IDisposable
{
    private readonly LocalWebhookServer _slack = new();
    private readonly SlackWebhookClient _client;
    private readonly StringWriter _log = new();

    public AlarmNotifierTests() =>
        _client = new SlackWebhookClient(new FixedWebhookUrl(_slack.Url), new SlackDeliveryOptions { MaxAttempts = 1 });

    public void Dispose()
    {
        _client.Dispose();
        _slack.Dispose();
        _log.Dispose();
    }

    /// <summary>The shape SNS hands Lambda (Records[].Sns.Message is the alarm's JSON as a string).</summary>
    private static ReadOnlyMemory<byte> SnsDelivery(params string[] messages)
    {
        var records = new JsonArray();
        foreach (var message in messages)
        {
            records.Add(new JsonObject
            {
                ["EventSource"] = "aws:sns",
                ["EventVersion"] = "1.0",
                ["EventSubscriptionArn"] = "arn:aws:sns:us-east-1:111122223333:remediator-alarms:5f0c",
                ["Sns"] = new JsonObject
                {
                    ["Type"] = "Notification",
                    ["TopicArn"] = "arn:aws:sns:us-east-1:111122223333:remediator-alarms",
                    ["Subject"] = "ALARM: \"remediator-failure-queue\" in US East (N. Virginia)",
                    ["Message"] = message,
                },
            });
        }

        return System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = records }.ToJsonString());
    }

    private static string Alarm(string name, string state, string reason = "Threshold Crossed: 1 datapoint [3.0 (04/12/26 16:00:00)] was greater than the threshold (0.0).") =>
        new JsonObject
        {
            ["AlarmName"] = name,
            ["AlarmDescription"] = "Events or invocations the guards could not handle wait in the failure queue.",
            ["NewStateValue"] = state,
            ["NewStateReason"] = reason,
            ["StateChangeTime"] = "2026-12-04T16:00:00.000+0000",
            ["Region"] = "US East (N. Virginia)",
        }.ToJsonString();

    [Fact]
    public async Task An_alarm_from_sns_is_posted_to_slack_with_its_name_state_reason_and_the_redrive_hint()
    {
        var notifier = new AlarmNotifier(_client);

        var posted = await notifier.HandleAsync(SnsDelivery(Alarm("remediator-failure-queue", "ALARM")), new JsonLogger(_log, LogLevel.Info), DateTimeOffset.UtcNow.AddSeconds(30), default);

        Assert.Equal(1, posted);
        var request = Assert.Single(_slack.Requests);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Contains("remediator-failure-queue is ALARM", body.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        var section = body.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!;
        Assert.Contains("Threshold Crossed", section, StringComparison.Ordinal);
        Assert.Contains("remediator redrive", section, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_that_is_not_an_alarm_is_logged_and_skipped_and_the_others_are_posted()
    {
        var notifier = new AlarmNotifier(_client);

        var posted = await notifier.HandleAsync(SnsDelivery("not json", """{"hello":"world"}""", Alarm("remediator-iam-guard-errors", "OK")), new JsonLogger(_log, LogLevel.Info), DateTimeOffset.UtcNow.AddSeconds(30), default);

        Assert.Equal(1, posted);
        Assert.Contains("remediator-iam-guard-errors is OK", Assert.Single(_slack.Requests).Body, StringComparison.Ordinal);
        Assert.Equal(2, _log.ToString().Split('\n').Count(l => l.Contains("not a CloudWatch alarm", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failed_post_fails_the_invocation_so_that_lambda_retries_the_delivery()
    {
        _slack.Respond(500, "oops");
        var notifier = new AlarmNotifier(_client);

        await Assert.ThrowsAsync<SlackDeliveryException>(() =>
            notifier.HandleAsync(SnsDelivery(Alarm("remediator-failure-queue", "ALARM")), new JsonLogger(_log, LogLevel.Info), DateTimeOffset.UtcNow.AddSeconds(30), default));
    }

    [Fact]
    public void An_sns_delivery_is_told_apart_from_an_audit_stream_batch()
    {
        Assert.True(AlarmNotification.IsSnsDelivery(SnsDelivery(Alarm("a", "ALARM")).Span));
        Assert.False(AlarmNotification.IsSnsDelivery(Records.Batch(Records.StreamRecord("INSERT", "1", Records.Applied())).Span));
        Assert.False(AlarmNotification.IsSnsDelivery("not json"u8));
        Assert.False(AlarmNotification.IsSnsDelivery("""{"Records":[]}"""u8));
    }
}
