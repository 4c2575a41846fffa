using System.Net;
using System.Net.Sockets;

namespace Remediator.Testing;

/// <summary>
/// An HttpListener on a free 127.0.0.1 port, for the tests' stand-in servers (Slack, the Runtime API, fault proxies).
/// A port taken between the probe and the start is retried with a NEW listener: a listener whose start failed is disposed.
/// </summary>
public static class LoopbackListener
{
    public static (HttpListener Listener, Uri Endpoint) Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var endpoint = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(endpoint.ToString());
            try
            {
                listener.Start();
                return (listener, endpoint);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    /// <summary>
    /// The next request, or null once the server stops (the listener stopped or closed, or <paramref name="stop"/>
    /// fired): the accept step of every stand-in's serving loop, <c>while (await NextAsync(l) is { } context)</c>.
    /// </summary>
    public static async Task<HttpListenerContext?> NextAsync(HttpListener listener, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        try
        {
            return await listener.GetContextAsync().WaitAsync(stop).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException or OperationCanceledException
            || !listener.IsListening)
        {
            return null;
        }
    }
}
