using System.Text.Json;
using Remediator.Runtime.Metrics;
using Remediator.Runtime.Tests.Fakes;

namespace Remediator.Runtime.Tests.Metrics;

public sealed class MetricsWriterTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly StringWriter _output = new();

    public void Dispose() => _output.Dispose();

    [Fact]
    public void A_flush_writes_one_emf_line_with_namespace_dimensions_metric_definitions_and_values()
    {
        var metrics = NewWriter(concern: "tables");

        metrics.Count(MetricNames.Remediations);
        metrics.Count(MetricNames.Skips);
        metrics.Count(MetricNames.Failures, 0);
        metrics.Time(MetricNames.Latency, TimeSpan.FromMilliseconds(12.5));
        metrics.Flush();

        var line = Assert.Single(Lines());
        var aws = line.GetProperty("_aws");
        Assert.Equal(Now.ToUnixTimeMilliseconds(), aws.GetProperty("Timestamp").GetInt64());
        var directive = Assert.Single(aws.GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("Remediator", directive.GetProperty("Namespace").GetString());
        var dimensionSet = Assert.Single(directive.GetProperty("Dimensions").EnumerateArray());
        Assert.Equal(["Function", "Concern"], dimensionSet.EnumerateArray().Select(name => name.GetString()));
        var definitions = directive.GetProperty("Metrics").EnumerateArray()
            .ToDictionary(metric => metric.GetProperty("Name").GetString()!, metric => metric.GetProperty("Unit").GetString());
        Assert.Equal(
            new Dictionary<string, string?>
            {
                [MetricNames.Remediations] = "Count",
                [MetricNames.Skips] = "Count",
                [MetricNames.Failures] = "Count",
                [MetricNames.Latency] = "Milliseconds",
            },
            definitions);
        Assert.Equal("remediator-table-guard", line.GetProperty("Function").GetString());
        Assert.Equal("tables", line.GetProperty("Concern").GetString());
        Assert.Equal(1, line.GetProperty(MetricNames.Remediations).GetDouble());
        Assert.Equal(0, line.GetProperty(MetricNames.Failures).GetDouble());
        Assert.Equal(12.5, line.GetProperty(MetricNames.Latency).GetDouble());
    }

    [Fact]
    public void Counters_are_summed_and_several_timings_kept_as_a_list()
    {
        var metrics = NewWriter(concern: "iam");

        metrics.Count(MetricNames.Skips);
        metrics.Count(MetricNames.Skips, 2);
        metrics.Time(MetricNames.Latency, TimeSpan.FromMilliseconds(10));
        metrics.Time(MetricNames.Latency, TimeSpan.FromMilliseconds(30));
        metrics.Flush();

        var line = Assert.Single(Lines());
        Assert.Equal(3, line.GetProperty(MetricNames.Skips).GetDouble());
        Assert.Equal([10.0, 30.0], line.GetProperty(MetricNames.Latency).EnumerateArray().Select(value => value.GetDouble()));
    }

    [Fact]
    public void A_flush_with_nothing_recorded_writes_nothing_and_a_flush_starts_afresh()
    {
        var metrics = NewWriter(concern: "iam");

        metrics.Flush();
        Assert.Empty(Lines());

        metrics.Count(MetricNames.Remediations);
        metrics.Flush();
        metrics.Count(MetricNames.Skips);
        metrics.Flush();

        var lines = Lines();
        Assert.Equal(2, lines.Count);
        Assert.False(lines[1].TryGetProperty(MetricNames.Remediations, out _));
        Assert.Equal(1, lines[1].GetProperty(MetricNames.Skips).GetDouble());
    }

    [Fact]
    public void Without_a_concern_the_metrics_carry_only_the_function_dimension()
    {
        var metrics = NewWriter(concern: null);

        metrics.Count(MetricNames.Remediations);
        metrics.Flush();

        var line = Assert.Single(Lines());
        var dimensionSet = Assert.Single(line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions").EnumerateArray());
        Assert.Equal(["Function"], dimensionSet.EnumerateArray().Select(name => name.GetString()));
        Assert.False(line.TryGetProperty("Concern", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Function")]
    [InlineData("_aws")]
    public void A_name_that_is_empty_or_collides_with_the_envelope_is_refused(string name)
    {
        var metrics = NewWriter(concern: "iam");

        Assert.Throws<ArgumentException>(() => metrics.Count(name));
    }

    [Fact]
    public void A_metric_recorded_with_two_units_is_refused()
    {
        var metrics = NewWriter(concern: "iam");
        metrics.Count("Reverts");

        Assert.Throws<InvalidOperationException>(() => metrics.Time("Reverts", TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void Options_with_an_empty_function_name_are_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new MetricsWriter(_output, new MetricsOptions { FunctionName = " " }));
    }

    private MetricsWriter NewWriter(string? concern) =>
        new(_output, new MetricsOptions { FunctionName = "remediator-table-guard", Concern = concern }, new ManualTimeProvider(Now));

    private List<JsonElement> Lines() =>
        [.. _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];
}
