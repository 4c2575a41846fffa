using Remediator.Aws;
using Remediator.Aws.Sns;
using Remediator.Aws.Transport;
using Remediator.Notifier;
using Remediator.Notifier.Alarms;
using Remediator.Notifier.Slack;
using Remediator.Notifier.Sns;
using Remediator.Runtime;
using Remediator.Runtime.Resilience;

// The notifier function: the audit table's stream in, Slack and SNS out; and the alarm topic's CloudWatch alarms
// (failure queue, function errors) in, the same Slack channel out. Everything slow or fallible at start-up
// (options, clients) happens in the init phase, so that a misconfiguration fails init visibly instead of every event.
return await LambdaRuntimeHost.RunMainAsync(() =>
{
    var options = NotifierOptions.FromEnvironment(Environment.GetEnvironmentVariable);
    var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
        ?? throw new InvalidOperationException("AWS_REGION is not set (Lambda sets it).");
    var aws = new AwsClientOptions { Region = region }.Validate();

    // Clients live as long as the runtime process: warm invocations reuse their connections and the webhook cache.
    // Their retries are logged and counted in the invocation that makes them (bound in the handler).
    var retries = new RetryTelemetry();
    SlackWebhookClient? slack = null;
    if (options.SlackParameterName is { } parameter)
    {
        var urls = new SsmWebhookUrlSource(new AwsSdkClients(aws).CreateSsm(), parameter, options.WebhookCacheDuration);
        slack = new SlackWebhookClient(urls, retries: retries);
    }

    ITopicPublisher? sns = options.HasSns ? new SnsTopicPublisher(new SnsClient(aws)) : null;
    var notifier = new AuditStreamNotifier(options, slack, sns);
    var alarms = slack is null ? null : new AlarmNotifier(slack);

    InvocationHandler handler = async (context, payload, cancellationToken) =>
    {
        using var reporting = retries.Bind(context.Logger, context.Metrics);
        if (AlarmNotification.IsSnsDelivery(payload.Span))
        {
            if (alarms is null)
            {
                // Fail visibly: an alarm nobody can read must not vanish as a success.
                throw new InvalidOperationException("an alarm arrived but no Slack webhook parameter is configured");
            }

            var posted = await alarms.HandleAsync(payload, context.Logger, context.Deadline, cancellationToken).ConfigureAwait(false);
            return System.Text.Encoding.UTF8.GetBytes($"{{\"alarmsPosted\":{posted}}}");
        }

        var result = await notifier.HandleAsync(payload, new NotifierInvocation(context.Logger, context.Metrics, context.Deadline), cancellationToken)
            .ConfigureAwait(false);
        return result.ToResponse();
    };
    return ValueTask.FromResult(handler);
}).ConfigureAwait(false);
