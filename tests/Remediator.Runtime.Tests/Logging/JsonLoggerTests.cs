using System.Text.Json;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Tests.Fakes;

namespace Remediator.Runtime.Tests.Logging;

public sealed class JsonLoggerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));

    private readonly StringWriter _output = new();

    public void Dispose() => _output.Dispose();

    [Fact]
    public void A_line_is_one_json_object_with_utc_timestamp_level_message_and_typed_fields()
    {
        var logger = new JsonLogger(_output, LogLevel.Info, new ManualTimeProvider(Now));

        logger.Info("bus policy reverted", ("bus", "default"), ("changes", 1), ("enforced", true), ("took", TimeSpan.FromMilliseconds(42)), ("missing", null));

        var line = Assert.Single(Lines());
        Assert.Equal("2025-01-02T01:04:05.678Z", line.GetProperty("timestamp").GetString());
        Assert.Equal("INFO", line.GetProperty("level").GetString());
        Assert.Equal("bus policy reverted", line.GetProperty("message").GetString());
        Assert.Equal("default", line.GetProperty("bus").GetString());
        Assert.Equal(1, line.GetProperty("changes").GetInt32());
        Assert.True(line.GetProperty("enforced").GetBoolean());
        Assert.Equal(42, line.GetProperty("took").GetDouble());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("missing").ValueKind);
        Assert.False(line.TryGetProperty("requestId", out _));
    }

    [Fact]
    public void An_invocation_logger_adds_request_and_trace_ids_and_shares_the_output()
    {
        var logger = new JsonLogger(_output, LogLevel.Info).ForInvocation("8476a536-e9f4-11e8-9739-2dfe598c3fcd", "Root=1-abc");

        logger.Warn("cool-down active");

        var line = Assert.Single(Lines());
        Assert.Equal("WARN", line.GetProperty("level").GetString());
        Assert.Equal("8476a536-e9f4-11e8-9739-2dfe598c3fcd", line.GetProperty("requestId").GetString());
        Assert.Equal("Root=1-abc", line.GetProperty("traceId").GetString());
    }

    [Fact]
    public void Lines_below_the_minimum_level_are_not_written()
    {
        var logger = new JsonLogger(_output, LogLevel.Warn);

        logger.Debug("detail");
        logger.Info("progress");
        logger.Error("failure");

        var line = Assert.Single(Lines());
        Assert.Equal("failure", line.GetProperty("message").GetString());
        Assert.False(logger.IsEnabled(LogLevel.Info));
        Assert.True(logger.IsEnabled(LogLevel.Fatal));
    }

    [Fact]
    public void An_error_with_an_exception_carries_its_type_message_and_frames()
    {
        var logger = new JsonLogger(_output, LogLevel.Info);
        Exception caught;
        try
        {
            throw new InvalidOperationException("outer", new TimeoutException("inner"));
        }
        catch (InvalidOperationException exception)
        {
            caught = exception;
        }

        logger.Error("executor failed", caught);

        var line = Assert.Single(Lines());
        Assert.Equal("InvalidOperationException", line.GetProperty("errorType").GetString());
        Assert.Equal("outer", line.GetProperty("errorMessage").GetString());
        var frames = line.GetProperty("stackTrace").EnumerateArray().Select(frame => frame.GetString()).ToList();
        Assert.NotEmpty(frames);
        Assert.Contains("---> TimeoutException: inner", frames);
    }

    [Fact]
    public void A_field_named_like_an_envelope_member_is_kept_under_a_prefix_instead_of_duplicating_it()
    {
        var logger = new JsonLogger(_output, LogLevel.Info);

        logger.Info("the real message", ("message", "a field"), ("level", "high"));

        var line = Assert.Single(Lines());
        Assert.Equal("the real message", line.GetProperty("message").GetString());
        Assert.Equal("INFO", line.GetProperty("level").GetString());
        Assert.Equal("a field", line.GetProperty("field.message").GetString());
        Assert.Equal("high", line.GetProperty("field.level").GetString());
    }

    [Fact]
    public void Text_with_quotes_and_newlines_stays_on_one_line()
    {
        var logger = new JsonLogger(_output, LogLevel.Info);

        logger.Info("line one\nline \"two\"");

        var line = Assert.Single(Lines());
        Assert.Equal("line one\nline \"two\"", line.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("DEBUG", null, LogLevel.Debug)]
    [InlineData(null, "WARN", LogLevel.Warn)]
    [InlineData("error", "DEBUG", LogLevel.Error)]
    [InlineData(null, null, LogLevel.Info)]
    [InlineData("", "trace", LogLevel.Trace)]
    public void The_level_comes_from_remediator_then_lambda_then_info(string? remediatorLevel, string? lambdaLevel, LogLevel expected)
    {
        var variables = new Dictionary<string, string?>
        {
            [JsonLogger.RemediatorLevelVariable] = remediatorLevel,
            [JsonLogger.AwsLevelVariable] = lambdaLevel,
        };

        Assert.Equal(expected, JsonLogger.LevelFromEnvironment(name => variables.GetValueOrDefault(name)));
    }

    [Fact]
    public void An_unknown_level_name_is_a_configuration_error_naming_the_variable()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            JsonLogger.LevelFromEnvironment(name => name == JsonLogger.AwsLevelVariable ? "LOUD" : null));

        Assert.Contains(JsonLogger.AwsLevelVariable, error.Message, StringComparison.Ordinal);
    }

    private List<JsonElement> Lines() =>
        [.. _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];
}
