using System.IO.Compression;
using System.Text;

namespace Remediator.Core.Tests.Events;

/// <summary>Refill boundaries, truncation, oversize and other ways input goes wrong while streaming.</summary>
public sealed class EventReaderStreamingTests
{
    public static TheoryData<string> ShapeFiles() =>
    [
        "s3-log-file.json", "s3-log-file.json.gz", "s3-log-file-one-broken-record.json", "sqs-lambda-event.json",
        "lookup-events.json", "array-of-shapes.json", "events-with-bad-line.jsonl",
    ];

    [Theory]
    [MemberData(nameof(ShapeFiles))]
    public void Tiny_buffers_give_the_same_results_as_the_default(string shape)
    {
        var path = Fixtures.Shape(shape);
        var expected = Describe(Fixtures.ReadAll(path));

        foreach (var bufferBytes in new[] { 16, 17, 61, 1000 })
        {
            var reader = new EventReader(new EventReaderOptions { BufferBytes = bufferBytes });
            Assert.Equal(expected, Describe(reader.Read([path]).ToList()));
        }
    }

    [Fact]
    public void A_truncated_gzip_log_reports_the_cut_record_as_an_error_after_the_whole_ones()
    {
        var records = string.Join(",", Enumerable.Repeat(File.ReadAllText(Fixtures.Real("iam/CreateRole__1.json")), 200));
        var gzip = Gzip("{\"Records\":[" + records + "]}");

        var results = Fixtures.ReadBytes(gzip[..(gzip.Length / 2)], "cut.json.gz");

        var error = Assert.Single(results.Errors());
        Assert.Same(error, results[^1]);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"record {results.Count}, ", error.Position, StringComparison.Ordinal);
        Assert.True(results.Events().Count > 10);
    }

    [Fact]
    public void A_gzip_file_cut_where_a_line_ends_is_caught_by_the_size_in_its_last_bytes()
    {
        var line = Encoding.UTF8.GetBytes(File.ReadAllText(Fixtures.Real("iam/CreateRole__1.json")).ReplaceLineEndings(" ") + "\n");
        using var buffer = new MemoryStream();
        long cut;
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(line);
            gzip.Flush(); // a sync flush: the compressed bytes so far decompress to exactly the first line
            cut = buffer.Length;
            gzip.Write(line);
        }

        using var temp = new Fixtures.TempDirectory();
        var path = temp.File("cut.jsonl.gz");
        File.WriteAllBytes(path, buffer.ToArray()[..(int)cut]);

        var results = Fixtures.ReadAll(path);

        Assert.Single(results.Events());
        var error = Assert.Single(results.Errors());
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Equal($"byte {line.Length}", error.Position);
    }

    [Fact]
    public void Corrupt_gzip_is_one_error_with_a_byte_offset()
    {
        var gzip = Gzip(File.ReadAllText(Fixtures.Shape("s3-log-file.json")));
        for (var i = 20; i < 40; i++)
        {
            gzip[i] ^= 0x5a;
        }

        var results = Fixtures.ReadBytes(gzip, "bad.json.gz");

        var error = Assert.Single(results.Errors());
        Assert.StartsWith("byte ", error.Position, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_larger_than_the_limit_is_skipped_with_an_error_and_the_next_one_reads()
    {
        var small = File.ReadAllText(Fixtures.Real("iam/CreateRole__1.json"));
        var big = "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"Big\",\"pad\":\"" + new string('x', 5000) + "\"}";
        var options = new EventReaderOptions { MaxRecordBytes = 4096, BufferBytes = 256 };

        var results = Fixtures.ReadText("{\"Records\":[" + small + "," + big + "," + small + "]}", options: options);

        Assert.Equal(3, results.Count);
        Assert.Contains("MaxRecordBytes", Assert.IsType<EventReadError>(results[1]).Message, StringComparison.Ordinal);
        Assert.IsType<EventRead>(results[2]);
    }

    [Fact]
    public void A_top_level_object_larger_than_the_limit_is_one_error()
    {
        var big = "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"Big\",\"pad\":\"" + new string('x', 5000) + "\"}";
        var options = new EventReaderOptions { MaxRecordBytes = 4096, BufferBytes = 256 };

        var results = Fixtures.ReadText(big + "\n{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"Small\"}\n", "x.jsonl", options);

        Assert.Contains("MaxRecordBytes", Assert.IsType<EventReadError>(results[0]).Message, StringComparison.Ordinal);
        Assert.Equal("Small", Assert.IsType<EventRead>(results[1]).Event.EventName);
    }

    [Theory]
    [InlineData("{\"Records\":[{\"eventSource\":\"a\",\"eventName\":\"A\"},,{\"eventSource\":\"a\",\"eventName\":\"C\"}]}", "empty element")]
    [InlineData("{\"Records\":[{\"eventSource\":\"a\",\"eventName\":\"A\"} {\"eventSource\":\"a\",\"eventName\":\"B\"},{\"eventSource\":\"a\",\"eventName\":\"C\"}]}", "expected ','")]
    [InlineData("{\"Records\":[{\"eventSource\":\"a\",\"eventName\":\"A\"},{\"eventSource\":\"a\" \"eventName\":\"B\"},{\"eventSource\":\"a\",\"eventName\":\"C\"}]}", "invalid JSON")]
    [InlineData("{\"Records\":[{\"eventSource\":\"a\",\"eventName\":\"A\"},{\"eventSource\":\"a}]\\\"\",\"x\":[1,2,]},{\"eventSource\":\"a\",\"eventName\":\"C\"}]}", "invalid JSON")]
    public void Structural_damage_between_or_inside_records_costs_only_that_record(string json, string reason)
    {
        var results = Fixtures.ReadText(json, options: new EventReaderOptions { BufferBytes = 16 });

        Assert.Equal(3, results.Count);
        Assert.Equal(["A", "C"], results.Events().Select(e => e.EventName));
        var error = Assert.IsType<EventReadError>(results[1]);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("record 2, ", error.Position, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_single_json_document_is_one_error_with_line_and_column()
    {
        var results = Fixtures.ReadText("{\n  \"eventSource\": \"iam.amazonaws.com\",\n  \"eventName\": nope\n}\n{\"more\": 1}");

        var error = Assert.IsType<EventReadError>(Assert.Single(results));
        Assert.Equal("line 3, column 17", error.Position); // where System.Text.Json gave up: the 'o' of "nope"
    }

    [Fact]
    public void Keys_after_the_records_array_are_read_past()
    {
        var record = File.ReadAllText(Fixtures.Real("iam/CreateRole__1.json"));

        var results = Fixtures.ReadText("{\"Events\":[{\"CloudTrailEvent\":" + JsonString(record) + "}],\"NextToken\":{\"Records\":[1]}}");

        Assert.Equal("CreateRole", Assert.IsType<EventRead>(Assert.Single(results)).Event.EventName);
    }

    [Fact]
    public void Progress_reports_bytes_against_the_total_known_up_front()
    {
        var reports = new List<ReadProgress>();
        var options = new EventReaderOptions { BufferBytes = 512, Progress = new SyncProgress(reports.Add) };
        var paths = new[] { Fixtures.Shape("s3-log-file.json"), Fixtures.Shape("s3-log-file.json.gz") };
        var total = paths.Sum(p => new FileInfo(p).Length);

        _ = new EventReader(options).Read(paths).ToList();

        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Equal(total, r.TotalBytes));
        Assert.Equal(total, reports[^1].BytesRead);
        Assert.Equal(reports.Select(r => r.BytesRead).Order(), reports.Select(r => r.BytesRead));
    }

    private static List<string> Describe(IEnumerable<EventReadResult> results) =>
        results.Select(r => r switch
        {
            EventRead e => $"{r.Position} event {e.Event.EventName} {e.Event.EventId}",
            EventReadError e => $"{r.Position} error {e.Message}",
            EventReadNote n => $"{r.Position} note {n.Message}",
            _ => "?",
        }).ToList();

    private static string JsonString(string value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private sealed class SyncProgress(Action<ReadProgress> report) : IProgress<ReadProgress>
    {
        public void Report(ReadProgress value) => report(value);
    }
}
