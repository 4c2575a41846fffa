using System.Diagnostics;
using System.IO.Compression;
using Remediator.Core.Patterns;

namespace Remediator.Core.Tests.Patterns;

/// <summary>
/// The benchmark workload (200 rules over 200,000 generated CloudTrail-like events): the matcher must give exactly
/// event-ruler's answers. The rules, the answers and a slice of the events ship in tests/fixtures/bench; the full
/// 200,000 events are regenerated only where the workload's generator sits beside the repository (../shared/bench).
/// </summary>
public sealed class BenchWorkloadTests
{
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "fixtures", "bench");

    [Fact]
    public void Matcher_reproduces_event_ruler_on_the_shipped_slice()
    {
        var expected = Expected("expected-slice.json");
        var outcome = MatchAll(ReadLines(SliceBytes()));

        Assert.Equal(3000, outcome.Lines);
        Assert.Empty(Mismatches(expected, outcome));
        Assert.Equal(expected.MatchedEvents, outcome.MatchedEvents);
        Assert.Equal(expected.Pairs, outcome.Pairs);
        Assert.Equal(53, outcome.MatchedEvents);
        Assert.Equal(76, outcome.Pairs);
    }

    /// <summary>The full comparison where the workload is present; in a bare clone, the shipped slice (never a silent skip).</summary>
    [Fact]
    public async Task Matcher_reproduces_event_ruler_on_the_full_workload_or_the_slice()
    {
        var bench = FindSharedBench();
        if (bench is null)
        {
            var slice = Expected("expected-slice.json");
            var sliceOutcome = MatchAll(ReadLines(SliceBytes()));
            Assert.Empty(Mismatches(slice, sliceOutcome));
            Assert.Equal(slice.MatchedEvents, sliceOutcome.MatchedEvents);
            return;
        }

        // The shipped rules are the workload's, byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(bench, "patterns.json")), File.ReadAllBytes(Path.Combine(Shipped, "patterns.json")));
        var work = Directory.CreateTempSubdirectory("remediator-bench-");
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                ArgumentList = { Path.Combine(bench, "gen_bench.py"), "--out", work.FullName, "--events", "200000", "--seed", "7" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (var generator = Process.Start(start)!)
            {
                var stderr = generator.StandardError.ReadToEndAsync();
                await generator.StandardOutput.ReadToEndAsync();
                await generator.WaitForExitAsync();
                Assert.True(generator.ExitCode == 0, $"gen_bench.py failed: {await stderr}");
            }

            var all = File.ReadAllBytes(Path.Combine(work.FullName, "events.jsonl"));
            var expected = Expected("expected-matches.json");
            var outcome = MatchAll(ReadLines(all));

            Assert.Equal(200_000, outcome.Lines);
            Assert.Empty(Mismatches(expected, outcome));
            Assert.Equal(expected.MatchedEvents, outcome.MatchedEvents);
            Assert.Equal(expected.Pairs, outcome.Pairs);
            Assert.Equal(3927, outcome.MatchedEvents);
            Assert.Equal(6122, outcome.Pairs);

            // The shipped slice is the start of the workload.
            Assert.Equal(SliceBytes(), all.AsSpan(0, SliceBytes().Length).ToArray());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Replay's shortcut: with the 200 rules as the reader's interest, every event is either read in full or counted
    /// as not wanted from its bytes, and every event a rule matches is among those read in full.
    /// </summary>
    [Fact]
    public void The_readers_interest_reads_in_full_every_event_a_rule_matches_and_counts_the_rest()
    {
        var expected = Expected("expected-slice.json");
        var interest = new EventInterest(Patterns().Select(p => p.Pattern));
        var reader = new EventReader(new EventReaderOptions { Interest = interest });
        var file = Path.Combine(Directory.CreateTempSubdirectory("remediator-slice-").FullName, "events.jsonl");
        File.WriteAllBytes(file, SliceBytes());
        try
        {
            var results = reader.Read([file]).ToList();
            var readLines = results.OfType<EventRead>().Select(r => int.Parse(r.Position["line ".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1).ToHashSet();

            Assert.Equal(3000, results.Count);
            Assert.Empty(results.OfType<EventReadError>());
            Assert.All(expected.Sets.Keys, line => Assert.Contains(line, readLines));
            Assert.True(results.OfType<EventNotWanted>().Count() > 2500, "most events are counted without being parsed");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    private static byte[] SliceBytes()
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(Shipped, "events-slice.jsonl.gz")), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        gzip.CopyTo(copy);
        return copy.ToArray();
    }

    private static List<(string Name, EventPattern Pattern)> Patterns()
    {
        using var patterns = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Shipped, "patterns.json")));
        return patterns.RootElement.EnumerateArray()
            .Select(p => (p.GetProperty("name").GetString()!, EventPattern.Parse(p.GetProperty("pattern"))))
            .ToList();
    }

    private static Outcome MatchAll(IEnumerable<byte[]> lines)
    {
        var matcher = PatternMatcher.Build(Patterns());
        var outcome = new Outcome();
        var indexes = new List<int>();
        foreach (var bytes in lines)
        {
            matcher.MatchRules(bytes, indexes);
            if (indexes.Count > 0)
            {
                outcome.MatchedEvents++;
                outcome.Pairs += indexes.Count;
                outcome.Sets[outcome.Lines] = string.Join(",", indexes.Select(i => matcher.Names[i]).Order(StringComparer.Ordinal));
            }

            outcome.Lines++;
        }

        return outcome;
    }

    private static List<string> Mismatches(Answers expected, Outcome actual) =>
        expected.Sets.Keys.Union(actual.Sets.Keys).Order()
            .Where(line => expected.Sets.GetValueOrDefault(line) != actual.Sets.GetValueOrDefault(line))
            .Take(10)
            .Select(line => $"line {line}: expected [{expected.Sets.GetValueOrDefault(line)}] got [{actual.Sets.GetValueOrDefault(line)}]")
            .ToList();

    private static Answers Expected(string file)
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Shipped, file)));
        var root = expected.RootElement;
        return new Answers(
            root.GetProperty("matched_events").GetInt32(),
            root.GetProperty("match_pairs").GetInt32(),
            root.GetProperty("matched_event_rules").EnumerateObject().ToDictionary(
                p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture),
                p => string.Join(",", p.Value.EnumerateArray().Select(v => v.GetString()))));
    }

    private static IEnumerable<byte[]> ReadLines(byte[] all)
    {
        var start = 0;
        while (start < all.Length)
        {
            var end = Array.IndexOf(all, (byte)'\n', start);
            if (end < 0)
            {
                end = all.Length;
            }

            yield return all[start..end];
            start = end + 1;
        }
    }

    /// <summary>The shared folder beside the repository, or null in a clone that has none.</summary>
    internal static string? FindSharedBench()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "bench");
            if (File.Exists(Path.Combine(candidate, "gen_bench.py")))
            {
                return candidate;
            }
        }

        return null;
    }

    private sealed record Answers(int MatchedEvents, int Pairs, Dictionary<int, string> Sets);

    private sealed class Outcome
    {
        public int Lines { get; set; }

        public int MatchedEvents { get; set; }

        public int Pairs { get; set; }

        public Dictionary<int, string> Sets { get; } = [];
    }
}
