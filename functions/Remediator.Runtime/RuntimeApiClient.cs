using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Remediator.Runtime;

/// <summary>One invocation as <c>GET /runtime/invocation/next</c> delivered it.</summary>
internal sealed record RuntimeInvocation(
    string RequestId,
    string FunctionArn,
    DateTimeOffset? Deadline,
    string? TraceId,
    string? ClientContext,
    string? CognitoIdentity,
    ReadOnlyMemory<byte> Payload);

/// <summary>The Runtime API answered in a way the runtime cannot recover from; Lambda expects the process to exit.</summary>
internal sealed class RuntimeApiException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;
}

/// <summary>
/// The HTTP side of the Lambda Runtime API (version 2018-06-01): fetch the next invocation, post its result, report
/// an init failure. Decisions about status codes other than on <c>/next</c> are the host's; this class only speaks HTTP.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string ClientContextHeader = "Lambda-Runtime-Client-Context";
    public const string CognitoIdentityHeader = "Lambda-Runtime-Cognito-Identity";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

    public RuntimeApiClient(Uri baseAddress, HttpMessageHandler? handler = null)
    {
        // The Runtime API is always on the local host: never send it through an HTTP_PROXY from the environment.
        var inner = handler ?? new SocketsHttpHandler { UseProxy = false };
        _http = new HttpClient(inner, disposeHandler: handler is null)
        {
            BaseAddress = baseAddress,

            // /next is a long poll: it answers only when an invocation arrives, which may take any time.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<RuntimeInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("runtime/invocation/next", UriKind.Relative), cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException($"GET /runtime/invocation/next answered {(int)response.StatusCode} {response.StatusCode}.", response.StatusCode);
        }

        var requestId = Header(response, RequestIdHeader)
            ?? throw new RuntimeApiException($"GET /runtime/invocation/next answered without {RequestIdHeader}.");
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new RuntimeInvocation(
            requestId,
            Header(response, FunctionArnHeader) ?? string.Empty,
            ParseDeadline(Header(response, DeadlineHeader)),
            Header(response, TraceIdHeader),
            Header(response, ClientContextHeader),
            Header(response, CognitoIdentityHeader),
            payload);
    }

    public Task<HttpStatusCode> PostResponseAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", body, errorType: null, cancellationToken);

    public Task<HttpStatusCode> PostErrorAsync(string requestId, string errorType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", body, errorType, cancellationToken);

    public Task<HttpStatusCode> PostInitErrorAsync(string errorType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync("runtime/init/error", body, errorType, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<HttpStatusCode> PostAsync(string path, ReadOnlyMemory<byte> body, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        if (errorType is not null)
        {
            request.Content.Headers.ContentType = Json;
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault(value => !string.IsNullOrEmpty(value)) : null;

    private static DateTimeOffset? ParseDeadline(string? milliseconds) =>
        long.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs)
            && epochMs is >= 0 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(epochMs)
            : null;
}
