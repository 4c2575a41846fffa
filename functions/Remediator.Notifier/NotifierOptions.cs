using System.Globalization;

namespace Remediator.Notifier;

/// <summary>
/// What the notifier sends where, read from the function's environment and validated at init, so that a typo fails
/// the deployment's first invocation loudly instead of silently dropping every notification.
/// </summary>
public sealed record NotifierOptions
{
    public const string SlackParameterVariable = "REMEDIATOR_SLACK_PARAMETER";
    public const string SnsTopicVariable = "REMEDIATOR_SNS_TOPIC_ARN";
    public const string AggregateAboveVariable = "REMEDIATOR_SLACK_AGGREGATE_ABOVE";
    public const string WebhookCacheSecondsVariable = "REMEDIATOR_SLACK_WEBHOOK_CACHE_SECONDS";

    /// <summary>Slack refuses a message with more than 50 blocks.</summary>
    public const int SlackBlockLimit = 50;

    /// <summary>Name of the SSM SecureString that holds the Slack webhook URL; null: no Slack channel.</summary>
    public string? SlackParameterName { get; init; }

    /// <summary>Topic for <c>notify:sns</c> steps; null: no SNS channel.</summary>
    public string? SnsTopicArn { get; init; }

    /// <summary>
    /// A batch with more Slack notifications than this becomes one summary message instead of one message per record:
    /// a burst (a script that changed twenty roles) should be one thing to read, not twenty pings.
    /// </summary>
    public int AggregateAbove { get; init; } = 3;

    /// <summary>
    /// How long the webhook URL read from SSM is reused. Minutes: a rotated URL takes effect soon, and a burst of
    /// invocations does not call GetParameter each time (its throughput is limited and billed).
    /// </summary>
    public TimeSpan WebhookCacheDuration { get; init; } = TimeSpan.FromMinutes(5);

    public bool HasSlack => SlackParameterName is not null;

    public bool HasSns => SnsTopicArn is not null;

    public static NotifierOptions FromEnvironment(Func<string, string?> readVariable)
    {
        ArgumentNullException.ThrowIfNull(readVariable);
        var options = new NotifierOptions
        {
            SlackParameterName = Blank(readVariable(SlackParameterVariable)),
            SnsTopicArn = Blank(readVariable(SnsTopicVariable)),
        };

        if (Blank(readVariable(AggregateAboveVariable)) is { } aggregate)
        {
            options = options with { AggregateAbove = Integer(AggregateAboveVariable, aggregate) };
        }

        if (Blank(readVariable(WebhookCacheSecondsVariable)) is { } seconds)
        {
            options = options with { WebhookCacheDuration = TimeSpan.FromSeconds(Integer(WebhookCacheSecondsVariable, seconds)) };
        }

        return options.Validated();
    }

    public NotifierOptions Validated()
    {
        if (SlackParameterName is not null && (SlackParameterName.Length is 0 or > 2048 || SlackParameterName.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException($"{nameof(SlackParameterName)} ({SlackParameterVariable}) must be an SSM parameter name, got '{SlackParameterName}'.");
        }

        if (SnsTopicArn is not null && !(SnsTopicArn.StartsWith("arn:", StringComparison.Ordinal) && SnsTopicArn.Contains(":sns:", StringComparison.Ordinal)))
        {
            throw new ArgumentException($"{nameof(SnsTopicArn)} ({SnsTopicVariable}) must be an SNS topic ARN, got '{SnsTopicArn}'.");
        }

        if (AggregateAbove is < 1 or > SlackBlockLimit)
        {
            throw new ArgumentException($"{nameof(AggregateAbove)} ({AggregateAboveVariable}) must be between 1 and {SlackBlockLimit}, got {AggregateAbove}.");
        }

        if (WebhookCacheDuration < TimeSpan.Zero || WebhookCacheDuration > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"{nameof(WebhookCacheDuration)} ({WebhookCacheSecondsVariable}) must be between 0 and 3600 s, got {WebhookCacheDuration.TotalSeconds} s.");
        }

        return this;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int Integer(string variable, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{variable} must be a whole number, got '{text}'.");
}
