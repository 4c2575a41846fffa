using System.Net;

namespace Remediator.Aws.Transport;

/// <summary>
/// A call that AWS refused or that could not be completed. The message names the operation and the resource
/// (<c>iam:DeleteRolePolicy on role/app failed: NoSuchEntity: ...</c>) because that is what an operator reads
/// in the audit trail and the logs.
/// </summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(
        string service,
        string operation,
        string resource,
        HttpStatusCode statusCode,
        string errorCode,
        string serviceMessage,
        string? requestId,
        Exception? innerException = null)
        : base(Format(service, operation, resource, errorCode, serviceMessage, requestId), innerException)
    {
        Service = service;
        Operation = operation;
        Resource = resource;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServiceMessage = serviceMessage;
        RequestId = requestId;
    }

    /// <summary>The IAM service prefix, e.g. <c>iam</c>, <c>events</c>.</summary>
    public string Service { get; }

    /// <summary>The API operation, e.g. <c>DeleteRolePolicy</c>.</summary>
    public string Operation { get; }

    /// <summary>What the call was about, e.g. <c>role/app</c>.</summary>
    public string Resource { get; }

    /// <summary>The HTTP status, or 0 when no reply arrived (network failure, timeout).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>AWS's error code, e.g. <c>NoSuchEntity</c>, <c>ThrottlingException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>AWS's own message, without the operation and resource.</summary>
    public string ServiceMessage { get; }

    public string? RequestId { get; }

    /// <summary>
    /// True when an attempt of the call got no reply at all (a timeout, a broken connection): that attempt may have been
    /// carried out although the call failed. A reply, even a throttle or a 5xx, counts as AWS's answer.
    /// </summary>
    public bool MayHaveTakenEffect { get; internal set; }

    /// <summary>True when the resource does not exist (each service has its own code for it).</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound
        || ErrorCode is "NoSuchEntity" or "ResourceNotFoundException" or "NotFoundException" or "NotFound";

    private static string Format(string service, string operation, string resource, string errorCode, string message, string? requestId)
    {
        var text = $"{service}:{operation} on {resource} failed: {errorCode}: {message}";
        return requestId is null ? text : $"{text} (request id {requestId})";
    }
}
