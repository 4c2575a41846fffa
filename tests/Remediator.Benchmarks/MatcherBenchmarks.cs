using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Remediator.Core.Patterns;

namespace Remediator.Benchmarks;

/// <summary>
/// The shared pattern-matching workload (200 rules), preloaded. Events come from
/// REMEDIATOR_BENCH_EVENTS_FILE (default /work/.bench/events.jsonl, made by shared/bench/gen_bench.py);
/// REMEDIATOR_BENCH_EVENTS limits how many lines are loaded (default 20000) so a run stays short.
/// Run: dotnet run -c Release --project tests/Remediator.Benchmarks -- --filter '*MatcherBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class MatcherBenchmarks
{
    private readonly List<int> indexes = [];
    private PatternMatcher matcher = null!;
    private byte[][] events = [];

    [GlobalSetup]
    public void Setup()
    {
        var shared = FindSharedBench();
        using var patterns = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(shared, "patterns.json")));
        matcher = PatternMatcher.Build(patterns.RootElement.EnumerateArray()
            .Select(p => (p.GetProperty("name").GetString()!, EventPattern.Parse(p.GetProperty("pattern")))));

        var file = Environment.GetEnvironmentVariable("REMEDIATOR_BENCH_EVENTS_FILE") ?? "/work/.bench/events.jsonl";
        var count = int.TryParse(Environment.GetEnvironmentVariable("REMEDIATOR_BENCH_EVENTS"), out var n) ? n : 20_000;
        events = File.ReadLines(file).Take(count).Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
    }

    /// <summary>All 200 rules against every preloaded event; returns the number of matching events.</summary>
    [Benchmark]
    public int MatchAll()
    {
        var matched = 0;
        foreach (var evt in events)
        {
            if (matcher.MatchRules(evt, indexes) > 0)
            {
                matched++;
            }
        }

        return matched;
    }

    /// <summary>Baseline: only tokenizing every event with Utf8JsonReader, no matching. The floor MatchAll can reach.</summary>
    [Benchmark(Baseline = true)]
    public int TokenizeOnly()
    {
        var tokens = 0;
        foreach (var evt in events)
        {
            var reader = new Utf8JsonReader(evt);
            while (reader.Read())
            {
                tokens++;
            }
        }

        return tokens;
    }

    private static string FindSharedBench()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "bench");
            if (File.Exists(Path.Combine(candidate, "patterns.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("shared/bench not found above " + AppContext.BaseDirectory);
    }
}
