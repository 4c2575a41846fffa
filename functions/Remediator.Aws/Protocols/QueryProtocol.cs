using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Protocols;

/// <summary>
/// The Query protocol (IAM, SNS): a form-encoded POST with <c>Action</c> and <c>Version</c>; replies and errors in XML.
/// </summary>
public sealed class QueryProtocol
{
    private readonly AwsTransport _transport;
    private readonly string _apiVersion;

    public QueryProtocol(AwsTransport transport, string apiVersion)
    {
        _transport = transport;
        _apiVersion = apiVersion;
    }

    /// <summary>Calls the operation and returns its <c>&lt;OperationResult&gt;</c> element (empty when the reply has none).</summary>
    public async Task<XElement> CallAsync(AwsOperation operation, string resource, QueryParameters parameters, CancellationToken cancellationToken)
    {
        var body = parameters.ToFormBody(operation.Name, _apiVersion);
        var response = await _transport.SendAsync(operation, resource, () => CreateRequest(body), ReadError, cancellationToken).ConfigureAwait(false);
        var resultName = operation.Name + "Result";
        var root = Parse(response.Body)?.Root;
        return root?.Elements().FirstOrDefault(element => element.Name.LocalName == resultName) ?? new XElement(resultName);
    }

    /// <summary>Reads <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>; tolerant of missing parts.</summary>
    public static AwsErrorDetails ReadError(AwsResponse response)
    {
        var root = Parse(response.Body)?.Root;
        var error = root?.DescendantsAndSelf().FirstOrDefault(element => element.Name.LocalName == "Error");
        var code = Xml.Text(error, "Code") ?? $"Http{(int)response.StatusCode}";
        var message = Xml.Text(error, "Message") ?? response.StatusCode.ToString();
        var requestId = root?.Descendants().FirstOrDefault(element => element.Name.LocalName == "RequestId")?.Value;
        return new AwsErrorDetails(code, message, requestId);
    }

    private HttpRequestMessage CreateRequest(string body) => new(HttpMethod.Post, _transport.UriFor("/"))
    {
        Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" }),
    };

    private static XDocument? Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var stream = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
