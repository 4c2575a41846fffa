using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Remediator.Runtime.Resilience;

namespace Remediator.Aws.Transport;

/// <summary>
/// Signed HTTP to one AWS service: one <see cref="HttpClient"/> whose handler chain is
/// <see cref="SigV4SigningHandler"/> over the network handler, with retries above the signer so each attempt is
/// signed afresh (the retries are the shared <see cref="RetryPipeline{T}"/>). The protocol classes build requests and read errors; this class sends, retries and fails with an
/// <see cref="AwsServiceException"/> that names the operation and the resource.
/// </summary>
public sealed class AwsTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly AwsClientOptions _options;
    private readonly Func<DateTimeOffset?> _deadline;
    private readonly IRetryObserver? _observer;
    private readonly RetryPipeline<AwsAttempt> _retry;

    public AwsTransport(AwsService service, AwsClientOptions options, AwsTransportSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        settings ??= new AwsTransportSettings();
        _options = options.Validate();
        Service = service;
        Endpoint = AwsEndpoint.Resolve(service, options, settings.Environment);
        _deadline = settings.Deadline ?? (() => null);
        _observer = settings.Retries;
        _retry = new RetryPipeline<AwsAttempt>(service.SigningName, options.ToRetryOptions(), Classify, settings.TimeProvider, settings.Jitter);

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
    /// Sends a request built afresh for each attempt and returns the successful reply. Retries throttling, server
    /// faults, timeouts and network errors through the shared <see cref="RetryPipeline{T}"/>, bounded by
    /// <see cref="AwsClientOptions.MaxAttempts"/> and by the deadline.
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

        // Whether any attempt went unanswered: its request may have been carried out (a lost reply), which a caller that
        // must not call failed a change that was made needs to know.
        var unanswered = false;
        var result = await _retry.ExecuteAsync(
            operation.Name,
            async (timeout, token) =>
            {
                var attempt = await AttemptAsync(operation, resource, createRequest, readError, timeout, token).ConfigureAwait(false);
                unanswered |= attempt.Failure is { StatusCode: 0 };
                return attempt;
            },
            _deadline(),
            _observer,
            cancellationToken).ConfigureAwait(false);
        if (result.Stop == RetryStop.NoTimeLeft)
        {
            var exhausted = Failure(operation, resource, 0, "DeadlineExceeded", "no time left before the caller's deadline", null, null);
            exhausted.MayHaveTakenEffect = unanswered;
            throw exhausted;
        }

        if (result.Last.Response is { } response)
        {
            return response;
        }

        var failure = result.Last.Failure!;
        failure.MayHaveTakenEffect = unanswered;
        throw failure;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Throttling (by code or 429), 5xx, timeouts and network errors are retried; a 429's Retry-After is honoured.</summary>
    private static RetryVerdict Classify(AwsAttempt attempt) => attempt switch
    {
        { Response: not null } => RetryVerdict.Final,
        { Retryable: false } => RetryVerdict.Final,
        { Failure.StatusCode: HttpStatusCode.TooManyRequests } => RetryVerdict.RateLimited(attempt.Reason, attempt.RetryAfter),
        _ when AwsRetryPolicy.IsThrottling(attempt.Failure!.ErrorCode) => RetryVerdict.RateLimited(attempt.Reason, attempt.RetryAfter),
        _ => RetryVerdict.Transient(attempt.Reason),
    };

    private async ValueTask<AwsAttempt> AttemptAsync(
        AwsOperation operation,
        string resource,
        Func<HttpRequestMessage> createRequest,
        Func<AwsResponse, AwsErrorDetails> readError,
        TimeSpan attemptTimeout,
        CancellationToken cancellationToken)
    {
        try
        {
            var response = await SendOnceAsync(createRequest, attemptTimeout, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return new AwsAttempt(response, null, false, null);
            }

            var error = readError(response);
            var failure = Failure(operation, resource, response.StatusCode, error.Code, error.Message, error.RequestId ?? response.HeaderRequestId, null);
            return new AwsAttempt(null, failure, AwsRetryPolicy.IsRetryable(response.StatusCode, error.Code), RetryAfter(response));
        }
        catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            return new AwsAttempt(null, Failure(operation, resource, 0, "RequestTimeout", $"no reply within {attemptTimeout.TotalSeconds:0.###} s", null, timeout), true, null);
        }
        catch (HttpRequestException network)
        {
            return new AwsAttempt(null, Failure(operation, resource, 0, "NetworkError", network.Message, null, network), true, null);
        }
    }

    // Seconds only: AWS sends the delta form when it sends one at all.
    private static TimeSpan? RetryAfter(AwsResponse response) =>
        response.Header("Retry-After") is { } value && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

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

/// <summary>One attempt's result as a value: the reply, or the failure and whether another attempt may succeed.</summary>
internal readonly record struct AwsAttempt(AwsResponse? Response, AwsServiceException? Failure, bool Retryable, TimeSpan? RetryAfter)
{
    /// <summary>For the retry report: the status and AWS's code, e.g. <c>HTTP 400 ThrottlingException</c>.</summary>
    public string Reason => Failure is null ? "success" : $"HTTP {(int)Failure.StatusCode} {Failure.ErrorCode}";
}
