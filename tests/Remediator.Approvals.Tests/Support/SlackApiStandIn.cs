using System.Collections.Concurrent;
using System.Net;

namespace Remediator.Approvals.Tests.Support;

/// <summary>
/// Plays Slack's Web API on 127.0.0.1 for the two methods the endpoint calls with the bot token:
/// <c>usergroups.users.list</c> (answers from <see cref="Groups"/>) and <c>views.open</c> (answers ok, or after
/// <see cref="ViewsOpenDelay"/>). Keeps every call with its Authorization header, so tests can check the token was sent
/// and nothing else was.
/// </summary>
internal sealed class SlackApiStandIn : IAsyncDisposable
{
    public const string BotToken = "xoxb-0000000000-standin-token";

    private readonly HttpListener _listener;
    private readonly Task _serving;

    public SlackApiStandIn()
    {
        (_listener, var endpoint) = LoopbackListener.Start();
        Base = new Uri(endpoint, "api/");
        _serving = Task.Run(ServeAsync);
    }

    public Uri Base { get; }

    /// <summary>Members of each user group.</summary>
    public ConcurrentDictionary<string, string[]> Groups { get; } = new(StringComparer.Ordinal);

    public TimeSpan ViewsOpenDelay { get; set; } = TimeSpan.Zero;

    public ConcurrentQueue<(string Method, string Query, string? Authorization, string Body)> Calls { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (await LoopbackListener.NextAsync(_listener) is { } context)
        {
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.InputStream))
        {
            body = await reader.ReadToEndAsync();
        }

        var method = context.Request.Url!.AbsolutePath.Split('/')[^1];
        var authorization = context.Request.Headers["Authorization"];
        Calls.Enqueue((method, context.Request.Url.Query, authorization, body));
        JsonObject answer;
        if (authorization != "Bearer " + BotToken)
        {
            answer = new JsonObject { ["ok"] = false, ["error"] = "invalid_auth" };
        }
        else if (method == "usergroups.users.list")
        {
            var group = context.Request.QueryString["usergroup"] ?? string.Empty;
            answer = Groups.TryGetValue(group, out var members)
                ? new JsonObject { ["ok"] = true, ["users"] = new JsonArray([.. members.Select(m => (JsonNode)m)]) }
                : new JsonObject { ["ok"] = false, ["error"] = "no_such_subteam" };
        }
        else if (method == "views.open")
        {
            await Task.Delay(ViewsOpenDelay);
            answer = new JsonObject { ["ok"] = true, ["view"] = new JsonObject { ["id"] = "V0STANDIN" } };
        }
        else
        {
            answer = new JsonObject { ["ok"] = false, ["error"] = "unknown_method" };
        }

        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(answer.ToJsonString()));
            context.Response.Close();
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
            // The caller gave up (a timeout test).
        }
    }
}
