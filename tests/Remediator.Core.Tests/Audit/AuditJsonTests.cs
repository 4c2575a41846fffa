using static Remediator.Core.Tests.Audit.AuditSamples;

namespace Remediator.Core.Tests.Audit;

public sealed class AuditJsonTests
{
    [Fact]
    public void A_record_survives_a_round_trip_through_its_json()
    {
        var record = Full();

        var json = AuditJson.ToJson(record);
        var back = AuditJson.Parse(json);

        Assert.Equal(json, AuditJson.ToJson(back));
        Assert.Equal((record.Id, record.EventId, record.Rule, record.Resource), (back.Id, back.EventId, back.Rule, back.Resource));
        Assert.Equal((record.Mode, record.Outcome, record.Severity), (back.Mode, back.Outcome, back.Severity));
        Assert.Equal(record.Summary, back.Summary);
        Assert.Equal(record.Evidence, back.Evidence);
        Assert.Equal((record.RecordedAt, record.UpdatedAt, record.ExpiresAt, record.EventTime), (back.RecordedAt, back.UpdatedAt, back.ExpiresAt, back.EventTime));
        Assert.Equal(record.Actions[0].Before, back.Actions[0].Before);
        Assert.Equal(record.Actions[0].StartedAt, back.Actions[0].StartedAt);
        Assert.Equal(3, (int?)back.Actions[0].Parameters["Nested"]?["N"]);
        Assert.Equal((ActionOutcome.Failed, "AccessDenied: not allowed"), (back.Actions[1].Outcome, back.Actions[1].Error));
        Assert.Null(back.Actions[1].Before);
    }

    [Fact]
    public void A_record_without_resource_and_optional_fields_survives_a_round_trip()
    {
        var record = Full() with
        {
            Resource = string.Empty,
            ResourceType = string.Empty,
            Severity = null,
            Check = null,
            EventTime = null,
            Evidence = [],
            Actions = [Full().Actions[1] with { Resource = string.Empty }],
            ExpiresAt = null,
        };

        var back = AuditJson.Parse(AuditJson.ToJson(record));

        Assert.Equal(AuditJson.ToJson(record), AuditJson.ToJson(back));
        Assert.Equal(string.Empty, back.Actions[0].Resource);
        Assert.Null(back.Severity);
    }

    [Fact]
    public void The_json_names_the_fields_the_cli_promises_and_embeds_states_as_json()
    {
        using var document = JsonDocument.Parse(AuditJson.ToJson(Full() with { Mode = RuleMode.DryRun }, indented: true));
        var root = document.RootElement;

        Assert.Equal("e-1/iam-no-admin", root.GetProperty("id").GetString());
        Assert.Equal("e-1", root.GetProperty("eventId").GetString());
        Assert.Equal("iam-no-admin", root.GetProperty("rule").GetString());
        Assert.Equal("iam-broad-permissions", root.GetProperty("concern").GetString());
        Assert.Equal(RoleArn, root.GetProperty("resource").GetString());
        Assert.Equal("dry-run", root.GetProperty("mode").GetString());
        Assert.Equal("partially-applied", root.GetProperty("outcome").GetString());
        Assert.Equal("high", root.GetProperty("severity").GetString());
        var action = root.GetProperty("actions")[0];
        Assert.Equal("done", action.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Object, action.GetProperty("before").ValueKind);
        Assert.Equal("2026-11-01T10:00:01.0000000Z", root.GetProperty("recordedAt").GetString());
    }

    [Fact]
    public void Times_sort_as_text_in_the_order_they_happened()
    {
        var earlier = AuditJson.FormatTime(T("2026-11-01T09:59:59.9Z"));
        var later = AuditJson.FormatTime(DateTimeOffset.Parse("2026-11-01T12:00:00+02:00", System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} should sort before {later}");
        Assert.Equal("2026-11-01T10:00:00.0000000Z", later);
    }

    [Theory]
    [InlineData("""{"eventId":"e","rule":"r","mode":"enforce","outcome":"applied","recordedAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}""", "'id'")]
    [InlineData("""{"id":"e/r","eventId":"e","rule":"r","mode":"enforce","outcome":"done","recordedAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}""", "outcome 'done'")]
    [InlineData("""{"id":"e/r","eventId":"e","rule":"r","mode":"yes","outcome":"applied","recordedAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}""", "mode 'yes'")]
    [InlineData("""{"id":"e/r","eventId":"e","rule":"r","mode":"enforce","outcome":"applied","recordedAt":"yesterday","updatedAt":"2026-01-01T00:00:00Z"}""", "'recordedAt'")]
    [InlineData("""{"id":"e/r","eventId":"e","rule":"r","mode":"enf""", "not a JSON audit record")]
    [InlineData("""{"id":"e/r","eventId":"e","rule":"r","mode":"enforce","outcome":"pending","recordedAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","approval":{"approvers":[],"decideBy":"soon","onExpiry":"deny","contain":false}}""", "'approval.decideBy'")]
    [InlineData("""{"id":"e/r","eventId":"e","rule":"r","mode":"enforce","outcome":"applied","recordedAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","actions":[{"action":"tag","operation":"iam:TagRole","resource":"r"}]}""", "'outcome'")]
    [InlineData("""{"id":"","eventId":"e","rule":"r","mode":"enforce","outcome":"applied","recordedAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}""", "missing field 'id'")]
    public void A_line_that_is_not_a_record_is_refused_naming_the_problem(string json, string expected)
    {
        Assert.False(AuditJson.TryParse(json, out var record, out var problem));
        Assert.Null(record);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_are_written_as_one_array_for_the_cli()
    {
        var json = AuditJson.ToJsonArray([Full(), Full(eventId: "e-2")]);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(["e-1/iam-no-admin", "e-2/iam-no-admin"], document.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }
}
