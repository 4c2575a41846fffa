namespace Remediator.Core.Tests.Events;

/// <summary>The 49 real records bundled in tests/fixtures/cloudtrail, read one by one and as a directory.</summary>
public sealed class EventReaderFixtureTests
{
    public static TheoryData<string> RealRecords()
    {
        var data = new TheoryData<string>();
        foreach (var path in Fixtures.AllRealRecords())
        {
            data.Add(Path.GetRelativePath(Fixtures.CloudTrail, path));
        }

        return data;
    }

    [Fact]
    public void All_49_real_records_are_bundled() => Assert.Equal(49, Fixtures.AllRealRecords().Count);

    [Theory]
    [MemberData(nameof(RealRecords))]
    public void Every_real_record_reads_as_exactly_one_event(string relative)
    {
        var path = Fixtures.Real(relative);
        var results = Fixtures.ReadAll(path);

        var single = Assert.Single(results);
        var read = Assert.IsType<EventRead>(single);
        Assert.Equal(path, read.File);
        Assert.Equal("line 1", read.Position);

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var record = root.TryGetProperty("detail", out var detail) ? detail : root;
        Assert.Equal(record.GetProperty("eventSource").GetString(), read.Event.EventSource);
        Assert.Equal(record.GetProperty("eventName").GetString(), read.Event.EventName);
        Assert.Equal(relative.Split(Path.DirectorySeparatorChar)[1].Split("__")[0], read.Event.EventName);
    }

    [Theory]
    [InlineData("iam/TagRole__1.json")]
    [InlineData("iam/TagRole__2.json")]
    [InlineData("iam/AttachRolePolicy__3.json")]
    [InlineData("apigateway/TagResource__1.json")]
    [InlineData("s3/CreateBucket__1.json")]
    public void Envelopes_keep_their_own_id_apart_from_the_event_id(string relative)
    {
        var path = Fixtures.Real(relative);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var envelopeId = document.RootElement.GetProperty("id").GetString();
        var eventId = document.RootElement.GetProperty("detail").GetProperty("eventID").GetString();

        var read = Assert.IsType<EventRead>(Assert.Single(Fixtures.ReadAll(path)));

        Assert.NotEqual(envelopeId, eventId);
        Assert.Equal(eventId, read.Event.EventId);
        Assert.Equal(envelopeId, JsonText.String(read.Event.Envelope, "id"));
        Assert.Equal(document.RootElement.GetProperty("source").GetString(), JsonText.String(read.Event.Envelope, "source"));
    }

    [Fact]
    public void An_old_envelope_without_version_is_still_an_envelope()
    {
        var read = Assert.IsType<EventRead>(Assert.Single(Fixtures.ReadAll(Fixtures.Real("s3/CreateBucket__1.json"))));

        Assert.False(read.Event.Envelope.TryGetProperty("version", out _));
        Assert.Equal("3603e3ef-985e-487a-a85b-f4144102544b", JsonText.String(read.Event.Envelope, "id"));
        Assert.Equal("80486b96-9f31-441e-b4e2-b85a4e520a07", read.Event.EventId);
    }

    [Fact]
    public void Raw_records_get_a_synthesised_envelope_whose_id_is_the_event_id()
    {
        var read = Assert.IsType<EventRead>(Assert.Single(Fixtures.ReadAll(Fixtures.Real("iam/CreateRole__1.json"))));

        Assert.Equal("aws.iam", JsonText.String(read.Event.Envelope, "source"));
        Assert.Equal(CloudTrailEvent.ApiCallDetailType, JsonText.String(read.Event.Envelope, "detail-type"));
        Assert.Equal(read.Event.EventId, JsonText.String(read.Event.Envelope, "id"));
    }

    [Fact]
    public void The_fixture_directory_reads_as_49_events_in_path_order_and_notes_for_the_markdown_files()
    {
        var results = Fixtures.ReadAll(Fixtures.CloudTrail);

        Assert.Equal(49, results.Events().Count);
        Assert.Empty(results.Errors());
        var notes = results.Notes();
        Assert.Equal(["NOTES.md", "SOURCES.md"], notes.Select(n => Path.GetFileName(n.File)).Order(StringComparer.Ordinal));
        Assert.All(notes, n => Assert.StartsWith("skipped", n.Message, StringComparison.Ordinal));

        var files = results.Select(r => r.File).ToList();
        Assert.Equal(files.Order(StringComparer.Ordinal), files);
    }
}
