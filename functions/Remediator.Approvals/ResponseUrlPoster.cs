using System.Net.Http.Headers;
using System.Text;

namespace Remediator.Approvals;

/// <summary>
/// Posts the updated message to a click's <c>response_url</c>. Slack accepts at most 5 posts per response_url within
/// 30 minutes of the click; the worker posts once per decision, and not at all once the 30 minutes are over. Only
/// https URLs on the allowed hosts are posted to (a signed payload is trusted, but the worker holds write access to IAM
/// and must not become a way to send requests anywhere); plain http only to loopback when allowed (the test stand-in).
/// </summary>
public sealed class ResponseUrlPoster(HttpClient http, IReadOnlyList<string> allowedHosts, bool allowLoopback = false)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public bool IsAllowed(Uri url) =>
        (url.Scheme == Uri.UriSchemeHttps && allowedHosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase))
        || (allowLoopback && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);

    /// <returns>Null when posted; else why not (safe to log: no URL).</returns>
    public async Task<string?> PostAsync(Uri url, string message, CancellationToken cancellationToken)
    {
        if (!IsAllowed(url))
        {
            return "the response_url is not on an allowed Slack host";
        }

        using var content = new StringContent(message, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        try
        {
            using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"Slack answered {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return $"could not reach Slack: {ex.HttpRequestError}";
        }
    }
}
