using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Protocols;

/// <summary>
/// The REST-JSON protocol (Lambda, API Gateway v1 and v2): the operation's method and URI template with its labels
/// filled in, an optional query string and JSON body; errors from <c>x-amzn-ErrorType</c> or the body.
/// </summary>
public sealed class RestJsonProtocol
{
    private readonly AwsTransport _transport;

    public RestJsonProtocol(AwsTransport transport) => _transport = transport;

    /// <param name="labels">Values for the template's <c>{label}</c>s, escaped here.</param>
    /// <param name="query">Query-string members, or null.</param>
    /// <param name="writeBody">Writes the JSON body's members, or null for no body.</param>
    public async Task<JsonElement> CallAsync(
        AwsOperation operation,
        string resource,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<KeyValuePair<string, string>>? query,
        Action<Utf8JsonWriter>? writeBody,
        CancellationToken cancellationToken)
    {
        var path = FillTemplate(operation.UriTemplate, labels);
        var queryString = query is null || query.Count == 0
            ? null
            : string.Join('&', query.Select(pair => Uri.EscapeDataString(pair.Key) + "=" + Uri.EscapeDataString(pair.Value)));
        var uri = _transport.UriFor(path, queryString);
        var body = writeBody is null ? null : Json.Write(writeBody);
        var response = await _transport.SendAsync(operation, resource, () => CreateRequest(operation.Method, uri, body), Json.ReadError, cancellationToken).ConfigureAwait(false);
        return Json.Parse(response.Body);
    }

    /// <summary>
    /// Replaces each <c>{label}</c> by its RFC 3986-escaped value (an ARN's <c>:</c> and <c>/</c> included) and each
    /// greedy <c>{label+}</c> segment by segment, keeping its slashes.
    /// </summary>
    public static string FillTemplate(string template, IReadOnlyDictionary<string, string> labels)
    {
        var path = new StringBuilder();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                path.Append(template, position, template.Length - position);
                break;
            }

            var close = template.IndexOf('}', open);
            path.Append(template, position, open - position);
            var label = template[(open + 1)..close];
            var greedy = label.EndsWith('+');
            var name = greedy ? label[..^1] : label;
            if (!labels.TryGetValue(name, out var value) || value.Length == 0)
            {
                throw new ArgumentException($"URI label '{name}' of {template} has no value");
            }

            path.Append(greedy ? string.Join('/', value.Split('/').Select(Uri.EscapeDataString)) : Uri.EscapeDataString(value));
            position = close + 1;
        }

        return path.ToString();
    }

    private static HttpRequestMessage CreateRequest(HttpMethod method, Uri uri, byte[]? body)
    {
        var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }
}
