using Remediator.Notifier.Slack;
using Remediator.Notifier.Sns;
using Remediator.Notifier.Stream;
using Remediator.Runtime.Logging;

namespace Remediator.Notifier;

/// <summary>
/// The notifier's handler: a DynamoDB Streams batch of the audit table in, Slack messages and SNS publications out,
/// and the sequence numbers of the records that were not delivered back to Lambda for a retry.
/// <para>
/// Deliveries go out one at a time in stream order and stop at the first failure. Lambda retries a stream from the
/// lowest failed sequence number onwards, so every later record comes again anyway: sending it now would tell it
/// twice. Those records are reported as failed too (not attempted). A retry after a partial failure can still repeat
/// a message when one record goes to two channels, or when a summary message covered records on both sides of the
/// failure: delivery is at least once, duplicates are limited to that case.
/// </para>
/// Records that can never be delivered (an unreadable item, a channel this function has not been configured for) are
/// logged as errors and counted as dropped, not retried: a retry would block the shard's later records behind them.
/// </summary>
public sealed class AuditStreamNotifier
{
    private readonly NotifierOptions _options;
    private readonly SlackWebhookClient? _slack;
    private readonly ITopicPublisher? _sns;

    /// <param name="slack">Required when <see cref="NotifierOptions.HasSlack"/>.</param>
    /// <param name="sns">Required when <see cref="NotifierOptions.HasSns"/>.</param>
    public AuditStreamNotifier(NotifierOptions options, SlackWebhookClient? slack, ITopicPublisher? sns)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        if (_options.HasSlack && slack is null)
        {
            throw new ArgumentException("a Slack parameter is configured but no Slack client was given", nameof(slack));
        }

        if (_options.HasSns && sns is null)
        {
            throw new ArgumentException("an SNS topic is configured but no publisher was given", nameof(sns));
        }

        _slack = _options.HasSlack ? slack : null;
        _sns = _options.HasSns ? sns : null;
    }

    public async Task<StreamBatchResult> HandleAsync(ReadOnlyMemory<byte> streamEvent, NotifierInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var logger = invocation.Logger;
        var decisions = AuditStreamReader.Read(streamEvent);
        var silent = 0;
        var dropped = 0;
        var slackItems = new List<StreamRecordDecision>();
        var snsItems = new List<StreamRecordDecision>();
        foreach (var decision in decisions)
        {
            if (decision.Problem is { } problem)
            {
                dropped++;
                logger.Error("an audit stream record could not be read; it is not notified", ("sequenceNumber", decision.ItemIdentifier), ("problem", problem));
                continue;
            }

            if (decision.Notification is not { } notification)
            {
                silent++;
                logger.Debug("not notified", ("sequenceNumber", decision.ItemIdentifier), ("reason", decision.SilentReason));
                continue;
            }

            foreach (var channel in notification.Channels)
            {
                var list = channel switch
                {
                    NotificationPolicy.Slack when _slack is not null => slackItems,
                    NotificationPolicy.Sns when _sns is not null => snsItems,
                    _ => null,
                };
                if (list is null)
                {
                    dropped++;
                    logger.Error($"channel '{channel}' is not configured for this function; the notification is dropped",
                        ("auditId", notification.Record.Id), ("channel", channel));
                }
                else
                {
                    list.Add(decision);
                }
            }
        }

        var deliveries = Plan(slackItems, snsItems);
        var failedPositions = new SortedDictionary<int, string>();
        var sent = 0;
        var failed = 0;
        var stopped = false;
        foreach (var delivery in deliveries)
        {
            if (!stopped)
            {
                var error = await DeliverAsync(delivery, invocation.Deadline, cancellationToken).ConfigureAwait(false);
                if (error is null)
                {
                    sent += delivery.Items.Count;
                    logger.Info("notification sent", ("channel", delivery.Channel), ("records", delivery.Items.Count), ("auditIds", AuditIds(delivery)));
                    continue;
                }

                stopped = true;
                logger.Error("notification failed; this and the batch's later records are reported for a retry",
                    ("channel", delivery.Channel), ("auditIds", AuditIds(delivery)), ("error", error));
            }

            failed += delivery.Items.Count;
            foreach (var item in delivery.Items)
            {
                failedPositions[item.Position] = item.ItemIdentifier;
            }
        }

        // Everything after the first failed record is redelivered by Lambda anyway; naming it keeps the response honest.
        if (failedPositions.Count > 0)
        {
            var first = failedPositions.Keys.First();
            foreach (var decision in decisions.Where(d => d.Position > first && d.Notification is not null))
            {
                failedPositions.TryAdd(decision.Position, decision.ItemIdentifier);
            }
        }

        invocation.Metrics.Count(NotifierMetricNames.NotificationsSent, sent);
        invocation.Metrics.Count(NotifierMetricNames.NotificationFailures, failed);
        invocation.Metrics.Count(NotifierMetricNames.NotificationsDropped, dropped);
        logger.Info("audit stream batch done", ("records", decisions.Count), ("sent", sent), ("failed", failed), ("silent", silent), ("dropped", dropped));
        return new StreamBatchResult
        {
            FailedItemIdentifiers = failedPositions.Values.Distinct(StringComparer.Ordinal).ToList(),
            Sent = sent,
            Failed = failed,
            Silent = silent,
            Dropped = dropped,
        };
    }

    /// <summary>
    /// Slack: one message per record, or one summary when the batch has more than <see cref="NotifierOptions.AggregateAbove"/>;
    /// SNS: one publication per record. In stream order of each delivery's first record.
    /// </summary>
    private List<Delivery> Plan(List<StreamRecordDecision> slackItems, List<StreamRecordDecision> snsItems)
    {
        var deliveries = new List<Delivery>();
        // A record that asks a question keeps its own message: a summary has no room for its buttons.
        var asking = slackItems.Where(i => Core.Approvals.DecisionService.OpenDecisions(i.Notification!.Record, DateTimeOffset.UtcNow).Count > 0).ToList();
        var telling = slackItems.Except(asking).ToList();
        deliveries.AddRange(asking.Select(i => new Delivery(NotificationPolicy.Slack, [i], SlackMessageBuilder.Single(i.Notification!))));
        if (telling.Count > _options.AggregateAbove)
        {
            deliveries.Add(new Delivery(NotificationPolicy.Slack, telling, SlackMessageBuilder.Aggregate(telling.Select(i => i.Notification!).ToList())));
        }
        else
        {
            deliveries.AddRange(telling.Select(i => new Delivery(NotificationPolicy.Slack, [i], SlackMessageBuilder.Single(i.Notification!))));
        }

        deliveries.AddRange(snsItems.Select(i => new Delivery(NotificationPolicy.Sns, [i], SnsMessageBuilder.Message(i.Notification!))));
        return deliveries.OrderBy(d => d.Items[0].Position).ThenBy(d => d.Channel == NotificationPolicy.Slack ? 0 : 1).ToList();
    }

    /// <summary>Null when delivered; else an error text that is safe to log (no webhook URL).</summary>
    private async Task<string?> DeliverAsync(Delivery delivery, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        try
        {
            if (delivery.Channel == NotificationPolicy.Slack)
            {
                await _slack!.PostAsync(delivery.Payload, deadline, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var record = delivery.Items[0].Notification!.Record;
                await _sns!.PublishAsync(_options.SnsTopicArn!, delivery.Payload, SnsMessageBuilder.Subject(record), cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "the invocation ran out of time";
        }
        catch (SlackDeliveryException ex)
        {
            return ex.Message;
        }
        catch (Exception ex) when (delivery.Channel == NotificationPolicy.Slack)
        {
            // An unexpected failure on the way to Slack may quote the webhook address: only its type is logged.
            return $"unexpected {ex.GetType().Name} while posting to Slack";
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    private static string AuditIds(Delivery delivery) =>
        string.Join(",", delivery.Items.Select(i => i.Notification!.Record.Id));

    private sealed record Delivery(string Channel, IReadOnlyList<StreamRecordDecision> Items, string Payload);
}
