using System.Net;
using System.Text;

namespace Remediator.Aws.Tests.Support;

/// <summary>A request as it left the signer: what the contract tests check against the botocore model.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// The innermost handler in contract tests: records each signed request and answers with a canned reply
/// (200 and an empty body unless told otherwise), so no network is involved.
/// </summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, (HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string>? Headers)> _reply;

    public RecordingHandler(Func<RecordedRequest, (HttpStatusCode, string, IReadOnlyDictionary<string, string>?)>? reply = null) =>
        _reply = reply ?? (_ => (HttpStatusCode.OK, "", null));

    public List<RecordedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(',', header.Value);
        }

        var body = "";
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = string.Join(',', header.Value);
            }

            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        Requests.Add(recorded);
        var (status, replyBody, replyHeaders) = _reply(recorded);
        var response = new HttpResponseMessage(status) { Content = new StringContent(replyBody, Encoding.UTF8), RequestMessage = request };
        foreach (var (name, value) in replyHeaders ?? new Dictionary<string, string>())
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
