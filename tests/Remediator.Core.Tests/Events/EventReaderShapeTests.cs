using System.IO.Compression;
using System.Text;

namespace Remediator.Core.Tests.Events;

/// <summary>Every delivery shape, recognised from content (tests/fixtures/shapes wraps real records).</summary>
public sealed class EventReaderShapeTests
{
    private static readonly string[] S3FileEvents = ["CreateRole", "CreateFunction20150331", "CreateTable"];

    [Fact]
    public void S3_log_file_yields_each_record_with_its_position()
    {
        var results = Fixtures.ReadAll(Fixtures.Shape("s3-log-file.json"));

        Assert.Equal(S3FileEvents, results.Events().Select(e => e.EventName));
        Assert.Equal(3, results.Count);
        Assert.Equal("record 1, line 1, column 13", results[0].Position);
        Assert.StartsWith("record 2, line 1, column ", results[1].Position, StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_log_file_reads_like_the_plain_one()
    {
        var plain = Fixtures.ReadAll(Fixtures.Shape("s3-log-file.json"));
        var gzip = Fixtures.ReadAll(Fixtures.Shape("s3-log-file.json.gz"));

        Assert.Equal(plain.Events().Select(e => e.EventId), gzip.Events().Select(e => e.EventId));
        Assert.Equal(plain.Select(r => r.Position), gzip.Select(r => r.Position));
        Assert.Empty(gzip.Errors());
    }

    [Fact]
    public void Gzip_is_detected_by_magic_bytes_whatever_the_name()
    {
        using var temp = new Fixtures.TempDirectory();
        var misnamed = temp.File("log-without-gz-suffix.json");
        File.Copy(Fixtures.Shape("s3-log-file.json.gz"), misnamed);

        var results = Fixtures.ReadAll(misnamed);

        Assert.Equal(S3FileEvents, results.Events().Select(e => e.EventName));
        Assert.Empty(results.Errors());
    }

    [Fact]
    public void A_broken_record_is_one_error_naming_record_line_and_column_and_the_others_still_read()
    {
        var results = Fixtures.ReadAll(Fixtures.Shape("s3-log-file-one-broken-record.json"));

        Assert.Equal(3, results.Count);
        Assert.Equal(["CreateRole", "CreateTable"], results.Events().Select(e => e.EventName));
        var error = Assert.IsType<EventReadError>(results[1]);
        // System.Text.Json reports where it gave up: the ',' after "tru".
        Assert.Equal("record 2, line 52, column 20", error.Position);
        Assert.DoesNotContain("CreateFunction", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("s3-log-file-one-broken-record.json", error.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_lines_with_a_bad_line_in_the_middle_read_the_rest_and_name_the_line()
    {
        var results = Fixtures.ReadAll(Fixtures.Shape("events-with-bad-line.jsonl"));

        Assert.Equal(5, results.Count);
        Assert.Equal(["AttachRolePolicy", "CreateFunction20150331", "AttachRolePolicy", "CreateTable"], results.Events().Select(e => e.EventName));
        var error = Assert.IsType<EventReadError>(results[2]);
        Assert.Equal("line 3", error.Position);
        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(["line 1", "line 2", "line 3", "line 4 (Message)", "line 5"], results.Select(r => r.Position));
    }

    [Fact]
    public void Json_lines_are_detected_from_content_without_the_jsonl_suffix()
    {
        var text = File.ReadAllText(Fixtures.Shape("events-with-bad-line.jsonl")).Replace("this line is not JSON", "{\"eventSource\": tru}", StringComparison.Ordinal);

        var results = Fixtures.ReadText(text, "piped-input");

        Assert.Equal(4, results.Events().Count);
        var error = Assert.Single(results.Errors());
        Assert.Equal("line 3", error.Position);
    }

    [Fact]
    public void Json_lines_whose_first_line_is_broken_still_read_the_other_lines()
    {
        var good = File.ReadAllLines(Fixtures.Shape("events-with-bad-line.jsonl"))[1];
        var results = Fixtures.ReadText("{\"eventSource\": \"x\", oops}\n" + good + "\n" + good + "\n", "stdin");

        Assert.Equal(2, results.Events().Count);
        Assert.Equal("line 1", Assert.Single(results.Errors()).Position);
    }

    [Fact]
    public void Sns_notification_is_unwrapped()
    {
        var results = Fixtures.ReadAll(Fixtures.Shape("sns-notification.json"));

        var read = Assert.IsType<EventRead>(Assert.Single(results));
        Assert.Equal("AttachRolePolicy", read.Event.EventName);
        Assert.Equal("825688d9-11c0-e149-0ef0-7c996f7f1468", JsonText.String(read.Event.Envelope, "id"));
        Assert.Equal("2ee753fa-c79c-4b2a-9584-7a011d6fe763", read.Event.EventId);
        Assert.Equal("line 1 (Message)", read.Position);
    }

    [Fact]
    public void Bare_sns_message_is_unwrapped()
    {
        var read = Assert.IsType<EventRead>(Assert.Single(Fixtures.ReadAll(Fixtures.Shape("sns-message-only.json"))));

        Assert.Equal("AttachRolePolicy", read.Event.EventName);
    }

    [Fact]
    public void Sqs_lambda_event_bodies_are_unwrapped_whatever_they_hold()
    {
        var results = Fixtures.ReadAll(Fixtures.Shape("sqs-lambda-event.json"));

        Assert.Equal(2, results.Count);
        Assert.Equal(["AttachRolePolicy", "TagRole"], results.Events().Select(e => e.EventName));
        Assert.EndsWith("(body > Message)", results[0].Position, StringComparison.Ordinal);
        Assert.StartsWith("record 1, ", results[0].Position, StringComparison.Ordinal);
        Assert.EndsWith("(body)", results[1].Position, StringComparison.Ordinal);
    }

    [Fact]
    public void Sns_lambda_event_is_unwrapped_and_harness_keys_are_ignored()
    {
        var read = Assert.IsType<EventRead>(Assert.Single(Fixtures.ReadAll(Fixtures.Shape("sns-lambda-event.json"))));

        Assert.Equal("TagResource", read.Event.EventName);
        Assert.Equal("aws.apigateway", JsonText.String(read.Event.Envelope, "source"));
    }

    [Fact]
    public void Lookup_events_output_parses_each_record_string()
    {
        var results = Fixtures.ReadAll(Fixtures.Shape("lookup-events.json"));

        Assert.Equal(["PutRule", "CreateTable"], results.Events().Select(e => e.EventName));
        Assert.Equal(2, results.Count);
        Assert.EndsWith("(CloudTrailEvent)", results[0].Position, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_of_mixed_shapes_yields_one_event_each()
    {
        var results = Fixtures.ReadAll(Fixtures.Shape("array-of-shapes.json"));

        Assert.Equal(["TagResource", "CreateRole", "TagRole"], results.Events().Select(e => e.EventName));
        Assert.Equal(3, results.Count);
    }

    [Fact]
    public void The_shapes_directory_reads_every_shape_and_notes_the_other_files()
    {
        var results = Fixtures.ReadAll(Fixtures.Shapes);

        Assert.Equal(["README.md", "make_shapes.py"], results.Notes().Select(n => Path.GetFileName(n.File)).Order(StringComparer.Ordinal));
        Assert.Equal(2, results.Errors().Count); // the broken record and the bad JSON line
        // s3 plain 3, s3 gz 3, broken 2, sns 1, sns-only 1, sqs 2, lambda sns 1, lookup 2, array 3, jsonl 4
        Assert.Equal(22, results.Events().Count);
    }

    [Fact]
    public void Stdin_is_read_for_a_dash()
    {
        var bytes = File.ReadAllBytes(Fixtures.Shape("s3-log-file.json.gz"));
        var reader = new EventReader(EventReaderOptions.Default, () => new NonSeekableStream(bytes));

        var results = reader.Read(["-"]).ToList();

        Assert.Equal(S3FileEvents, results.Events().Select(e => e.EventName));
        Assert.All(results, r => Assert.Equal("-", r.File));
    }

    [Fact]
    public void Missing_files_are_errors_and_reading_goes_on()
    {
        var results = Fixtures.ReadAll("/nonexistent/remediator/file.json", Fixtures.Real("iam/CreateRole__1.json"));

        var error = Assert.IsType<EventReadError>(results[0]);
        Assert.Equal("file", error.Position);
        Assert.Contains("no such file", error.Message, StringComparison.Ordinal);
        Assert.IsType<EventRead>(results[1]);
    }

    [Fact]
    public void Records_without_event_source_or_name_are_errors()
    {
        var results = Fixtures.ReadText("""
            {"Records": [{"eventName": "CreateRole"}, {"eventSource": "iam.amazonaws.com"}, {"eventSource": "iam.amazonaws.com", "eventName": "CreateRole"}, 42]}
            """);

        Assert.Equal(4, results.Count);
        Assert.Contains("'eventSource'", Assert.IsType<EventReadError>(results[0]).Message, StringComparison.Ordinal);
        Assert.Contains("'eventName'", Assert.IsType<EventReadError>(results[1]).Message, StringComparison.Ordinal);
        Assert.IsType<EventRead>(results[2]);
        Assert.Contains("a number", Assert.IsType<EventReadError>(results[3]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_cloudtrail_eventbridge_event_is_a_note_not_an_error()
    {
        var results = Fixtures.ReadText("""{"version":"0","id":"x","detail-type":"Scheduled Event","source":"aws.events","detail":{}}""");

        var note = Assert.IsType<EventReadNote>(Assert.Single(results));
        Assert.Contains("'Scheduled Event' is not a CloudTrail event", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cloudtrail_envelope_without_its_record_fields_is_an_error()
    {
        var results = Fixtures.ReadText("""{"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","detail":{"eventName":"CreateRole"}}""");

        var error = Assert.IsType<EventReadError>(Assert.Single(results));
        Assert.Contains("'eventSource'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrapped_payload_that_is_not_json_is_an_error_naming_the_wrapper()
    {
        var results = Fixtures.ReadText("""{"Records": [{"body": "not json"}]}""");

        var error = Assert.IsType<EventReadError>(Assert.Single(results));
        Assert.EndsWith("(body)", error.Position, StringComparison.Ordinal);
        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_inputs_are_notes()
    {
        Assert.Equal("no JSON content", Assert.IsType<EventReadNote>(Assert.Single(Fixtures.ReadText("  \n\n "))).Message);
        Assert.Contains("no records", Assert.IsType<EventReadNote>(Assert.Single(Fixtures.ReadText("""{"Records": []}"""))).Message, StringComparison.Ordinal);
        Assert.Contains("no records", Assert.IsType<EventReadNote>(Assert.Single(Fixtures.ReadText("[]"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_files_from_a_trail_bucket_are_notes()
    {
        var results = Fixtures.ReadText("""{"awsAccountId":"123456789012","digestPublicKeyFingerprint":"abc","logFiles":[]}""");

        Assert.IsType<EventReadNote>(Assert.Single(results));
    }

    [Fact]
    public void Parse_one_accepts_any_shape_holding_one_event()
    {
        var envelope = File.ReadAllText(Fixtures.Real("iam/TagRole__1.json"));
        var sns = File.ReadAllText(Fixtures.Shape("sns-notification.json"));

        Assert.Equal("TagRole", EventReader.ParseOne(envelope).EventName);
        Assert.Equal("AttachRolePolicy", EventReader.ParseOne(sns).EventName);
    }

    [Fact]
    public void Parse_one_refuses_several_events_or_broken_json()
    {
        var s3File = File.ReadAllText(Fixtures.Shape("s3-log-file.json"));

        Assert.Contains("found 3", Assert.Throws<FormatException>(() => EventReader.ParseOne(s3File)).Message, StringComparison.Ordinal);
        Assert.False(EventReader.TryParseOne("{\"eventSource\": ", out _, out var problem));
        Assert.Contains("line 1", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_ignored()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(File.ReadAllBytes(Fixtures.Real("iam/CreateRole__1.json"))).ToArray();

        Assert.IsType<EventRead>(Assert.Single(Fixtures.ReadBytes(bytes)));
    }

    [Fact]
    public void Gzip_json_lines_read_line_by_line()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(File.ReadAllBytes(Fixtures.Shape("events-with-bad-line.jsonl")));
        }

        var results = Fixtures.ReadBytes(buffer.ToArray(), "events.jsonl.gz");

        Assert.Equal(4, results.Events().Count);
        Assert.Equal("line 3", Assert.Single(results.Errors()).Position);
    }

    /// <summary>Stands in for stdin: a pipe cannot seek.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
