using System.Net;
using System.Text;
using System.Text.Json;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;
using Remediator.Runtime.Tests.Fakes;
using Remediator.Testing;

namespace Remediator.Runtime.Tests;

public sealed class LambdaRuntimeHostTests : IAsyncLifetime, IDisposable
{
    private const string FunctionName = "remediator-iam-guard";
    private const string TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    private static readonly InvocationHandler Echo = (_, payload, _) => ValueTask.FromResult(payload);

    private readonly StringWriter _output = new();
    private FakeRuntimeApi _api = null!;

    public Task InitializeAsync()
    {
        _api = FakeRuntimeApi.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _output.Dispose();

    [Fact]
    public async Task One_invocation_is_answered_with_the_handlers_bytes()
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(Echo, stop.Token);

        _api.Enqueue("req-1", """{"detail-type":"AWS API Call via CloudTrail"}""");
        var post = await _api.NextPostAsync();

        Assert.Equal(RecordedPost.Response, post.Kind);
        Assert.Equal("req-1", post.RequestId);
        Assert.Equal("""{"detail-type":"AWS API Call via CloudTrail"}""", post.Text);
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Fact]
    public async Task Several_invocations_are_answered_in_order_each_with_its_own_request_id()
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync((context, _, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes("answer to " + context.RequestId)), stop.Token);

        string[] ids = ["req-a", "req-b", "req-c"];
        foreach (var id in ids)
        {
            _api.Enqueue(id, "{}");
        }

        var posts = new List<RecordedPost>();
        foreach (var _ in ids)
        {
            posts.Add(await _api.NextPostAsync());
        }

        Assert.All(posts, post => Assert.Equal(RecordedPost.Response, post.Kind));
        Assert.Equal(ids, posts.Select(post => post.RequestId));
        Assert.Equal(ids.Select(id => "answer to " + id), posts.Select(post => post.Text));
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Fact]
    public async Task A_handler_exception_is_posted_as_an_error_with_the_type_header_and_body_and_the_loop_goes_on()
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        var calls = 0;
        var run = host.RunAsync((_, payload, _) => ++calls == 1 ? throw new InvalidOperationException("the port failed") : ValueTask.FromResult(payload), stop.Token);

        _api.Enqueue("req-fails", "{}");
        var error = await _api.NextPostAsync();
        _api.Enqueue("req-works", "{}");
        var success = await _api.NextPostAsync();

        Assert.Equal(RecordedPost.Error, error.Kind);
        Assert.Equal("req-fails", error.RequestId);
        Assert.Equal("InvalidOperationException", error.ErrorType);
        AssertErrorBody(error, "InvalidOperationException", "the port failed", expectFrames: true);
        Assert.Equal((RecordedPost.Response, "req-works"), (success.Kind, success.RequestId));
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Theory]
    [InlineData("this is not JSON {")]
    [InlineData("[]")]
    [InlineData("""{"source":"aws.iam"}""")]
    public async Task A_malformed_event_takes_the_error_path_never_a_success(string body)
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(DetailTypeOf, stop.Token);

        _api.Enqueue("req-malformed", body);
        var post = await _api.NextPostAsync();

        Assert.Equal(RecordedPost.Error, post.Kind);
        Assert.Equal(LambdaErrorTypes.InvalidEvent, post.ErrorType);
        AssertErrorBody(post, LambdaErrorTypes.InvalidEvent, "the event is not an EventBridge event", expectFrames: true);
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
        Assert.Empty(_api.TakeRecordedPosts());
    }

    [Fact]
    public async Task A_well_formed_event_reaches_the_handler_that_rejects_malformed_ones()
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(DetailTypeOf, stop.Token);

        _api.Enqueue("req-good", """{"detail-type":"AWS API Call via CloudTrail"}""");
        var post = await _api.NextPostAsync();

        Assert.Equal((RecordedPost.Response, "AWS API Call via CloudTrail"), (post.Kind, post.Text));
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Fact]
    public async Task An_init_failure_is_posted_to_init_error_and_ends_with_a_non_zero_exit_code()
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();

        var exitCode = await host.InitializeAndRunAsync(() => throw new InvalidOperationException("the rules could not be loaded"), stop.Token)
            .WaitAsync(FakeRuntimeApi.Wait);
        var post = await _api.NextPostAsync();

        Assert.Equal(RuntimeExitCodes.InitFailure, exitCode);
        Assert.NotEqual(0, exitCode);
        Assert.Equal(RecordedPost.InitError, post.Kind);
        Assert.Equal("InvalidOperationException", post.ErrorType);
        AssertErrorBody(post, "InvalidOperationException", "the rules could not be loaded", expectFrames: true);
    }

    [Fact]
    public async Task RunMainAsync_reports_a_typed_init_failure_and_returns_a_non_zero_exit_code()
    {
        var options = Options();

        var exitCode = await LambdaRuntimeHost.RunMainAsync(
                () => throw new FunctionErrorException("Remediator.ConfigurationError", "REMEDIATOR_RULES is not set"),
                options)
            .WaitAsync(FakeRuntimeApi.Wait);
        var post = await _api.NextPostAsync();

        Assert.Equal(RuntimeExitCodes.InitFailure, exitCode);
        Assert.Equal((RecordedPost.InitError, "Remediator.ConfigurationError"), (post.Kind, post.ErrorType));
        AssertErrorBody(post, "Remediator.ConfigurationError", "REMEDIATOR_RULES is not set", expectFrames: true);
    }

    [Fact]
    public async Task RunMainAsync_runs_the_handler_the_initialiser_built()
    {
        using var stop = new CancellationTokenSource();
        var run = LambdaRuntimeHost.RunMainAsync(() => ValueTask.FromResult(Echo), Options(), stop.Token);

        _api.Enqueue("req-main", "\"hello\"");
        var post = await _api.NextPostAsync();

        Assert.Equal((RecordedPost.Response, "req-main", "\"hello\""), (post.Kind, post.RequestId, post.Text));
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task An_error_status_on_next_ends_the_loop_with_a_non_zero_exit_code(HttpStatusCode status)
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        _api.AnswerNextWith(status);

        var exitCode = await host.RunAsync(Echo, stop.Token).WaitAsync(FakeRuntimeApi.Wait);

        Assert.Equal(RuntimeExitCodes.RuntimeApiFailure, exitCode);
        Assert.Contains(Lines(), line => Level(line) == "FATAL");
    }

    [Fact]
    public async Task An_unreachable_runtime_api_ends_the_loop_with_a_non_zero_exit_code()
    {
        string closedAddress;
        await using (var gone = FakeRuntimeApi.Start())
        {
            closedAddress = gone.Address;
        }

        using var host = new LambdaRuntimeHost(Options() with { RuntimeApi = closedAddress }, _output);
        using var stop = new CancellationTokenSource();

        var exitCode = await host.RunAsync(Echo, stop.Token).WaitAsync(FakeRuntimeApi.Wait);

        Assert.Equal(RuntimeExitCodes.RuntimeApiFailure, exitCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(HttpStatusCode.BadRequest)]
    public async Task A_refused_response_is_followed_by_an_error_for_the_same_invocation_and_the_loop_goes_on(HttpStatusCode refusal)
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(Echo, stop.Token);
        _api.RefuseNextResponseWith(refusal);

        _api.Enqueue("req-big", """{"large":"response"}""");
        var refused = await _api.NextPostAsync();
        var error = await _api.NextPostAsync();
        _api.Enqueue("req-after", "{}");
        var after = await _api.NextPostAsync();

        Assert.Equal((RecordedPost.Response, "req-big"), (refused.Kind, refused.RequestId));
        Assert.Equal((RecordedPost.Error, "req-big", LambdaErrorTypes.ResponseRejected), (error.Kind, error.RequestId, error.ErrorType));
        using (var body = JsonDocument.Parse(error.Body))
        {
            Assert.Contains(((int)refusal).ToString(System.Globalization.CultureInfo.InvariantCulture), body.RootElement.GetProperty("errorMessage").GetString());
        }

        Assert.Equal((RecordedPost.Response, "req-after"), (after.Kind, after.RequestId));
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Fact]
    public async Task The_context_gives_the_remaining_time_and_cancels_a_safety_margin_before_the_deadline()
    {
        var start = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(start);
        using var host = new LambdaRuntimeHost(Options() with { CancellationSafetyMargin = TimeSpan.FromMilliseconds(500) }, _output, clock);
        using var stop = new CancellationTokenSource();
        var observed = new Dictionary<string, object>();
        var run = host.RunAsync(
            (context, payload, token) =>
            {
                observed["deadline"] = context.Deadline;
                observed["remaining at start"] = context.RemainingTime;
                observed["cancelled at start"] = token.IsCancellationRequested;
                clock.Advance(TimeSpan.FromMilliseconds(1499));
                observed["cancelled just before the margin"] = token.IsCancellationRequested;
                clock.Advance(TimeSpan.FromMilliseconds(1));
                observed["cancelled at the margin"] = token.IsCancellationRequested;
                observed["context token cancelled at the margin"] = context.CancellationToken.IsCancellationRequested;
                observed["remaining at the margin"] = context.RemainingTime;
                clock.Advance(TimeSpan.FromSeconds(5));
                observed["remaining after the deadline"] = context.RemainingTime;
                return ValueTask.FromResult(payload);
            },
            stop.Token);

        _api.Enqueue("req-deadline", "{}", deadline: start.AddSeconds(2));
        var post = await _api.NextPostAsync();

        Assert.Equal(RecordedPost.Response, post.Kind);
        Assert.Equal(start.AddSeconds(2), observed["deadline"]);
        Assert.Equal(TimeSpan.FromSeconds(2), observed["remaining at start"]);
        Assert.Equal(false, observed["cancelled at start"]);
        Assert.Equal(false, observed["cancelled just before the margin"]);
        Assert.Equal(true, observed["cancelled at the margin"]);
        Assert.Equal(true, observed["context token cancelled at the margin"]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), observed["remaining at the margin"]);
        Assert.Equal(TimeSpan.Zero, observed["remaining after the deadline"]);
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Fact]
    public async Task A_deadline_further_out_than_a_timer_can_hold_is_served_not_fatal()
    {
        var start = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        using var host = new LambdaRuntimeHost(Options(), _output, new ManualTimeProvider(start));
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync((_, payload, _) => ValueTask.FromResult(payload), stop.Token);

        _api.Enqueue("req-far", "{}", deadline: start.AddDays(60));
        var post = await _api.NextPostAsync();

        Assert.Equal((RecordedPost.Response, "req-far"), (post.Kind, post.RequestId));
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Fact]
    public async Task A_handler_stopped_by_the_deadline_is_reported_as_deadline_exceeded()
    {
        var start = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(start);
        using var host = new LambdaRuntimeHost(Options(), _output, clock);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(
            async (_, payload, token) =>
            {
                clock.Advance(TimeSpan.FromSeconds(3));
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
                return payload;
            },
            stop.Token);

        _api.Enqueue("req-slow", "{}", deadline: start.AddSeconds(3));
        var post = await _api.NextPostAsync();

        Assert.Equal((RecordedPost.Error, "req-slow", LambdaErrorTypes.DeadlineExceeded), (post.Kind, post.RequestId, post.ErrorType));
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
        var failureLine = Assert.Single(Lines(), line => Message(line) == "invocation failed");
        Assert.Equal(LambdaErrorTypes.DeadlineExceeded, failureLine.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task The_trace_id_is_exported_for_the_invocation_and_cleared_after_it()
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        string? exported = null;
        string? inContext = null;
        var run = host.RunAsync(
            (context, payload, _) =>
            {
                exported = Environment.GetEnvironmentVariable(LambdaRuntimeHost.TraceIdVariable);
                inContext = context.TraceId;
                return ValueTask.FromResult(payload);
            },
            stop.Token);

        _api.Enqueue("req-traced", "{}", traceId: TraceHeader);
        await _api.NextPostAsync();

        Assert.Equal(TraceHeader, exported);
        Assert.Equal(TraceHeader, inContext);
        Assert.Null(Environment.GetEnvironmentVariable(LambdaRuntimeHost.TraceIdVariable));
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));
    }

    [Fact]
    public async Task Handler_log_lines_are_json_with_the_request_and_trace_ids_and_payloads_are_never_logged()
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(
            (context, _, _) =>
            {
                context.Logger.Info("rule evaluated", ("rule", "iam-no-admin-policies"), ("findings", 2));
                throw new InvalidOperationException("the detector failed");
            },
            stop.Token);

        _api.Enqueue("req-logged", """{"requestParameters":{"password":"hunter2-do-not-log"}}""", traceId: TraceHeader);
        await _api.NextPostAsync();
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));

        var lines = Lines();
        var handlerLine = Assert.Single(lines, line => Message(line) == "rule evaluated");
        Assert.Equal("INFO", Level(handlerLine));
        Assert.Equal("req-logged", handlerLine.GetProperty("requestId").GetString());
        Assert.Equal(TraceHeader, handlerLine.GetProperty("traceId").GetString());
        Assert.Equal("iam-no-admin-policies", handlerLine.GetProperty("rule").GetString());
        Assert.Equal(2, handlerLine.GetProperty("findings").GetInt32());
        Assert.EndsWith("Z", handlerLine.GetProperty("timestamp").GetString(), StringComparison.Ordinal);

        var failureLine = Assert.Single(lines, line => Message(line) == "invocation failed");
        Assert.Equal(("ERROR", "req-logged", "InvalidOperationException"), (Level(failureLine), failureLine.GetProperty("requestId").GetString(), failureLine.GetProperty("errorType").GetString()));
        Assert.DoesNotContain("hunter2-do-not-log", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_invocation_flushes_one_emf_line_with_its_own_metrics()
    {
        using var host = NewHost();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(
            (context, payload, _) =>
            {
                context.Metrics.Count(MetricNames.Remediations);
                context.Metrics.Count(MetricNames.Skips, 2);
                return ValueTask.FromResult(payload);
            },
            stop.Token);

        _api.Enqueue("req-1", "{}");
        await _api.NextPostAsync();
        _api.Enqueue("req-2", "{}");
        await _api.NextPostAsync();
        Assert.Equal(RuntimeExitCodes.Stopped, await StopAsync(run, stop));

        var emfLines = Lines().Where(line => line.TryGetProperty("_aws", out _)).ToList();
        Assert.Equal(2, emfLines.Count);
        Assert.All(emfLines, line =>
        {
            Assert.Equal(1, line.GetProperty(MetricNames.Remediations).GetDouble());
            Assert.Equal(2, line.GetProperty(MetricNames.Skips).GetDouble());
            Assert.True(line.GetProperty(MetricNames.Latency).GetDouble() >= 0);
            Assert.Equal(FunctionName, line.GetProperty("Function").GetString());
            Assert.Equal("iam", line.GetProperty("Concern").GetString());
        });
    }

    private static ValueTask<ReadOnlyMemory<byte>> DetailTypeOf(InvocationContext context, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var detailType = document.RootElement.GetProperty("detail-type").GetString() ?? string.Empty;
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(detailType));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidEventException("the event is not an EventBridge event", exception);
        }
    }

    private static void AssertErrorBody(RecordedPost post, string errorType, string errorMessage, bool expectFrames)
    {
        using var body = JsonDocument.Parse(post.Body);
        var root = body.RootElement;
        Assert.Equal(errorMessage, root.GetProperty("errorMessage").GetString());
        Assert.Equal(errorType, root.GetProperty("errorType").GetString());
        var stackTrace = root.GetProperty("stackTrace");
        Assert.Equal(JsonValueKind.Array, stackTrace.ValueKind);
        Assert.All(stackTrace.EnumerateArray(), frame => Assert.Equal(JsonValueKind.String, frame.ValueKind));
        if (expectFrames)
        {
            Assert.NotEqual(0, stackTrace.GetArrayLength());
        }
    }

    private static async Task<int> StopAsync(Task<int> run, CancellationTokenSource stop)
    {
        await stop.CancelAsync();
        return await run.WaitAsync(FakeRuntimeApi.Wait);
    }

    private static string? Message(JsonElement line) => line.TryGetProperty("message", out var message) ? message.GetString() : null;

    private static string? Level(JsonElement line) => line.TryGetProperty("level", out var level) ? level.GetString() : null;

    /// <summary>Every line the host wrote, each parsed as JSON (a line that is not JSON fails the test).</summary>
    private List<JsonElement> Lines()
    {
        string text;
        lock (_output)
        {
            text = _output.ToString();
        }

        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private LambdaRuntimeOptions Options() => new()
    {
        RuntimeApi = _api.Address,
        LogLevel = LogLevel.Debug,
        Metrics = new MetricsOptions { FunctionName = FunctionName, Concern = "iam" },
    };

    private LambdaRuntimeHost NewHost() => new(Options(), _output);
}
