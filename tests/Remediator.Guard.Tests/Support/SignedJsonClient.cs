using System.Net.Http.Headers;
using Amazon;
using Amazon.Runtime.Signing;

namespace Remediator.Guard.Tests.Support;

/// <summary>
/// A SigV4-signed AWS JSON 1.0/1.1 caller for the few test-side operations the product has no client for
/// (EventBridge PutEvents, the DynamoDB Streams API). Their replies are read as JSON as they come: the Streams API's
/// records are already in the shape Lambda hands to a stream-triggered function.
/// </summary>
internal sealed class SignedJsonClient(Uri endpoint, string signingName, string targetPrefix, string contentType) : IDisposable
{
    private readonly HttpClient _http = new(new SigV4SigningHandler(GuardTestSupport.Credentials, RegionEndpoint.GetBySystemName(GuardTestSupport.Region), signingName, new SocketsHttpHandler()))
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public static SignedJsonClient EventBridge(Uri endpoint) => new(endpoint, "events", "AWSEvents", "application/x-amz-json-1.1");

    public static SignedJsonClient DynamoDbStreams(Uri endpoint) => new(endpoint, "dynamodb", "DynamoDBStreams_20120810", "application/x-amz-json-1.0");

    public async Task<JsonObject> CallAsync(string operation, JsonObject request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8),
        };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        message.Headers.Add("X-Amz-Target", $"{targetPrefix}.{operation}");
        using var response = await _http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public void Dispose() => _http.Dispose();
}
