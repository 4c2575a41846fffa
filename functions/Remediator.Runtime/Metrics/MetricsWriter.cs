using System.Text.Json;

namespace Remediator.Runtime.Metrics;

/// <summary>
/// Accumulates metrics during an invocation and writes them as one CloudWatch Embedded Metric Format line on
/// <see cref="Flush"/>; CloudWatch Logs turns the line into metrics without a PutMetricData call (no extra latency,
/// no extra permission). Counters are summed; timings are kept as a list of values, which EMF accepts.
/// The host flushes after every invocation, before it posts the response (Lambda may freeze the process right after).
/// </summary>
public sealed class MetricsWriter
{
    // EMF accepts at most 100 metrics per directive and 100 values per metric; past that CloudWatch drops the line.
    private const int MaxMetrics = 100;
    private const int MaxValuesPerMetric = 100;

    private readonly TextWriter _output;
    private readonly MetricsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, Accumulated> _metrics = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public MetricsWriter(TextWriter output, MetricsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        _output = output;
        _options = options.Validated();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public MetricsOptions Options => _options;

    /// <summary>Adds to a counter (unit Count) for this invocation.</summary>
    public void Count(string name, double value = 1) => Record(name, MetricUnit.Count, value, sum: true);

    /// <summary>Records one timing (unit Milliseconds) for this invocation.</summary>
    public void Time(string name, TimeSpan elapsed) => Record(name, MetricUnit.Milliseconds, elapsed.TotalMilliseconds, sum: false);

    /// <summary>Writes the accumulated metrics as one EMF line and starts afresh; writes nothing when none were recorded.</summary>
    public void Flush()
    {
        KeyValuePair<string, Accumulated>[] snapshot;
        lock (_metrics)
        {
            if (_order.Count == 0)
            {
                return;
            }

            snapshot = [.. _order.Select(name => new KeyValuePair<string, Accumulated>(name, _metrics[name]))];
            _metrics.Clear();
            _order.Clear();
        }

        var document = new Document(_options, _timeProvider.GetUtcNow(), snapshot);
        JsonLine.Write(_output, document, static (writer, state) => state.WriteTo(writer));
    }

    private void Record(string name, MetricUnit unit, double value, bool sum)
    {
        MetricsOptions.RequireName(name, "metric name");
        if (name is MetricsOptions.FunctionDimension or MetricsOptions.ConcernDimension or "_aws")
        {
            throw new ArgumentException($"'{name}' is a dimension or the EMF envelope, not a metric name.", nameof(name));
        }

        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "metric values must be finite");
        }

        lock (_metrics)
        {
            if (!_metrics.TryGetValue(name, out var accumulated))
            {
                if (_order.Count >= MaxMetrics)
                {
                    throw new InvalidOperationException($"more than {MaxMetrics} metrics in one invocation; EMF would drop them.");
                }

                accumulated = new Accumulated(unit);
                _metrics[name] = accumulated;
                _order.Add(name);
            }
            else if (accumulated.Unit != unit)
            {
                throw new InvalidOperationException($"metric '{name}' was recorded as {accumulated.Unit} and now as {unit}.");
            }

            if (sum && accumulated.Values.Count == 1)
            {
                accumulated.Values[0] += value;
            }
            else if (accumulated.Values.Count < MaxValuesPerMetric)
            {
                accumulated.Values.Add(value);
            }
            else
            {
                // Keep the line valid: fold further timings into the last value's place rather than drop the line.
                accumulated.Values[^1] = Math.Max(accumulated.Values[^1], value);
            }
        }
    }

    private sealed class Accumulated(MetricUnit unit)
    {
        public MetricUnit Unit { get; } = unit;

        public List<double> Values { get; } = [];
    }

    private readonly record struct Document(MetricsOptions Options, DateTimeOffset Time, KeyValuePair<string, Accumulated>[] Recorded)
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject("_aws");
            writer.WriteNumber("Timestamp", Time.ToUnixTimeMilliseconds());
            writer.WriteStartArray("CloudWatchMetrics");
            writer.WriteStartObject();
            writer.WriteString("Namespace", Options.Namespace);
            writer.WriteStartArray("Dimensions");
            writer.WriteStartArray();
            writer.WriteStringValue(MetricsOptions.FunctionDimension);
            if (Options.Concern is not null)
            {
                writer.WriteStringValue(MetricsOptions.ConcernDimension);
            }

            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteStartArray("Metrics");
            foreach (var (name, accumulated) in Recorded)
            {
                writer.WriteStartObject();
                writer.WriteString("Name", name);
                writer.WriteString("Unit", accumulated.Unit == MetricUnit.Count ? "Count" : "Milliseconds");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();

            writer.WriteString(MetricsOptions.FunctionDimension, Options.FunctionName);
            if (Options.Concern is not null)
            {
                writer.WriteString(MetricsOptions.ConcernDimension, Options.Concern);
            }

            foreach (var (name, accumulated) in Recorded)
            {
                if (accumulated.Values.Count == 1)
                {
                    writer.WriteNumber(name, accumulated.Values[0]);
                    continue;
                }

                writer.WriteStartArray(name);
                foreach (var value in accumulated.Values)
                {
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
            }
        }
    }
}
