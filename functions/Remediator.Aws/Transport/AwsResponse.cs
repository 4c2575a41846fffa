using System.Net;

namespace Remediator.Aws.Transport;

/// <summary>A reply read to the end: status, headers (content headers included) and body bytes.</summary>
public sealed class AwsResponse
{
    public AwsResponse(HttpStatusCode statusCode, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Header values by case-insensitive name; repeated headers joined with a comma.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    public bool IsSuccess => (int)StatusCode is >= 200 and <= 299;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The request id AWS puts in a header (REST and JSON protocols; Query puts it in the body).</summary>
    public string? HeaderRequestId => Header("x-amzn-RequestId") ?? Header("x-amz-request-id");
}

/// <summary>What a failed reply says, in any protocol.</summary>
public sealed record AwsErrorDetails(string Code, string Message, string? RequestId);
