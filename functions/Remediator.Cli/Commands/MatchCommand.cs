using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Remediator.Core.Patterns;

namespace Remediator.Cli.Commands;

/// <summary><c>remediator match</c>: test EventBridge patterns against events, one case at a time or in bulk.</summary>
public static class MatchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cases = new Option<FileInfo?>("--cases")
        {
            Description = "JSON array of test cases, each {\"pattern\": {...}, \"event\": {...}} (other keys ignored). " +
                "Prints a JSON array with one answer per case, in order: true, false, or {\"invalid\": \"message\"}.",
        };
        var patterns = new Option<FileInfo?>("--patterns")
        {
            Description = "JSON array of named patterns, each {\"name\": \"...\", \"pattern\": {...}} (other keys ignored). Use with --events.",
        };
        var events = new Option<FileInfo?>("--events")
        {
            Description = "Events file, one JSON event per line (JSON Lines). Streamed; a malformed line is reported on stderr and skipped.",
        };
        var output = new Option<FileInfo?>("--out")
        {
            Description = "Where to write {\"matched_event_rules\": {\"<0-based line>\": [names sorted]}} (default: stdout).",
        };
        var bench = new Option<bool>("--bench")
        {
            Description = "Also measure: preload the events, 3 warm-up passes, 5 timed passes on one thread; then the same streaming from the file " +
                "(each pass re-reads it); prints the median events/s of each and the matched event and pair counts on stderr.",
        };

        var command = new Command(
            "match",
            "Match EventBridge event patterns (full content-filtering syntax, event-ruler semantics) against events.\n" +
            "  remediator match --cases cases.json\n" +
            "  remediator match --patterns patterns.json --events events.jsonl [--out matches.json] [--bench]")
        {
            cases, patterns, events, output, bench,
        };

        command.SetAction((parse, cancel) => RunAsync(parse, stdout, stderr, cases, patterns, events, output, bench, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, Option<FileInfo?> cases, Option<FileInfo?> patterns, Option<FileInfo?> events, Option<FileInfo?> output, Option<bool> bench, CancellationToken cancel)
    {
        var casesFile = parse.GetValue(cases);
        var patternsFile = parse.GetValue(patterns);
        var eventsFile = parse.GetValue(events);
        if (casesFile is not null && patternsFile is null && eventsFile is null)
        {
            return await RunCasesAsync(casesFile, stdout, stderr).ConfigureAwait(false);
        }

        if (casesFile is null && patternsFile is not null && eventsFile is not null)
        {
            return await RunBulkAsync(patternsFile, eventsFile, parse.GetValue(output), parse.GetValue(bench), stdout, stderr, cancel).ConfigureAwait(false);
        }

        await stderr.WriteLineAsync("remediator match: give either --cases FILE, or --patterns FILE and --events FILE.").ConfigureAwait(false);
        return ExitCodes.BadInput;
    }

    private static async Task<int> RunCasesAsync(FileInfo file, TextWriter stdout, TextWriter stderr)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(await File.ReadAllBytesAsync(file.FullName).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            await stderr.WriteLineAsync($"remediator match: cannot read {file.FullName}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                await stderr.WriteLineAsync($"remediator match: {file.FullName}: expected a JSON array of cases").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartArray();
                var index = 0;
                foreach (var row in document.RootElement.EnumerateArray())
                {
                    if (row.ValueKind != JsonValueKind.Object
                        || !row.TryGetProperty("pattern", out var pattern)
                        || !row.TryGetProperty("event", out var evt))
                    {
                        await stderr.WriteLineAsync($"remediator match: {file.FullName}: case {index} needs \"pattern\" and \"event\"").ConfigureAwait(false);
                        return ExitCodes.BadInput;
                    }

                    if (!EventPattern.TryParse(pattern, out var parsed, out var error))
                    {
                        WriteInvalid(writer, error);
                    }
                    else
                    {
                        try
                        {
                            writer.WriteBooleanValue(parsed.Matches(evt));
                        }
                        catch (MalformedEventException e)
                        {
                            WriteInvalid(writer, $"event: {e.Message}");
                        }
                    }

                    index++;
                }

                writer.WriteEndArray();
            }

            await stdout.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray())).ConfigureAwait(false);
            return ExitCodes.Clean;
        }
    }

    private static void WriteInvalid(Utf8JsonWriter writer, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("invalid", message);
        writer.WriteEndObject();
    }

    private static async Task<int> RunBulkAsync(FileInfo patternsFile, FileInfo eventsFile, FileInfo? outFile, bool bench, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var matcher = await LoadPatternsAsync(patternsFile, stderr).ConfigureAwait(false);
        if (matcher is null)
        {
            return ExitCodes.BadInput;
        }

        if (!eventsFile.Exists)
        {
            await stderr.WriteLineAsync($"remediator match: cannot read {eventsFile.FullName}: file not found").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var sortedNames = SortedNameOrder(matcher);
        using var result = new MemoryStream();
        var matchedEvents = 0;
        long pairs = 0;
        using (var writer = new Utf8JsonWriter(result, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("matched_event_rules");
            var indexes = new List<int>();
            try
            {
                await using var stream = new FileStream(eventsFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                var lines = new JsonLinesReader(stream);
                var lineNumber = -1;
                while (lines.TryReadLine(out var line))
                {
                    lineNumber++;
                    cancel.ThrowIfCancellationRequested();
                    try
                    {
                        matcher.MatchRules(line.Span, indexes);
                    }
                    catch (MalformedEventException e)
                    {
                        await stderr.WriteLineAsync($"remediator match: {eventsFile.FullName}:{lineNumber + 1}: {e.Message}").ConfigureAwait(false);
                        continue;
                    }

                    if (indexes.Count == 0)
                    {
                        continue;
                    }

                    matchedEvents++;
                    pairs += indexes.Count;
                    indexes.Sort((a, b) => sortedNames[a].CompareTo(sortedNames[b]));
                    writer.WriteStartArray(lineNumber.ToString(CultureInfo.InvariantCulture));
                    foreach (var i in indexes)
                    {
                        writer.WriteStringValue(matcher.Names[i]);
                    }

                    writer.WriteEndArray();
                }
            }
            catch (IOException e)
            {
                await stderr.WriteLineAsync($"remediator match: cannot read {eventsFile.FullName}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (outFile is null)
        {
            await stdout.WriteLineAsync(Encoding.UTF8.GetString(result.ToArray())).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllBytesAsync(outFile.FullName, result.ToArray(), cancel).ConfigureAwait(false);
        }

        await stderr.WriteLineAsync($"{matchedEvents} matched events, {pairs} (event, rule) pairs").ConfigureAwait(false);
        if (bench)
        {
            await RunBenchmarkAsync(matcher, eventsFile, stderr).ConfigureAwait(false);
        }

        return ExitCodes.Clean;
    }

    private static async Task<PatternMatcher?> LoadPatternsAsync(FileInfo file, TextWriter stderr)
    {
        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(file.FullName).ConfigureAwait(false));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                await stderr.WriteLineAsync($"remediator match: {file.FullName}: expected a JSON array of {{\"name\", \"pattern\"}}").ConfigureAwait(false);
                return null;
            }

            var named = new List<(string, EventPattern)>();
            var index = 0;
            foreach (var row in document.RootElement.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object
                    || !row.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !row.TryGetProperty("pattern", out var pattern))
                {
                    await stderr.WriteLineAsync($"remediator match: {file.FullName}: entry {index} needs a string \"name\" and a \"pattern\"").ConfigureAwait(false);
                    return null;
                }

                if (!EventPattern.TryParse(pattern, out var parsed, out var error))
                {
                    await stderr.WriteLineAsync($"remediator match: {file.FullName}: entry {index} ({name.GetString()}): {error}").ConfigureAwait(false);
                    return null;
                }

                named.Add((name.GetString()!, parsed));
                index++;
            }

            return PatternMatcher.Build(named);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            await stderr.WriteLineAsync($"remediator match: cannot read {file.FullName}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    // Rank of each rule when names are sorted ordinally, as expected-matches.json lists them.
    private static int[] SortedNameOrder(PatternMatcher matcher)
    {
        var order = Enumerable.Range(0, matcher.Names.Count).OrderBy(i => matcher.Names[i], StringComparer.Ordinal).ToArray();
        var rank = new int[order.Length];
        for (var r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r;
        }

        return rank;
    }

    private static async Task RunBenchmarkAsync(PatternMatcher matcher, FileInfo eventsFile, TextWriter stderr)
    {
        var preloaded = new List<byte[]>();
        await using (var stream = new FileStream(eventsFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            var lines = new JsonLinesReader(stream);
            while (lines.TryReadLine(out var line))
            {
                preloaded.Add(line.ToArray());
            }
        }

        var events = preloaded.ToArray();
        var indexes = new List<int>();
        var rates = new List<double>();
        var matched = 0;
        for (var pass = 0; pass < 8; pass++)
        {
            matched = 0;
            var clock = Stopwatch.StartNew();
            foreach (var evt in events)
            {
                try
                {
                    if (matcher.MatchRules(evt, indexes) > 0)
                    {
                        matched++;
                    }
                }
                catch (MalformedEventException)
                {
                    // reported already by the streaming pass
                }
            }

            clock.Stop();
            if (pass >= 3)
            {
                rates.Add(events.Length / clock.Elapsed.TotalSeconds);
            }
        }

        rates.Sort();
        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{rates[rates.Count / 2]:F0} events/s (median of 5 timed passes after 3 warm-ups, one thread, {events.Length} preloaded events; range {rates[0]:F0}-{rates[^1]:F0}; {matched} matched events per pass)")).ConfigureAwait(false);

        // The streaming protocol of the reference: each pass reads the file again, so I/O and splitting are timed too.
        var streamed = new List<double>();
        for (var pass = 0; pass < 8; pass++)
        {
            var count = 0;
            var clock = Stopwatch.StartNew();
            await using (var stream = new FileStream(eventsFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                var lines = new JsonLinesReader(stream);
                while (lines.TryReadLine(out var line))
                {
                    count++;
                    try
                    {
                        matcher.MatchRules(line.Span, indexes);
                    }
                    catch (MalformedEventException)
                    {
                        // reported already by the first streaming pass
                    }
                }
            }

            clock.Stop();
            if (pass >= 3)
            {
                streamed.Add(count / clock.Elapsed.TotalSeconds);
            }
        }

        streamed.Sort();
        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{streamed[streamed.Count / 2]:F0} events/s streaming (median of 5 passes re-reading the file after 3 warm-ups, one thread; range {streamed[0]:F0}-{streamed[^1]:F0})")).ConfigureAwait(false);
    }

    /// <summary>Splits a stream into lines of bytes without decoding them; the memory used is the longest line.</summary>
    private sealed class JsonLinesReader(Stream stream)
    {
        private byte[] buffer = new byte[1 << 16];
        private int start;
        private int end;
        private bool eof;

        public bool TryReadLine(out ReadOnlyMemory<byte> line)
        {
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline >= 0)
                {
                    line = Trim(start, newline);
                    start = newline + 1;
                    return true;
                }

                if (eof)
                {
                    if (start < end)
                    {
                        line = Trim(start, end);
                        start = end;
                        return true;
                    }

                    line = default;
                    return false;
                }

                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    eof = true;
                }

                end += read;
            }
        }

        private ReadOnlyMemory<byte> Trim(int from, int to) =>
            buffer.AsMemory(from, to > from && buffer[to - 1] == '\r' ? to - from - 1 : to - from);
    }
}
