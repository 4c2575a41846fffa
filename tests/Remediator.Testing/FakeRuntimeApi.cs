using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Remediator.Testing;

/// <summary>A posted result as the fake Runtime API received it.</summary>
public sealed record RecordedPost(string Kind, string? RequestId, string? ErrorType, byte[] Body)
{
    public const string Response = "response";
    public const string Error = "error";
    public const string InitError = "init/error";

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks the Lambda Runtime API 2018-06-01 as AWS documents it: /next blocks
/// until an invocation is queued and answers with its body and Lambda-Runtime-* headers; /response, /error and
/// /init/error are recorded and answered 202. It can be told to answer /next with an error status, or to refuse one
/// response. Every wait is bounded, so a broken host fails a test instead of hanging it. Shared by the Runtime and
/// the Guard tests.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private const string Prefix = "/2018-06-01/runtime/";

    private readonly HttpListener _listener;
    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>();
    private readonly Channel<RecordedPost> _posts = Channel.CreateUnbounded<RecordedPost>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _nextStatus = (int)HttpStatusCode.OK;
    private int _refuseNextResponseWith;

    private FakeRuntimeApi(HttpListener listener, int port)
    {
        _listener = listener;
        Address = $"127.0.0.1:{port}";
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>host:port, as Lambda puts it in AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; }

    public static FakeRuntimeApi Start()
    {
        var (listener, endpoint) = LoopbackListener.Start();
        return new FakeRuntimeApi(listener, endpoint.Port);
    }

    /// <summary>From now on /next answers this status (e.g. 500, "container error") instead of an invocation.</summary>
    public void AnswerNextWith(HttpStatusCode status) => Interlocked.Exchange(ref _nextStatus, (int)status);

    /// <summary>The next /response post is refused with this status (e.g. 413 for a payload over the limit).</summary>
    public void RefuseNextResponseWith(HttpStatusCode status) => Interlocked.Exchange(ref _refuseNextResponseWith, (int)status);

    public void Enqueue(
        string requestId,
        string body,
        DateTimeOffset? deadline = null,
        string? traceId = null,
        string functionArn = "arn:aws:lambda:us-east-1:123456789012:function:remediator-iam-guard")
    {
        var headers = new Dictionary<string, string>
        {
            ["Lambda-Runtime-Aws-Request-Id"] = requestId,
            ["Lambda-Runtime-Deadline-Ms"] = (deadline ?? DateTimeOffset.UtcNow.AddMinutes(5)).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lambda-Runtime-Invoked-Function-Arn"] = functionArn,
        };
        if (traceId is not null)
        {
            headers["Lambda-Runtime-Trace-Id"] = traceId;
        }

        _queue.Writer.TryWrite(new Queued(Encoding.UTF8.GetBytes(body), headers));
    }

    /// <summary>The next post the host made, waiting at most <see cref="Wait"/>.</summary>
    public async Task<RecordedPost> NextPostAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            return await _posts.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the host posted nothing within {Wait}");
        }
    }

    /// <summary>Posts received so far and not yet taken.</summary>
    public IReadOnlyList<RecordedPost> TakeRecordedPosts()
    {
        var posts = new List<RecordedPost>();
        while (_posts.Reader.TryRead(out var post))
        {
            posts.Add(post);
        }

        return posts;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _serving.WaitAsync(Wait);
        _stop.Dispose();
    }


    private async Task ServeAsync()
    {
        while (await LoopbackListener.NextAsync(_listener, _stop.Token) is { } context)
        {
            // /next blocks, so each request is answered on its own task.
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url?.AbsolutePath ?? string.Empty;
            if (request.HttpMethod == "GET" && path == Prefix + "invocation/next")
            {
                await AnswerNextAsync(response);
                return;
            }

            if (request.HttpMethod == "POST" && path == Prefix + "init/error")
            {
                await RecordAsync(context, RecordedPost.InitError, requestId: null, HttpStatusCode.Accepted);
                return;
            }

            if (request.HttpMethod == "POST" && path.StartsWith(Prefix + "invocation/", StringComparison.Ordinal))
            {
                var rest = path[(Prefix.Length + "invocation/".Length)..].Split('/');
                if (rest is [var requestId, RecordedPost.Response])
                {
                    var refusal = Interlocked.Exchange(ref _refuseNextResponseWith, 0);
                    await RecordAsync(context, RecordedPost.Response, Uri.UnescapeDataString(requestId),
                        refusal == 0 ? HttpStatusCode.Accepted : (HttpStatusCode)refusal);
                    return;
                }

                if (rest is [var failedId, RecordedPost.Error])
                {
                    await RecordAsync(context, RecordedPost.Error, Uri.UnescapeDataString(failedId), HttpStatusCode.Accepted);
                    return;
                }
            }

            response.StatusCode = (int)HttpStatusCode.NotFound;
            response.Close();
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The host went away mid-request (its token was cancelled) or the server is stopping.
            try
            {
                response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task AnswerNextAsync(HttpListenerResponse response)
    {
        var status = (HttpStatusCode)Volatile.Read(ref _nextStatus);
        if (status != HttpStatusCode.OK)
        {
            await WriteAsync(response, status, """{"errorMessage":"fake container error","errorType":"Runtime.Fake"}"""u8.ToArray());
            return;
        }

        var invocation = await _queue.Reader.ReadAsync(_stop.Token);
        foreach (var (name, value) in invocation.Headers)
        {
            response.Headers[name] = value;
        }

        await WriteAsync(response, HttpStatusCode.OK, invocation.Body);
    }

    private async Task RecordAsync(HttpListenerContext context, string kind, string? requestId, HttpStatusCode answer)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body, _stop.Token);
        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"];

        // Record before answering, so that posts are recorded in the order the host made them.
        _posts.Writer.TryWrite(new RecordedPost(kind, requestId, errorType, body.ToArray()));
        await WriteAsync(context.Response, answer, """{"status":"OK"}"""u8.ToArray());
    }

    private static async Task WriteAsync(HttpListenerResponse response, HttpStatusCode status, byte[] body)
    {
        response.StatusCode = (int)status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    private sealed record Queued(byte[] Body, Dictionary<string, string> Headers);
}
