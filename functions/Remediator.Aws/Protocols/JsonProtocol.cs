using System.Net.Http.Headers;
using System.Text.Json;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Protocols;

/// <summary>
/// The JSON protocol: POST / with <c>X-Amz-Target: Prefix.Operation</c>; errors by <c>__type</c>. Version 1.1
/// (EventBridge, SSM) and 1.0 (DynamoDB, SQS) differ on the wire only in the content type.
/// </summary>
public sealed class JsonProtocol
{
    public const string Version10 = "1.0";
    public const string Version11 = "1.1";

    private readonly AwsTransport _transport;
    private readonly string _targetPrefix;
    private readonly string _contentType;

    /// <param name="jsonVersion">The model's <c>jsonVersion</c>: <see cref="Version11"/> or <see cref="Version10"/>.</param>
    public JsonProtocol(AwsTransport transport, string targetPrefix, string jsonVersion = Version11)
    {
        if (jsonVersion is not (Version10 or Version11))
        {
            throw new ArgumentException($"JSON protocol version '{jsonVersion}' is neither 1.0 nor 1.1", nameof(jsonVersion));
        }

        _transport = transport;
        _targetPrefix = targetPrefix;
        _contentType = "application/x-amz-json-" + jsonVersion;
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
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(_contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }
}
