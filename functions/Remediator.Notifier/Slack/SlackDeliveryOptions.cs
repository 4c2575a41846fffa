using Remediator.Runtime.Resilience;

namespace Remediator.Notifier.Slack;

/// <summary>How hard the webhook client tries. Validated when the client is built.</summary>
public sealed record SlackDeliveryOptions
{
    /// <summary>Attempts per message, the first included (429s and 5xx share them).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first back-off cap after a 5xx or network error; each retry doubles it up to <see cref="MaxDelay"/> (full jitter waits below the cap).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The wait after a 429 that carries no usable Retry-After.</summary>
    public TimeSpan DefaultRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time for one POST and its answer.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time kept free before the invocation's deadline: no wait or attempt may run into it, so the handler can
    /// still report which records failed instead of being cut off by Lambda.
    /// </summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The shared retry pipeline's bounds for the webhook.</summary>
    public RetryOptions ToRetryOptions() => new() { MaxAttempts = MaxAttempts, BaseDelay = BaseDelay, MaxDelay = MaxDelay, AttemptTimeout = AttemptTimeout };

    public SlackDeliveryOptions Validated()
    {
        if (MaxAttempts is < 1 or > 10)
        {
            throw new ArgumentException($"{nameof(MaxAttempts)} must be between 1 and 10, got {MaxAttempts}.");
        }

        foreach (var (value, name) in new[] { (BaseDelay, nameof(BaseDelay)), (MaxDelay, nameof(MaxDelay)), (DefaultRetryAfter, nameof(DefaultRetryAfter)), (AttemptTimeout, nameof(AttemptTimeout)) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"{name} must be positive, got {value}.");
            }
        }

        if (DeadlineMargin < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(DeadlineMargin)} cannot be negative, got {DeadlineMargin}.");
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentException($"{nameof(MaxDelay)} {MaxDelay} is shorter than {nameof(BaseDelay)} {BaseDelay}.");
        }

        return this;
    }
}
