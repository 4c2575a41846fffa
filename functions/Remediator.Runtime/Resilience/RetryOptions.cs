namespace Remediator.Runtime.Resilience;

/// <summary>
/// How hard one dependency is tried: attempts, the exponential back-off's first and largest cap, and the time one
/// attempt may take. The AWS transport and the Slack client map their own options onto this record, so both retry by
/// the same rules.
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Attempts per call, the first included. 1 means no retry.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first back-off cap; each retry doubles it up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No back-off is longer than this (a Retry-After the dependency asked for may be).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time for one attempt; shortened to what is left before the deadline.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field; returns this for chaining.</summary>
    public RetryOptions Validated()
    {
        if (MaxAttempts is < 1 or > 20)
        {
            throw new ArgumentException($"RetryOptions.MaxAttempts {MaxAttempts} must be between 1 and 20", nameof(MaxAttempts));
        }

        foreach (var (value, name) in new[] { (BaseDelay, nameof(BaseDelay)), (MaxDelay, nameof(MaxDelay)), (AttemptTimeout, nameof(AttemptTimeout)) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"RetryOptions.{name} {value} must be positive", name);
            }
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentException($"RetryOptions.MaxDelay {MaxDelay} is shorter than BaseDelay {BaseDelay}", nameof(MaxDelay));
        }

        return this;
    }
}
