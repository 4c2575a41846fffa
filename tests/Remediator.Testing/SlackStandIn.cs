using System.Net;
using System.Threading.Channels;

namespace Remediator.Testing;

/// <summary>
/// Plays Slack on 127.0.0.1: answers 200 "ok" and keeps every body posted to it, with its path (incoming webhook and
/// response_url alike). For tests that need Slack to answer differently, the notifier tests script their own server.
/// </summary>
public sealed class SlackStandIn : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Channel<(string Path, string Body)> _posts = Channel.CreateUnbounded<(string, string)>();
    private readonly Task _serving;

    public SlackStandIn()
    {
        (_listener, Base) = LoopbackListener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The stand-in's root, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Base { get; }

    /// <summary>An incoming webhook URL of the usual shape (its path is a test value, not a secret).</summary>
    public Uri Url => new(Base, "services/T000/B000/test-only");

    /// <summary>A response_url of an interactive message, told apart by <paramref name="name"/>.</summary>
    public Uri ResponseUrl(string name) => new(Base, "actions/T000/" + name);

    /// <summary>The next post, waiting up to 10 s for it.</summary>
    public async Task<(string Path, string Body)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _posts.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>The next post's body, waiting up to 10 s for it.</summary>
    public async Task<string> NextBodyAsync() => (await NextAsync().ConfigureAwait(false)).Body;

    /// <summary>A post already received, without waiting.</summary>
    public bool TryTake(out (string Path, string Body) post) => _posts.Reader.TryRead(out post);

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (await LoopbackListener.NextAsync(_listener) is { } context)
        {
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                _posts.Writer.TryWrite((context.Request.Url!.AbsolutePath, await reader.ReadToEndAsync().ConfigureAwait(false)));
            }

            context.Response.StatusCode = 200;
            await context.Response.OutputStream.WriteAsync("ok"u8.ToArray()).ConfigureAwait(false);
            context.Response.Close();
        }
    }
}
