using Remediator.Runtime.Resilience;

namespace Remediator.Aws.Tests.Transport;

public sealed class AwsClientOptionsTests
{
    private static readonly AwsClientOptions Valid = new() { Region = "us-east-1" };

    [Fact]
    public void Defaults_are_valid() => Assert.Same(Valid, Valid.Validate());

    public static TheoryData<string, AwsClientOptions> Invalid => new()
    {
        { "Region", Valid with { Region = "" } },
        { "Region", Valid with { Region = "us-east-1.evil.com/" } },
        { "EndpointUrl", Valid with { EndpointUrl = new Uri("ftp://127.0.0.1") } },
        { "MaxAttempts", Valid with { MaxAttempts = 0 } },
        { "BaseDelay", Valid with { BaseDelay = TimeSpan.Zero } },
        { "MaxDelay", Valid with { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) } },
        { "AttemptTimeout", Valid with { AttemptTimeout = TimeSpan.FromSeconds(-1) } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_value_is_reported_with_the_field_name(string field, AwsClientOptions options)
    {
        var error = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.Equal(field, error.ParamName);
        Assert.Contains($"AwsClientOptions.{field}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0.5, 50)]
    [InlineData(2, 0.5, 100)]
    [InlineData(3, 1.0, 400)]
    [InlineData(10, 1.0, 1000)]
    [InlineData(3, 0.0, 0)]
    public void Backoff_is_jitter_times_the_doubled_cap_bounded_by_the_maximum(int failedAttempt, double jitter, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), RetryBackoff.FullJitter(failedAttempt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter));

    [Theory]
    [InlineData(429, "Http429", true)]
    [InlineData(500, "InternalFailure", true)]
    [InlineData(503, "ServiceUnavailable", true)]
    [InlineData(400, "Throttling", true)]
    [InlineData(400, "ThrottlingException", true)]
    [InlineData(400, "TooManyRequestsException", true)]
    [InlineData(400, "RequestLimitExceeded", true)]
    [InlineData(400, "ValidationException", false)]
    [InlineData(403, "AccessDenied", false)]
    [InlineData(404, "NoSuchEntity", false)]
    [InlineData(409, "ConcurrentModificationException", false)]
    public void Only_throttling_and_server_faults_are_retryable(int status, string code, bool retryable) =>
        Assert.Equal(retryable, AwsRetryPolicy.IsRetryable((System.Net.HttpStatusCode)status, code));
}
