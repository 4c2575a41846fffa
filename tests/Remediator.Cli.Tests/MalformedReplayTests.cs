using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Remediator.Testing;

namespace Remediator.Cli.Tests;

/// <summary>
/// The generated malformed-input suite through <c>replay</c>: 10,800 broken records (invalid UTF-8, nesting up to
/// 1,000 levels, truncation after every position class, wrong types at every level, huge policies, numbers beyond
/// double range, control characters, duplicate keys, lone surrogates), each followed by a valid event. No run dies,
/// every line is accounted for, and every valid event is processed, whether unwanted events are listed or counted.
/// </summary>
public sealed partial class MalformedReplayTests : IDisposable
{
    private const int Seed = 20261204;
    private const int Cases = 10_800;

    private readonly string _dir = Directory.CreateTempSubdirectory("remediator-malformed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_broken_line_costs_one_line_and_every_valid_event_after_it_is_processed(bool all)
    {
        var file = WriteCorpus(out var lines);
        string[] args = all
            ? ["replay", file, "--rules", RepositoryPaths.Rules, "--format", "json", "--all"]
            : ["replay", file, "--rules", RepositoryPaths.Rules, "--format", "json"];

        var run = await CliRun.RunAsync(args);

        Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);

        var output = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var eventIds = output.Where(l => l.TryGetProperty("eventId", out _)).Select(l => l.GetProperty("eventId").GetString()).ToHashSet(StringComparer.Ordinal);
        var missing = Enumerable.Range(0, Cases).Select(i => $"valid-{i}").Where(id => !eventIds.Contains(id)).Take(5).ToList();
        Assert.True(missing.Count == 0, "valid events lost: " + string.Join(", ", missing));

        var summary = Summary().Match(run.Stderr);
        Assert.True(summary.Success, run.Stderr[^Math.Min(run.Stderr.Length, 400)..]);
        var events = long.Parse(summary.Groups["events"].Value, CultureInfo.InvariantCulture);
        var errors = long.Parse(summary.Groups["errors"].Value, CultureInfo.InvariantCulture);
        var notes = long.Parse(summary.Groups["notes"].Value, CultureInfo.InvariantCulture);
        Assert.True(events + errors + notes >= lines, $"{events} events + {errors} errors + {notes} notes < {lines} lines");
        Assert.Equal(errors, output.Count(l => l.TryGetProperty("error", out _)));
        Assert.True(errors >= Cases / 3, $"only {errors} errors: the corpus is mostly broken");
        if (all)
        {
            Assert.Equal(events, output.Count(l => l.TryGetProperty("eventId", out _)));
        }
    }

    [Fact]
    public async Task Every_kind_of_breakage_is_met_and_invalid_utf8_is_always_an_error()
    {
        var cases = MalformedInputCorpus.Generate(Seed, Cases);
        Assert.Equal(Enum.GetValues<MalformedInputCorpus.Breakage>().Order(), cases.Select(c => c.Kind).Distinct().Order());

        var file = Path.Combine(_dir, "utf8.jsonl");
        var utf8 = cases.Where(c => c.Kind == MalformedInputCorpus.Breakage.InvalidUtf8).ToList();
        await using (var stream = File.Create(file))
        {
            foreach (var c in utf8)
            {
                stream.Write(c.Bytes);
                stream.WriteByte((byte)'\n');
            }
        }

        var run = await CliRun.RunAsync("replay", file, "--rules", RepositoryPaths.Rules, "--format", "json", "--all");

        var output = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(utf8.Count, output.Count);
        Assert.All(output, l => Assert.True(l.TryGetProperty("error", out _), l.GetRawText()));
    }

    private string WriteCorpus(out int lines)
    {
        var file = Path.Combine(_dir, "corpus.jsonl");
        lines = 0;
        using var stream = File.Create(file);
        foreach (var broken in MalformedInputCorpus.Generate(Seed, Cases))
        {
            stream.Write(broken.Bytes);
            stream.WriteByte((byte)'\n');
            stream.Write(Encoding.UTF8.GetBytes(MalformedInputCorpus.ValidEvent($"valid-{broken.Number}")));
            stream.WriteByte((byte)'\n');
            lines += 2;
        }

        return file;
    }

    [GeneratedRegex(@"(?<events>\d+) events read, .* (?<errors>\d+) malformed, (?<notes>\d+) note\(s\)")]
    private static partial Regex Summary();
}
