using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Remediator.Runtime.Resilience;

namespace Remediator.Notifier.Slack;

/// <summary>
/// Posts Block Kit messages to a Slack incoming webhook, retried by the shared <see cref="RetryPipeline{T}"/>. A 429 is
/// answered by waiting as long as its Retry-After says, if the invocation has that long; a 5xx or a network failure is
/// retried with jittered doubling back-off; any other 4xx is a
/// refusal (<c>invalid_payload</c>, <c>invalid_token</c>, <c>channel_is_archived</c>...) reported at once. Every error
/// is a <see cref="SlackDeliveryException"/> whose message is free of the webhook URL.
/// </summary>
public sealed class SlackWebhookClient : IDisposable
{
    private const int MaxErrorBodyChars = 200;
    private readonly IWebhookUrlSource _urls;
    private readonly SlackDeliveryOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly IRetryObserver? _observer;
    private readonly RetryPipeline<AttemptOutcome> _retry;

    /// <param name="handler">The HTTP stack; a socket handler that follows no redirects when null.</param>
    /// <param name="clock">Reads the time for deadlines and Retry-After dates, and waits out the back-off.</param>
    /// <param name="retries">Told of every retry (the notifier logs and counts them); null: no one.</param>
    /// <param name="jitter">A number in [0, 1] per back-off; <see cref="Random.Shared"/> when null.</param>
    public SlackWebhookClient(
        IWebhookUrlSource urls,
        SlackDeliveryOptions? options = null,
        HttpMessageHandler? handler = null,
        TimeProvider? clock = null,
        IRetryObserver? retries = null,
        Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(urls);
        _urls = urls;
        _options = (options ?? new SlackDeliveryOptions()).Validated();
        _clock = clock ?? TimeProvider.System;
        _observer = retries;
        _retry = new RetryPipeline<AttemptOutcome>("slack", _options.ToRetryOptions(), Classify, _clock, jitter);

        // A webhook never redirects; following one would carry the message (and the path) elsewhere.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(3) }, disposeHandler: handler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Delivers one message (JSON) before <paramref name="deadline"/>, or throws <see cref="SlackDeliveryException"/>.</summary>
    public async Task PostAsync(string payloadJson, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        var url = await _urls.GetAsync(cancellationToken).ConfigureAwait(false);
        var latest = deadline == DateTimeOffset.MaxValue ? (DateTimeOffset?)null : deadline - _options.DeadlineMargin;
        var result = await _retry.ExecuteAsync(
            "webhook",
            (timeout, token) => AttemptAsync(url, payloadJson, timeout, token),
            latest,
            _observer,
            cancellationToken).ConfigureAwait(false);

        var last = result.Attempts == 0 ? "no attempt was made" : result.Last.Description;
        switch (result.Stop)
        {
            case RetryStop.NoTimeLeft:
                throw new SlackDeliveryException($"no time left in the invocation for attempt {result.Attempts + 1} (last: {last})", isTransient: true);
            case RetryStop.WaitPastDeadline:
                throw new SlackDeliveryException(
                    $"{last}; waiting {result.RefusedWait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s before the next attempt would run past the invocation's deadline",
                    result.Last.Status,
                    isTransient: true);
            case RetryStop.AttemptsExhausted:
                throw new SlackDeliveryException($"the Slack webhook failed {_options.MaxAttempts} attempts; last: {last}", isTransient: true);
        }

        if (result.Last.Kind == AttemptKind.Refused)
        {
            if (result.Last.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone)
            {
                // The hook may have been revoked and the parameter rotated since it was read.
                _urls.Invalidate();
            }

            throw new SlackDeliveryException($"Slack refused the message: {result.Last.Description}", result.Last.Status);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A 429 waits its Retry-After (or the default); a 5xx or network failure backs off; the rest is final.</summary>
    private RetryVerdict Classify(AttemptOutcome outcome) => outcome.Kind switch
    {
        AttemptKind.RateLimited => RetryVerdict.RateLimited(Reason(outcome), outcome.RetryAfter ?? _options.DefaultRetryAfter),
        AttemptKind.Transient => RetryVerdict.Transient(Reason(outcome)),
        _ => RetryVerdict.Final,
    };

    // The status alone, or the kind of failure: Slack's body and the HTTP stack's message stay out of the retry log.
    private static string Reason(AttemptOutcome outcome) =>
        outcome.Status is { } status ? $"HTTP {(int)status}" : outcome.Description.StartsWith("network error", StringComparison.Ordinal) ? "network error" : "timeout";

    private async ValueTask<AttemptOutcome> AttemptAsync(Uri url, string payloadJson, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(payloadJson, Encoding.UTF8, "application/json"),
            };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
            var status = response.StatusCode;
            if ((int)status is >= 200 and < 300)
            {
                return new AttemptOutcome(AttemptKind.Delivered, status, "delivered", null);
            }

            var body = Redact(await response.Content.ReadAsStringAsync(attemptTimeout.Token).ConfigureAwait(false), url);
            var description = $"HTTP {(int)status}" + (body.Length > 0 ? " " + body : string.Empty);
            return (int)status switch
            {
                429 => new AttemptOutcome(AttemptKind.RateLimited, status, description, RetryAfter(response.Headers.RetryAfter)),
                >= 500 => new AttemptOutcome(AttemptKind.Transient, status, description, null),
                _ => new AttemptOutcome(AttemptKind.Refused, status, description, null),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(AttemptKind.Transient, null, $"no answer within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s", null);
        }
        catch (HttpRequestException ex)
        {
            // Only the kind of failure and a redacted message: the exception itself is not kept (see SlackDeliveryException).
            return new AttemptOutcome(AttemptKind.Transient, null, $"network error {ex.HttpRequestError}: {Redact(ex.Message, url)}", null);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _clock.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Removes the URL and its path (the secret part) from text, and keeps it short and on one line.</summary>
    internal static string Redact(string text, Uri url)
    {
        var redacted = text.Replace(url.OriginalString, "[webhook]", StringComparison.OrdinalIgnoreCase)
            .Replace(url.AbsoluteUri, "[webhook]", StringComparison.OrdinalIgnoreCase);
        if (url.AbsolutePath.Length > 1)
        {
            redacted = redacted.Replace(url.AbsolutePath, "[webhook]", StringComparison.OrdinalIgnoreCase);
        }

        redacted = string.Join(' ', redacted.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return redacted.Length <= MaxErrorBodyChars ? redacted : redacted[..MaxErrorBodyChars] + "…";
    }

    private enum AttemptKind
    {
        Delivered,
        Refused,
        RateLimited,
        Transient,
    }

    private readonly record struct AttemptOutcome(AttemptKind Kind, HttpStatusCode? Status, string Description, TimeSpan? RetryAfter);
}
