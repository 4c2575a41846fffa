using System.IO.Compression;
using System.Text;
using Remediator.Core.Patterns;

namespace Remediator.Core.Tests.Events;

/// <summary>
/// One bad record costs one error, never the run; every line is accounted for; and the shapes other services deliver
/// (AWS Config, .zip archives) are read or noted, not called malformed.
/// </summary>
public sealed class EventReaderRobustnessTests
{
    private static string Envelope(string id, string name = "GetRole", string extra = "") =>
        "{\"version\":\"0\",\"id\":\"env-" + id + "\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\"," +
        "\"account\":\"123456789012\",\"time\":\"2024-05-01T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[]," +
        "\"detail\":{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"" + name + "\",\"eventID\":\"" + id + "\"," +
        "\"eventTime\":\"2024-05-01T12:00:00Z\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::123456789012:user/dev\"}," +
        "\"requestParameters\":{\"roleName\":\"app\"" + extra + "}}}";

    [Theory]
    [InlineData("events.jsonl")]
    [InlineData("events.json")]
    [InlineData("-")]
    public void Truncated_lines_alternating_with_valid_events_lose_no_valid_event(string name)
    {
        var lines = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var valid = Envelope($"e{i}");
            lines.Add(valid[..(valid.Length * (i + 1) / 42)]);
            lines.Add(valid);
        }

        var results = Fixtures.ReadText(string.Join("\n", lines) + "\n", name);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"e{i}"), results.Events().Select(e => e.EventId));
        Assert.Equal(40, results.Errors().Count);
        Assert.Equal(lines.Count, results.Count);
    }

    [Fact]
    public void Invalid_utf8_in_one_line_is_one_error_and_the_next_line_is_read()
    {
        byte[] bad = [.. Encoding.UTF8.GetBytes(Envelope("a")[..40]), 0xff, 0xfe, .. Encoding.UTF8.GetBytes(Envelope("a")[40..])];
        byte[] file = [.. Encoding.UTF8.GetBytes(Envelope("first") + "\n"), .. bad, (byte)'\n', .. Encoding.UTF8.GetBytes(Envelope("last") + "\n")];

        var results = Fixtures.ReadBytes(file, "events.jsonl");

        Assert.Equal(["first", "last"], results.Events().Select(e => e.EventId));
        var error = Assert.Single(results.Errors());
        Assert.Equal("line 2", error.Position);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_one_record_of_an_s3_log_file_is_one_error()
    {
        var good = "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"GetRole\",\"eventID\":\"r\"}";
        byte[] file = [.. Encoding.UTF8.GetBytes("{\"Records\":[" + good + ",{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"Get"), 0xc3, .. Encoding.UTF8.GetBytes("\"}," + good + "]}")];

        var results = Fixtures.ReadBytes(file, "log.json");

        Assert.Equal(2, results.Events().Count);
        Assert.Contains("UTF-8", Assert.Single(results.Errors()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(500, true)]
    [InlineData(600, false)]
    [InlineData(1000, false)]
    public void Nesting_beyond_the_limit_is_one_error_and_within_it_an_event(int depth, bool readable)
    {
        var deep = Envelope("deep", extra: ",\"x\":" + new string('[', depth) + new string(']', depth));
        var raw = "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"GetRole\",\"x\":" + new string('[', depth) + new string(']', depth) + "}";

        var results = Fixtures.ReadText(deep + "\n" + raw + "\n" + Envelope("after") + "\n", "events.jsonl");

        Assert.Equal(readable ? 3 : 1, results.Events().Count);
        Assert.Equal(readable ? 0 : 2, results.Errors().Count);
        Assert.Equal("after", results.Events()[^1].EventId);
    }

    [Fact]
    public void An_escaped_lone_surrogate_is_one_error_not_an_exception()
    {
        var results = Fixtures.ReadText(Envelope("s").Replace("GetRole", "Get\\ud800Role", StringComparison.Ordinal) + "\n" + Envelope("t") + "\n", "events.jsonl");

        Assert.Equal(["t"], results.Events().Select(e => e.EventId));
        Assert.Contains("surrogate", Assert.Single(results.Errors()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aws_config_rule_payload_is_a_note_like_other_services_events()
    {
        var config = "{\"version\":\"1.0\",\"invokingEvent\":\"{\\\"messageType\\\":\\\"ConfigurationItemChangeNotification\\\"}\"," +
            "\"ruleParameters\":\"{}\",\"resultToken\":\"t\",\"eventLeftScope\":false,\"configRuleName\":\"r\",\"accountId\":\"123456789012\"}";
        var bus = "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"Config Rules Compliance Change\",\"source\":\"aws.config\",\"detail\":{\"configRuleName\":\"r\"}}";

        var results = Fixtures.ReadText(config + "\n" + bus + "\n", "events.jsonl");

        Assert.Empty(results.Errors());
        Assert.Equal(2, results.Notes().Count);
    }

    [Fact]
    public void A_zip_archive_reads_like_a_folder_of_json_and_gzip_files()
    {
        var dir = Directory.CreateTempSubdirectory("remediator-zip-");
        try
        {
            var zip = Path.Combine(dir.FullName, "trail.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                Write(archive, "b/log.json.gz", Gzip("{\"Records\":[{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"GetRole\",\"eventID\":\"gz1\"}]}"));
                Write(archive, "a/events.jsonl", Encoding.UTF8.GetBytes(Envelope("j1") + "\n" + Envelope("j2") + "\n"));
                Write(archive, "README.txt", "hello"u8.ToArray());
            }

            // Named explicitly, and found in a folder walk.
            foreach (var path in new[] { zip, dir.FullName })
            {
                var results = Fixtures.ReadAll(path);

                Assert.Equal(["j1", "j2", "gz1"], results.Events().Select(e => e.EventId));
                var note = Assert.Single(results.Notes());
                Assert.Equal(zip + "!README.txt", note.File);
                Assert.Equal(zip + "!a/events.jsonl", results.OfType<EventRead>().First().File);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_broken_zip_archive_is_one_error()
    {
        var dir = Directory.CreateTempSubdirectory("remediator-zip-");
        try
        {
            var zip = Path.Combine(dir.FullName, "broken.zip");
            File.WriteAllBytes(zip, [.. "PK\x03\x04"u8, .. new byte[64]]);

            var error = Assert.IsType<EventReadError>(Assert.Single(Fixtures.ReadAll(zip)));

            Assert.Contains("zip archive", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_delivery_key_tells_apart_records_that_share_an_id_but_not_formatting()
    {
        var first = EventReader.ParseOne(Envelope("same"));
        var other = EventReader.ParseOne(Envelope("same", name: "DeleteRole"));
        var otherRequest = EventReader.ParseOne(Envelope("same", extra: ",\"x\":1"));
        var pretty = EventReader.ParseOne(System.Text.Json.Nodes.JsonNode.Parse(Envelope("same"))!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        Assert.NotEqual(first.DeliveryKey, other.DeliveryKey);
        Assert.NotEqual(first.DeliveryKey, otherRequest.DeliveryKey);
        Assert.Equal(first.DeliveryKey, pretty.DeliveryKey);
    }

    [Fact]
    public void The_delivery_key_reads_the_event_time_as_text_and_tells_apart_every_identifying_field()
    {
        var first = EventReader.ParseOne(Envelope("same"));
        var escapedTime = EventReader.ParseOne(Envelope("same").Replace("\"eventTime\":\"2024", "\"eventTime\":\"\\u0032024", StringComparison.Ordinal));
        var otherTime = EventReader.ParseOne(Envelope("same").Replace("\"eventTime\":\"2024-05-01T12:00:00Z", "\"eventTime\":\"2024-05-01T12:00:01Z", StringComparison.Ordinal));
        var otherActor = EventReader.ParseOne(Envelope("same").Replace("user/dev", "user/ops", StringComparison.Ordinal));
        var otherId = EventReader.ParseOne(Envelope("other"));

        Assert.Equal(first.DeliveryKey, escapedTime.DeliveryKey);
        Assert.NotEqual(first.DeliveryKey, otherTime.DeliveryKey);
        Assert.NotEqual(first.DeliveryKey, otherActor.DeliveryKey);
        Assert.NotEqual(first.DeliveryKey, otherId.DeliveryKey);
        Assert.Equal("same", first.DeliveryKey!.Value.EventId);
    }

    [Fact]
    public void The_guard_path_parses_bytes_once_and_refuses_invalid_utf8()
    {
        Assert.True(EventReader.TryParseOne(Encoding.UTF8.GetBytes(Envelope("ok")), out var parsed, out _));
        Assert.Equal("ok", parsed!.EventId);

        byte[] bad = [.. Encoding.UTF8.GetBytes(Envelope("bad")[..50]), 0xff, .. Encoding.UTF8.GetBytes(Envelope("bad")[50..])];
        Assert.False(EventReader.TryParseOne(bad, out _, out var problem));
        Assert.Contains("UTF-8", problem, StringComparison.Ordinal);

        Assert.False(EventReader.TryParseOne(Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 700)), out _, out problem));
        Assert.DoesNotContain("[[", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void With_an_interest_events_no_pattern_wants_are_counted_and_everything_else_reads_as_before()
    {
        var interest = new EventInterest([EventPattern.Parse("""{"detail": {"eventName": ["DeleteRole"]}}""")]);
        var lines = new[]
        {
            Envelope("unwanted"),
            Envelope("wanted", name: "DeleteRole"),
            Envelope("empty").Replace("\"eventSource\":\"iam.amazonaws.com\"", "\"eventSource\":\"\"", StringComparison.Ordinal),
            "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":{}}",
            "{\"truncated\":",
        };
        var text = string.Join("\n", lines) + "\n";

        var with = Fixtures.ReadText(text, "events.jsonl", new EventReaderOptions { Interest = interest });
        var without = Fixtures.ReadText(text, "events.jsonl");

        Assert.Equal(lines.Length, with.Count);
        Assert.IsType<EventNotWanted>(with[0]);
        Assert.Equal("wanted", Assert.Single(with.Events()).EventId);
        Assert.Equal(without.Skip(1).Select(r => r.GetType()), with.Skip(1).Select(r => r.GetType()));
        Assert.Equal(without.Errors().Select(e => e.Message), with.Errors().Select(e => e.Message));
    }

    private static void Write(ZipArchive archive, string name, byte[] content)
    {
        using var stream = archive.CreateEntry(name).Open();
        stream.Write(content);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
