using System.Net.Http.Headers;
using System.Text.Json;

namespace Remediator.Approvals.Slack;

/// <summary>What a Slack Web API call answered: an error code (never the token, never a body echo), or the users listed.</summary>
public sealed record SlackApiAnswer(string? Error, IReadOnlyList<string> Users)
{
    public bool Ok => Error is null;

    public static SlackApiAnswer Failed(string error) => new(error, []);
}

/// <summary>
/// The two Slack Web API methods the interactivity endpoint calls with the optional bot token:
/// <c>usergroups.users.list</c> (who is in an approver group; scope <c>usergroups:read</c>) and <c>views.open</c> (the
/// Deny reason dialog; needs only the click's trigger_id). Each call is bounded by a short timeout because the endpoint
/// must answer Slack within 3 seconds, and a trigger_id is only good for 3 seconds anyway.
/// </summary>
public sealed class SlackWebApi
{
    public static readonly Uri DefaultBase = new("https://slack.com/api/");

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly Func<CancellationToken, ValueTask<string>> _botToken;
    private readonly TimeSpan _callTimeout;

    /// <param name="apiBase">https://slack.com/api/ in a deployment; an http loopback stand-in in tests.</param>
    public SlackWebApi(HttpClient http, Uri apiBase, Func<CancellationToken, ValueTask<string>> botToken, TimeSpan callTimeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(apiBase);
        ArgumentNullException.ThrowIfNull(botToken);
        if (apiBase.Scheme != Uri.UriSchemeHttps && !(apiBase.Scheme == Uri.UriSchemeHttp && apiBase.IsLoopback))
        {
            throw new ArgumentException("the Slack API base must be https (or an http loopback stand-in in tests).", nameof(apiBase));
        }

        if (callTimeout <= TimeSpan.Zero || callTimeout > TimeSpan.FromSeconds(2.5))
        {
            throw new ArgumentOutOfRangeException(nameof(callTimeout), "a Slack call from the endpoint must end well inside Slack's 3-second limit.");
        }

        _http = http;
        _base = apiBase.AbsoluteUri.EndsWith('/') ? apiBase : new Uri(apiBase.AbsoluteUri + "/");
        _botToken = botToken;
        _callTimeout = callTimeout;
    }

    /// <summary>The members of one user group (<c>usergroups.users.list</c>).</summary>
    public Task<SlackApiAnswer> UserGroupMembersAsync(string groupId, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, "usergroups.users.list?usergroup=" + Uri.EscapeDataString(groupId), null, cancellationToken);

    /// <summary>Opens a modal for the user who clicked (<c>views.open</c> with the click's trigger_id).</summary>
    public Task<SlackApiAnswer> OpenViewAsync(string triggerId, ReadOnlyMemory<byte> view, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("trigger_id", triggerId);
            writer.WritePropertyName("view");
            writer.WriteRawValue(view.Span, skipInputValidation: false);
            writer.WriteEndObject();
        }

        return CallAsync(HttpMethod.Post, "views.open", body.ToArray(), cancellationToken);
    }

    private async Task<SlackApiAnswer> CallAsync(HttpMethod method, string relative, byte[]? json, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_callTimeout);
        try
        {
            var token = await _botToken(timeout.Token).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, new Uri(_base, relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (json is not null)
            {
                request.Content = new ByteArrayContent(json);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }

            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return SlackApiAnswer.Failed($"HTTP {(int)response.StatusCode}");
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            return Read(bytes);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SlackApiAnswer.Failed($"no answer within {_callTimeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            return SlackApiAnswer.Failed("unreachable: " + (ex.HttpRequestError.ToString()));
        }
        catch (InvalidOperationException ex)
        {
            // The bot token could not be read from SSM; the message names the parameter, never the value.
            return SlackApiAnswer.Failed(ex.Message);
        }
    }

    /// <summary>Slack answers 200 with <c>{"ok":false,"error":"..."}</c> for refusals; only the error code is kept.</summary>
    private static SlackApiAnswer Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ok", out var ok))
            {
                return SlackApiAnswer.Failed("not a Slack API answer");
            }

            if (ok.ValueKind != JsonValueKind.True)
            {
                var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "unknown";
                return SlackApiAnswer.Failed(error.Length > 64 ? error[..64] : error);
            }

            var users = new List<string>();
            if (root.TryGetProperty("users", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var user in list.EnumerateArray())
                {
                    if (user.ValueKind == JsonValueKind.String)
                    {
                        users.Add(user.GetString()!);
                    }
                }
            }

            return new SlackApiAnswer(null, users);
        }
        catch (JsonException)
        {
            return SlackApiAnswer.Failed("not a Slack API answer");
        }
    }
}
