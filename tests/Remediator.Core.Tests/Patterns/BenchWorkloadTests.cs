using System.Diagnostics;
using System.Text.Json;
using Remediator.Core.Patterns;

namespace Remediator.Core.Tests.Patterns;

/// <summary>
/// The shared benchmark workload (200 rules over 200,000 generated CloudTrail-like events): the matcher must give
/// exactly event-ruler's answers, recorded in shared/bench/expected-matches.json.
/// </summary>
public sealed class BenchWorkloadTests
{
    [Fact]
    public async Task Matcher_reproduces_event_ruler_on_the_shared_workload()
    {
        var bench = FindSharedBench();
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

            using var patterns = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bench, "patterns.json")));
            var matcher = PatternMatcher.Build(patterns.RootElement.EnumerateArray()
                .Select(p => (p.GetProperty("name").GetString()!, EventPattern.Parse(p.GetProperty("pattern")))));

            using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bench, "expected-matches.json")));
            var expectedSets = expected.RootElement.GetProperty("matched_event_rules").EnumerateObject()
                .ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => string.Join(",", p.Value.EnumerateArray().Select(v => v.GetString())));

            var matchedEvents = 0;
            var pairs = 0;
            var line = 0;
            var mismatches = new List<string>();
            var indexes = new List<int>();
            foreach (var bytes in ReadLines(Path.Combine(work.FullName, "events.jsonl")))
            {
                matcher.MatchRules(bytes, indexes);
                if (indexes.Count > 0)
                {
                    matchedEvents++;
                    pairs += indexes.Count;
                }

                var actual = string.Join(",", indexes.Select(i => matcher.Names[i]).Order(StringComparer.Ordinal));
                expectedSets.TryGetValue(line, out var wanted);
                if ((wanted ?? string.Empty) != actual && mismatches.Count < 10)
                {
                    mismatches.Add($"line {line}: expected [{wanted}] got [{actual}]");
                }

                line++;
            }

            Assert.Equal(200_000, line);
            Assert.Empty(mismatches);
            Assert.Equal(expected.RootElement.GetProperty("matched_events").GetInt32(), matchedEvents);
            Assert.Equal(expected.RootElement.GetProperty("match_pairs").GetInt32(), pairs);
            Assert.Equal(3927, matchedEvents);
            Assert.Equal(6122, pairs);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static IEnumerable<byte[]> ReadLines(string path)
    {
        var all = File.ReadAllBytes(path);
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

    /// <summary>The shared folder sits beside the repository: walk up from the test binaries until a <c>shared/bench</c> sibling appears.</summary>
    internal static string FindSharedBench()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "bench");
            if (File.Exists(Path.Combine(candidate, "gen_bench.py")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No shared/bench folder found above {AppContext.BaseDirectory}; the workload lives in <repo>/../shared/bench.");
    }
}
