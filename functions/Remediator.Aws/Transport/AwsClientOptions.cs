using Remediator.Runtime.Resilience;

namespace Remediator.Aws.Transport;

/// <summary>
/// How the signed clients reach AWS. Validated when a transport is built, so a bad value fails at start-up
/// with the field's name rather than on the first remediation.
/// </summary>
public sealed record AwsClientOptions
{
    /// <summary>The region the clients work in, e.g. <c>us-east-1</c>. IAM is global and always signs for us-east-1.</summary>
    public required string Region { get; init; }

    /// <summary>
    /// An endpoint for every service (the AWS CLI's <c>--endpoint-url</c>), e.g. a moto server. When null the
    /// environment (<c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>) or the real endpoint is used.
    /// </summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Attempts per call, the first included. 1 means no retry.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first back-off cap; each retry doubles it (full jitter picks a delay below the cap).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No back-off is longer than this.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time for one attempt (send and read the reply); an attempt that takes longer counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time to open a connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The shared retry pipeline's bounds for these clients.</summary>
    public RetryOptions ToRetryOptions() => new() { MaxAttempts = MaxAttempts, BaseDelay = BaseDelay, MaxDelay = MaxDelay, AttemptTimeout = AttemptTimeout };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field; returns this for chaining.</summary>
    public AwsClientOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Region) || !IsRegionName(Region))
        {
            throw new ArgumentException($"AwsClientOptions.Region '{Region}' is not a region name such as us-east-1", nameof(Region));
        }

        if (EndpointUrl is not null && (!EndpointUrl.IsAbsoluteUri || (EndpointUrl.Scheme != Uri.UriSchemeHttp && EndpointUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"AwsClientOptions.EndpointUrl '{EndpointUrl}' must be an absolute http(s) URL", nameof(EndpointUrl));
        }

        if (MaxAttempts is < 1 or > 20)
        {
            throw new ArgumentException($"AwsClientOptions.MaxAttempts {MaxAttempts} must be between 1 and 20", nameof(MaxAttempts));
        }

        RequirePositive(BaseDelay, nameof(BaseDelay));
        RequirePositive(MaxDelay, nameof(MaxDelay));
        RequirePositive(AttemptTimeout, nameof(AttemptTimeout));
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentException($"AwsClientOptions.MaxDelay {MaxDelay} is shorter than BaseDelay {BaseDelay}", nameof(MaxDelay));
        }

        return this;
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"AwsClientOptions.{name} {value} must be positive", name);
        }
    }

    // Lower-case letters, digits and dashes, e.g. us-east-1, eu-central-2, us-gov-west-1: enough to catch typos
    // and stop a value from being spliced into a host name.
    private static bool IsRegionName(string region) =>
        region.Length <= 32 && region.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && region.Contains('-', StringComparison.Ordinal);
}
