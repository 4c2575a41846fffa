using System.Net;
using System.Text;

namespace Remediator.Aws.Tests.Support;

/// <summary>
/// A plain HTTP server on 127.0.0.1 that answers each request with what <c>reply</c> says for its number (1-based),
/// and records the Authorization header of each: for retry tests over a real socket.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<int, (HttpStatusCode Status, string Body, string? ErrorType)> _reply;
    private readonly string? _retryAfter;
    private readonly Task _loop;
    private int _count;

    /// <param name="retryAfter">A Retry-After header for every 429 reply, when set.</param>
    public LoopbackServer(Func<int, (HttpStatusCode Status, string Body, string? ErrorType)> reply, string? retryAfter = null)
    {
        _reply = reply;
        _retryAfter = retryAfter;
        (_listener, Endpoint) = LoopbackListener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public int RequestCount => Volatile.Read(ref _count);

    public List<string?> Authorizations { get; } = [];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (await LoopbackListener.NextAsync(_listener) is { } context)
        {
            var number = Interlocked.Increment(ref _count);
            lock (Authorizations)
            {
                Authorizations.Add(context.Request.Headers["Authorization"]);
            }

            var (status, body, errorType) = _reply(number);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = body.StartsWith('<') ? "text/xml" : "application/x-amz-json-1.1";
            if (errorType is not null)
            {
                context.Response.Headers["x-amzn-ErrorType"] = errorType;
            }

            if (status == HttpStatusCode.TooManyRequests && _retryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = _retryAfter;
            }

            context.Response.Headers["x-amzn-RequestId"] = $"req-{number}";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
