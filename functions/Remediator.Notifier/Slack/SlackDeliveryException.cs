using System.Net;

namespace Remediator.Notifier.Slack;

/// <summary>
/// A Slack message could not be delivered. The message says why (status, Slack's short error code, the attempts)
/// and never contains the webhook URL: the URL is the credential, and this message is logged. No inner exception is
/// kept for the same reason (an HTTP stack's message may quote the address).
/// </summary>
public sealed class SlackDeliveryException : Exception
{
    public SlackDeliveryException(string message, HttpStatusCode? statusCode = null, bool isTransient = false)
        : base(message)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
    }

    /// <summary>The webhook's last answer, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>True when a later retry may succeed (rate limit, server error, network); false for a refusal.</summary>
    public bool IsTransient { get; }
}
