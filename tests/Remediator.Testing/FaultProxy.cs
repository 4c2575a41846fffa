using System.Collections.Concurrent;
using System.Net;

namespace Remediator.Testing;

/// <summary>What the proxy does with one request.</summary>
public enum Fault
{
    None,

    /// <summary>429 with Retry-After, not forwarded.</summary>
    Throttle,

    /// <summary>500, not forwarded.</summary>
    ServerError,

    /// <summary>Held for the proxy's delay, then forwarded (a slow endpoint; the call still takes effect).</summary>
    Slow,

    /// <summary>
    /// Forwarded at once (the call TAKES EFFECT), then the reply is held for the proxy's delay: a client with a
    /// shorter timeout gives up, as when a reply is lost on the way back.
    /// </summary>
    LoseReply,

    /// <summary>Forwarded (the call TAKES EFFECT), then the reply is cut off after its first byte: a lost reply at once.</summary>
    ResetAfterForward,
}

/// <summary>
/// A loopback proxy in front of moto that misbehaves like a busy AWS endpoint for a share of the calls: 429 with
/// Retry-After, 500, or a slow reply. Decided by a seeded random for the first <c>faultyRequests</c> requests only
/// (bounded: later ones pass), and a faulty 429 or 500 is answered WITHOUT forwarding, so the change never reaches moto
/// and a test can tell a recorded failure from a change that was made. Serial by default (the decisions then follow the
/// seed in request order); concurrent with a decision function (the storm), which also counts lost replies.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly HttpListener _listener;
    private readonly HttpClient _moto = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _target;
    private readonly Random _random;
    private readonly int _faultyRequests;
    private readonly double _share;
    private readonly TimeSpan _slow;
    private readonly Func<int, HttpListenerRequest, string, Fault>? _decide;
    private readonly Task _loop;
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private int _count;
    private int _throttled;
    private int _failed;
    private int _slowed;
    private int _lostReplies;

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

    /// <summary>A concurrent proxy: <paramref name="decide"/> (called with the request's number, thread-safe) picks each request's fault.</summary>
    public FaultProxy(Uri target, Func<int, HttpListenerRequest, Fault> decide, TimeSpan delay)
        : this(target, (number, request, _) => decide(number, request), delay)
    {
    }

    /// <summary>A concurrent proxy whose <paramref name="decide"/> also reads the request's body (IAM names its action there).</summary>
    public FaultProxy(Uri target, Func<int, HttpListenerRequest, string, Fault> decide, TimeSpan delay)
    {
        _target = target;
        _random = new Random(0);
        _decide = decide;
        _slow = delay;
        (_listener, Endpoint) = LoopbackListener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>
    /// A seeded decision for the storm: <paramref name="share"/> of the requests get a fault, split evenly between 429,
    /// 500 and a lost reply (timeout). Thread-safe.
    /// </summary>
    public static Func<int, HttpListenerRequest, Fault> Storm(int seed, double share)
    {
        var random = new Random(seed);
        return (_, _) =>
        {
            lock (random)
            {
                return random.NextDouble() >= share ? Fault.None : (Fault)(1 + random.Next(3)) switch
                {
                    Fault.Slow => Fault.LoseReply,
                    var fault => fault,
                };
            }
        };
    }

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public int Requests => Volatile.Read(ref _count);

    public int Throttled => Volatile.Read(ref _throttled);

    public int Failed => Volatile.Read(ref _failed);

    public int Slowed => Volatile.Read(ref _slowed);

    public int LostReplies => Volatile.Read(ref _lostReplies);

    public int Faults => Throttled + Failed + Slowed + LostReplies;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            Task.WaitAll([.. _inFlight.Keys], TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

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
        while (await LoopbackListener.NextAsync(_listener) is { } context)
        {
            if (_decide is null)
            {
                // One request at a time: the decisions then follow the seed in request order.
                await HandleAsync(context);
                continue;
            }

            var handling = Task.Run(() => HandleAsync(context));
            _inFlight[handling] = true;
            _ = handling.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private Fault Decide(int number, HttpListenerRequest request, byte[] body)
    {
        if (_decide is not null)
        {
            return _decide(number, request, System.Text.Encoding.UTF8.GetString(body));
        }

        return number <= _faultyRequests && _random.NextDouble() < _share ? (Fault)(1 + _random.Next(3)) : Fault.None;
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var number = Interlocked.Increment(ref _count);
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var fault = Decide(number, context.Request, body);
            switch (fault)
            {
                case Fault.LoseReply:
                    Interlocked.Increment(ref _lostReplies);
                    await ForwardAsync(context, body, holdReply: _slow);
                    return;
                case Fault.ResetAfterForward:
                    Interlocked.Increment(ref _lostReplies);
                    await ForwardAsync(context, body, reset: true);
                    return;
                case Fault.Throttle:
                    Interlocked.Increment(ref _throttled);
                    context.Response.Headers["Retry-After"] = "0";
                    await ReplyAsync(context, 429, "ThrottlingException", "Rate exceeded");
                    return;
                case Fault.ServerError:
                    Interlocked.Increment(ref _failed);
                    await ReplyAsync(context, 500, "InternalFailure", "injected server fault");
                    return;
                case Fault.Slow:
                    Interlocked.Increment(ref _slowed);
                    await Task.Delay(_slow);
                    break;
            }

            await ForwardAsync(context, body);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The client gave up on this reply (or the proxy is stopping).
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

    private async Task ForwardAsync(HttpListenerContext context, byte[] body, TimeSpan holdReply = default, bool reset = false)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, request.Url!.PathAndQuery));
        if (body.Length > 0 || request.HttpMethod is "POST" or "PUT" or "PATCH")
        {
            forward.Content = new ByteArrayContent(body);
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
        if (reset)
        {
            // The change is made; the client gets the status line and then a connection cut mid-body, never the reply.
            context.Response.StatusCode = 200;
            context.Response.ContentLength64 = bytes.Length + 64;
            await context.Response.OutputStream.WriteAsync(bytes.AsMemory(0, Math.Min(1, bytes.Length)));
            await context.Response.OutputStream.FlushAsync();
            context.Response.Abort();
            return;
        }

        if (holdReply > TimeSpan.Zero)
        {
            // The change is made; the client, whose timeout is shorter, has gone by the time this reply leaves.
            await Task.Delay(holdReply);
        }

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
