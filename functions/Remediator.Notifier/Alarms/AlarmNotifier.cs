using Remediator.Notifier.Slack;
using Remediator.Runtime.Logging;

namespace Remediator.Notifier.Alarms;

/// <summary>
/// The notifier's second input: CloudWatch alarms (failure queue not empty, a function's errors) delivered by the
/// alarm topic, posted to the same Slack channel as the audit trail. A failed post fails the invocation, so that
/// Lambda retries the SNS delivery; an unreadable record is logged and skipped (a retry cannot fix it).
/// </summary>
public sealed class AlarmNotifier
{
    private readonly SlackWebhookClient _slack;

    public AlarmNotifier(SlackWebhookClient slack)
    {
        ArgumentNullException.ThrowIfNull(slack);
        _slack = slack;
    }

    /// <returns>How many alarm messages were posted.</returns>
    /// <exception cref="SlackDeliveryException">A post failed: the invocation fails and Lambda retries the delivery.</exception>
    public async Task<int> HandleAsync(ReadOnlyMemory<byte> snsEvent, JsonLogger logger, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var alarms = AlarmNotification.Read(snsEvent.Span, out var problems);
        foreach (var problem in problems)
        {
            logger.Error("an SNS record is not a CloudWatch alarm; it is not posted", ("problem", problem));
        }

        foreach (var alarm in alarms)
        {
            await _slack.PostAsync(AlarmSlackMessage.Build(alarm), deadline, cancellationToken).ConfigureAwait(false);
            logger.Info("alarm posted", ("alarm", alarm.AlarmName), ("state", alarm.NewState));
        }

        return alarms.Count;
    }
}
