using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Remediator.Testing;

namespace Remediator.Notifier.Tests.Support;

/// <summary>One request the stand-in webhook received.</summary>
public sealed record CapturedRequest(string Method, string Path, string? ContentType, string Body);

/// <summary>
/// Plays Slack's incoming webhook on 127.0.0.1: captures every request and answers with the scripted responses in
/// order (then 200 "ok"). Each request is captured before it is answered, so a finished post has been recorded.
/// </summary>
public sealed class LocalWebhookServer : IDisposable
{
    /// <summary>Shaped like a real hook's path (team, bot, token): the secret part that must never be logged.</summary>
    public const string SecretPath = "/services/T0TESTTEAM/B0TESTHOOK/notARealTokenXyz123";

    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _script = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalWebhookServer()
    {
        (_listener, var endpoint) = LoopbackListener.Start();
        Url = new Uri($"http://127.0.0.1:{endpoint.Port}{SecretPath}");
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>Another hook on the same server (e.g. a rotated URL).</summary>
    public Uri OtherUrl => new(Url, "/services/T0TESTTEAM/B0OTHERHOOK/rotatedToken456");

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    public void Respond(int status, string body, string? retryAfter = null) => _script.Enqueue((status, body, retryAfter));

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();

        // Bounded: the loop ends as soon as the listener is closed.
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (await LoopbackListener.NextAsync(_listener, _stop.Token) is { } context)
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync().ConfigureAwait(false);
            Requests.Enqueue(new CapturedRequest(context.Request.HttpMethod, context.Request.Url?.AbsolutePath ?? "", context.Request.ContentType, body));
            var (status, answer, retryAfter) = _script.TryDequeue(out var scripted) ? scripted : (200, "ok", null);
            context.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                context.Response.AddHeader("Retry-After", retryAfter);
            }

            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
    }
}
