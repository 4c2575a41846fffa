using Amazon.Runtime;

namespace Remediator.Aws.Tests.Support;

/// <summary>Options and settings shared by the tests: moto's dummy credentials, no environment, quick retries.</summary>
public static class TestAws
{
    public const string Region = "eu-west-1";

    public static readonly BasicAWSCredentials Credentials = new(MotoServer.AccessKey, MotoServer.SecretKey);

    public static AwsClientOptions Options(Uri? endpoint = null, int maxAttempts = 3) => new()
    {
        Region = Region,
        EndpointUrl = endpoint,
        MaxAttempts = maxAttempts,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Settings for a moto server: explicit credentials, and an empty environment so the machine's variables do not leak in.</summary>
    public static AwsTransportSettings Settings(HttpMessageHandler? inner = null, AWSCredentials? credentials = null) => new()
    {
        Credentials = credentials ?? Credentials,
        InnerHandler = inner,
        Environment = _ => null,
    };

    /// <summary>A unique name per test so failures never depend on leftovers.</summary>
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
}
