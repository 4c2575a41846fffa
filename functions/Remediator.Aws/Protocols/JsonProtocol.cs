using System.Net.Http.Headers;
using System.Text.Json;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Protocols;

/// <summary>The JSON 1.1 protocol (EventBridge): POST / with <c>X-Amz-Target: Prefix.Operation</c>; errors by <c>__type</c>.</summary>
public sealed class JsonProtocol
{
    public const string ContentType = "application/x-amz-json-1.1";

    private readonly AwsTransport _transport;
    private readonly string _targetPrefix;

    public JsonProtocol(AwsTransport transport, string targetPrefix)
    {
        _transport = transport;
        _targetPrefix = targetPrefix;
    }

    public async Task<JsonElement> CallAsync(AwsOperation operation, string resource, Action<Utf8JsonWriter> writeMembers, CancellationToken cancellationToken)
    {
        var body = Json.Write(writeMembers);
        var target = $"{_targetPrefix}.{operation.Name}";
        var response = await _transport.SendAsync(operation, resource, () => CreateRequest(target, body), Json.ReadError, cancellationToken).ConfigureAwait(false);
        return Json.Parse(response.Body);
    }

    private HttpRequestMessage CreateRequest(string target, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _transport.UriFor("/"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }
}
