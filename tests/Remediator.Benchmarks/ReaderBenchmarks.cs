using System.Text;
using BenchmarkDotNet.Attributes;
using Remediator.Core.Events;

namespace Remediator.Benchmarks;

/// <summary>
/// Reading N real records (iam/CreateRole__1 with distinct event ids) from a JSON Lines file and from a trail's
/// S3 log file <c>{"Records": [...]}</c>, plain and gzip. Files are written once per parameter set into a temp dir.
/// </summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    private string _directory = string.Empty;
    private string _jsonLines = string.Empty;
    private string _records = string.Empty;
    private string _recordsGzip = string.Empty;
    private EventReader _reader = new(EventReaderOptions.Default);

    [Params(1_000, 10_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void WriteInputs()
    {
        _directory = Path.Combine(Path.GetTempPath(), "remediator-reader-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var records = ReaderInputs.Records(N).ToList();
        _jsonLines = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(_jsonLines, string.Join('\n', records) + "\n", new UTF8Encoding(false));
        _records = Path.Combine(_directory, "log.json");
        File.WriteAllText(_records, "{\"Records\":[" + string.Join(',', records) + "]}", new UTF8Encoding(false));
        _recordsGzip = Path.Combine(_directory, "log.json.gz");
        ReaderInputs.Gzip(_records, _recordsGzip);
        _reader = new EventReader(EventReaderOptions.Default);
    }

    [GlobalCleanup]
    public void DeleteInputs() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public int JsonLines() => Count(_jsonLines);

    [Benchmark(Baseline = true)]
    public int RecordsFile() => Count(_records);

    [Benchmark]
    public int RecordsFileGzip() => Count(_recordsGzip);

    private int Count(string path)
    {
        var events = 0;
        foreach (var result in _reader.Read([path]))
        {
            if (result is EventRead)
            {
                events++;
            }
        }

        return events == N ? events : throw new InvalidOperationException($"read {events} events, expected {N}");
    }
}

/// <summary>Generated inputs shared by the benchmark and the large-file measurement.</summary>
internal static class ReaderInputs
{
    // iam/CreateRole__1.json from tests/fixtures/cloudtrail, compacted; its eventID is replaced per record.
    private const string TemplateEventId = "d2905ac3-9898-433f-b10d-9302abe4e208";

    public static IEnumerable<string> Records(long count)
    {
        var template = LoadTemplate();
        for (long i = 0; i < count; i++)
        {
            yield return template.Replace(TemplateEventId, $"00000000-0000-4000-8000-{i:D12}", StringComparison.Ordinal);
        }
    }

    public static void Gzip(string from, string to)
    {
        using var input = File.OpenRead(from);
        using var output = File.Create(to);
        using var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest);
        input.CopyTo(gzip);
    }

    private static string LoadTemplate()
    {
        // Walk up from the binaries to the repository's fixtures: benchmarks run from a generated project folder.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "fixtures", "cloudtrail", "iam", "CreateRole__1.json");
            if (File.Exists(candidate))
            {
                using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(candidate));
                return document.RootElement.GetRawText().ReplaceLineEndings(" ");
            }
        }

        throw new FileNotFoundException("tests/fixtures/cloudtrail/iam/CreateRole__1.json not found above " + AppContext.BaseDirectory);
    }
}
