using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;

namespace Remediator.Runtime.Tests;

public sealed class LambdaRuntimeOptionsTests
{
    [Fact]
    public void Options_come_from_the_lambda_environment()
    {
        var variables = new Dictionary<string, string?>
        {
            [LambdaRuntimeOptions.RuntimeApiVariable] = "127.0.0.1:9001",
            [LambdaRuntimeOptions.FunctionNameVariable] = "remediator-bus-guard",
            [LambdaRuntimeOptions.ConcernVariable] = "event-bus",
            [JsonLogger.AwsLevelVariable] = "DEBUG",
        };

        var options = LambdaRuntimeOptions.FromEnvironment(readVariable: name => variables.GetValueOrDefault(name));

        Assert.Equal("127.0.0.1:9001", options.RuntimeApi);
        Assert.Equal(new Uri("http://127.0.0.1:9001/2018-06-01/"), options.BaseAddress);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.CancellationSafetyMargin);
        Assert.Equal(("remediator-bus-guard", "event-bus", MetricsOptions.DefaultNamespace), (options.Metrics.FunctionName, options.Metrics.Concern, options.Metrics.Namespace));
    }

    [Fact]
    public void A_concern_given_by_the_function_wins_over_the_environment()
    {
        var variables = new Dictionary<string, string?>
        {
            [LambdaRuntimeOptions.RuntimeApiVariable] = "localhost:9001",
            [LambdaRuntimeOptions.ConcernVariable] = "event-bus",
        };

        var options = LambdaRuntimeOptions.FromEnvironment("iam", name => variables.GetValueOrDefault(name));

        Assert.Equal("iam", options.Metrics.Concern);
    }

    [Fact]
    public void Without_a_runtime_api_address_the_program_is_not_running_in_lambda()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LambdaRuntimeOptions.FromEnvironment(readVariable: _ => null));

        Assert.Contains(LambdaRuntimeOptions.RuntimeApiVariable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://127.0.0.1:9001")]
    [InlineData("127.0.0.1:9001/2018-06-01")]
    [InlineData("127.0.0.1:notaport")]
    public void A_runtime_api_that_is_not_host_and_port_is_refused(string runtimeApi)
    {
        var options = new LambdaRuntimeOptions { RuntimeApi = runtimeApi, Metrics = new MetricsOptions { FunctionName = "f" } };

        Assert.Throws<ArgumentException>(() => options.Validated());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void A_safety_margin_outside_zero_to_a_minute_is_refused(int milliseconds)
    {
        var options = new LambdaRuntimeOptions
        {
            RuntimeApi = "127.0.0.1:9001",
            CancellationSafetyMargin = TimeSpan.FromMilliseconds(milliseconds),
            Metrics = new MetricsOptions { FunctionName = "f" },
        };

        Assert.Throws<ArgumentException>(() => options.Validated());
    }
}
