using Amazon.Runtime;
using Remediator.Runtime.Resilience;

namespace Remediator.Aws.Transport;

/// <summary>
/// The seams of a transport. Production leaves them all null; tests set credentials, a recording or loopback
/// handler, a fake time provider, the invocation deadline or a retry observer.
/// </summary>
public sealed class AwsTransportSettings
{
    /// <summary>Credentials to sign with; null resolves the default chain (environment, web identity, profile, container, IMDS).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>The handler below the signer; null means a <see cref="SocketsHttpHandler"/> that does not follow redirects.</summary>
    public HttpMessageHandler? InnerHandler { get; init; }

    /// <summary>Reads environment variables for endpoint resolution; null reads the process environment.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Reads the time for deadlines and waits out the back-off (a fake one in tests moves without real time passing).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A number in [0, 1] for full jitter; null uses <see cref="Random.Shared"/>.</summary>
    public Func<double>? Jitter { get; init; }

    /// <summary>
    /// The time by which the caller must have an answer (e.g. the Lambda invocation's deadline minus a margin).
    /// The transport never sleeps past it and shortens the last attempt's timeout to it. Null: no deadline beyond the token.
    /// </summary>
    public Func<DateTimeOffset?>? Deadline { get; init; }

    /// <summary>Told of every retry (the functions log and count them, see <see cref="RetryTelemetry"/>); null: no one.</summary>
    public IRetryObserver? Retries { get; init; }
}
