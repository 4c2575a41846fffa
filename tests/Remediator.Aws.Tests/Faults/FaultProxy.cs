using Remediator.Testing;
using System.Net;

namespace Remediator.Aws.Tests.Faults;

/// <summary>
/// A loopback proxy in front of moto that misbehaves like a busy AWS endpoint for a share of the calls: 429 with
/// Retry-After, 500, or a slow reply. Decided by a seeded random for the first <c>faultyRequests</c> requests only
/// (bounded: later ones pass), and a faulty 429 or 500 is answered WITHOUT forwarding, so the change never reaches moto
/// and a test can tell a recorded failure from a change that was made.
/// </summary>
internal sealed class FaultProxy : IDisposable
{
    private readonly HttpListener _listener;
    private readonly HttpClient _moto = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _target;
    private readonly Random _random;
    private readonly int _faultyRequests;
    private readonly double _share;
    private readonly TimeSpan _slow;
    private readonly Task _loop;
    private int _count;
    private int _throttled;
    private int _failed;
    private int _slowed;

    public FaultProxy(Uri target, int seed, int faultyRequests, double share, TimeSpan slow)
    {
        _target = target;
        _random = new Random(seed);
        _faultyRequests = faultyRequests;
        _share = share;
        _slow = slow;
        (_listener, Endpoint) = LoopbackListener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public int Requests => Volatile.Read(ref _count);

    public int Throttled => Volatile.Read(ref _throttled);

    public int Failed => Volatile.Read(ref _failed);

    public int Slowed => Volatile.Read(ref _slowed);

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

        _moto.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            // One request at a time: the decisions then follow the seed in request order.
            await HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var number = Interlocked.Increment(ref _count);
        var fault = number <= _faultyRequests && _random.NextDouble() < _share ? _random.Next(3) : -1;
        try
        {
            switch (fault)
            {
                case 0:
                    Interlocked.Increment(ref _throttled);
                    context.Response.Headers["Retry-After"] = "0";
                    await ReplyAsync(context, 429, "ThrottlingException", "Rate exceeded");
                    return;
                case 1:
                    Interlocked.Increment(ref _failed);
                    await ReplyAsync(context, 500, "InternalFailure", "injected server fault");
                    return;
                case 2:
                    Interlocked.Increment(ref _slowed);
                    await Task.Delay(_slow);
                    break;
            }

            await ForwardAsync(context);
        }
        catch (HttpListenerException)
        {
            // The client gave up on this reply.
        }
    }

    private static async Task ReplyAsync(HttpListenerContext context, int status, string code, string message)
    {
        // IAM (Query) reads XML errors, the JSON services x-amzn-ErrorType; send both forms.
        var isQuery = context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true;
        var body = isQuery
            ? $"<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
            : $$"""{"__type":"{{code}}","message":"{{message}}"}""";
        context.Response.StatusCode = status;
        context.Response.ContentType = isQuery ? "text/xml" : "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-ErrorType"] = code;
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, request.Url!.PathAndQuery));
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        if (body.Length > 0 || request.HttpMethod is "POST" or "PUT" or "PATCH")
        {
            forward.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = request.Headers[name]!;
            if (!forward.Headers.TryAddWithoutValidation(name, value))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _moto.SendAsync(forward);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is "Content-Length" or "Transfer-Encoding" or "Connection" or "Server" or "Date")
            {
                continue;
            }

            context.Response.Headers[header.Key] = string.Join(',', header.Value);
        }

        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
