using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace Remediator.Aws.Transport;

/// <summary>
/// Signed HTTP to one AWS service: one <see cref="HttpClient"/> whose handler chain is
/// <see cref="SigV4SigningHandler"/> over the network handler, with retries above the signer so each attempt is
/// signed afresh. The protocol classes build requests and read errors; this class sends, retries and fails with an
/// <see cref="AwsServiceException"/> that names the operation and the resource.
/// </summary>
public sealed class AwsTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly AwsClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Func<double> _jitter;
    private readonly Func<DateTimeOffset?> _deadline;

    public AwsTransport(AwsService service, AwsClientOptions options, AwsTransportSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        settings ??= new AwsTransportSettings();
        _options = options.Validate();
        Service = service;
        Endpoint = AwsEndpoint.Resolve(service, options, settings.Environment);
        _time = settings.TimeProvider;
        _delay = settings.Delay ?? ((delay, token) => Task.Delay(delay, _time, token));
        _jitter = settings.Jitter ?? Random.Shared.NextDouble;
        _deadline = settings.Deadline ?? (() => null);

        var credentials = settings.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials();
        var inner = settings.InnerHandler ?? new SocketsHttpHandler
        {
            // The signer's contract: a redirect followed below it would go out with a stale or stripped signature.
            AllowAutoRedirect = false,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var signer = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(Endpoint.SigningRegion), service.SigningName, inner);

        // Timeouts are per attempt (a linked token), not per HttpClient, so the deadline can shorten them.
        _http = new HttpClient(signer, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public AwsService Service { get; }

    public AwsEndpoint Endpoint { get; }

    /// <summary>The absolute URI for a path (already escaped) and query string, under the endpoint's base path.</summary>
    public Uri UriFor(string escapedPath, string? query = null)
    {
        var basePath = Endpoint.BaseUri.AbsolutePath.TrimEnd('/');
        var text = Endpoint.BaseUri.GetLeftPart(UriPartial.Authority) + basePath + escapedPath;
        return new Uri(string.IsNullOrEmpty(query) ? text : text + "?" + query);
    }

    /// <summary>
    /// Sends a request built afresh for each attempt and returns the successful reply. Retries throttling and
    /// server faults with back-off, bounded by <see cref="AwsClientOptions.MaxAttempts"/> and by the deadline.
    /// </summary>
    /// <param name="resource">What the call is about, for error messages, e.g. <c>role/app</c>.</param>
    /// <param name="createRequest">Builds the request; called once per attempt because a sent message cannot be resent.</param>
    /// <param name="readError">Reads the code and message of a failed reply in the service's protocol.</param>
    public async Task<AwsResponse> SendAsync(
        AwsOperation operation,
        string resource,
        Func<HttpRequestMessage> createRequest,
        Func<AwsResponse, AwsErrorDetails> readError,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(createRequest);
        ArgumentNullException.ThrowIfNull(readError);

        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var deadline = _deadline();
            var attemptTimeout = _options.AttemptTimeout;
            if (deadline is { } limit)
            {
                var left = limit - _time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    throw Failure(operation, resource, 0, "DeadlineExceeded", "no time left before the caller's deadline", null, null);
                }

                attemptTimeout = left < attemptTimeout ? left : attemptTimeout;
            }

            AwsServiceException failure;
            try
            {
                var response = await SendOnceAsync(createRequest, attemptTimeout, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccess)
                {
                    return response;
                }

                var error = readError(response);
                failure = Failure(operation, resource, response.StatusCode, error.Code, error.Message, error.RequestId ?? response.HeaderRequestId, null);
                if (!AwsRetryPolicy.IsRetryable(response.StatusCode, error.Code))
                {
                    throw failure;
                }
            }
            catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
            {
                failure = Failure(operation, resource, 0, "RequestTimeout", $"no reply within {attemptTimeout.TotalSeconds:0.###} s", null, timeout);
            }
            catch (HttpRequestException network)
            {
                failure = Failure(operation, resource, 0, "NetworkError", network.Message, null, network);
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw failure;
            }

            var delay = AwsRetryPolicy.Backoff(attempt, _options.BaseDelay, _options.MaxDelay, _jitter());
            if (deadline is { } end && _time.GetUtcNow() + delay >= end)
            {
                // Sleeping would leave no time for the next attempt: report the real failure now.
                throw failure;
            }

            await _delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<AwsResponse> SendOnceAsync(Func<HttpRequestMessage> createRequest, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptToken.CancelAfter(timeout);
        using var request = createRequest();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken.Token).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(attemptToken.Token).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            headers[header.Key] = string.Join(',', header.Value);
        }

        return new AwsResponse(response.StatusCode, headers, body);
    }

    private AwsServiceException Failure(AwsOperation operation, string resource, HttpStatusCode status, string code, string message, string? requestId, Exception? inner) =>
        new(Service.SigningName, operation.Name, resource, status, code, message, requestId, inner);
}
