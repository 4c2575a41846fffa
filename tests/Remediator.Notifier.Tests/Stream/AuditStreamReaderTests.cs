using Remediator.Core.Audit;
using Remediator.Core.Rules;
using Remediator.Notifier.Stream;
using Remediator.Notifier.Tests.Support;
using Remediator.Runtime;

namespace Remediator.Notifier.Tests.Stream;

public sealed class AuditStreamReaderTests
{
    [Fact]
    public void The_fixture_batch_tells_only_the_completed_revert_and_the_dry_run()
    {
        var decisions = AuditStreamReader.Read(File.ReadAllBytes(Records.FixturePath("audit-table-batch.json")));

        Assert.Equal(6, decisions.Count);
        var told = decisions.Where(d => d.Notification is not null).ToList();
        Assert.Equal(["100000000000000000002", "100000000000000000003"], told.Select(d => d.ItemIdentifier));
        Assert.Equal(["slack", "sns"], told[0].Notification!.Channels);
        Assert.Equal(AuditOutcome.Applied, told[0].Notification!.Record.Outcome);
        Assert.Equal(["slack"], told[1].Notification!.Channels);
        Assert.Equal(RuleMode.DryRun, told[1].Notification!.Record.Mode);
        Assert.All(decisions.Where(d => d.Notification is null), d => Assert.NotNull(d.SilentReason));
        Assert.Contains("not told", decisions[0].SilentReason, StringComparison.Ordinal);
        Assert.Contains("removed", decisions[5].SilentReason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_link_opens_the_item_in_the_dynamodb_console_of_the_streams_region()
    {
        var decisions = AuditStreamReader.Read(File.ReadAllBytes(Records.FixturePath("audit-table-batch.json")));

        var link = decisions[1].Notification!.AuditLink;

        Assert.NotNull(link);
        Assert.Equal("us-east-1.console.aws.amazon.com", link.Host);
        Assert.Contains("table=remediator-audit", link.Fragment, StringComparison.Ordinal);
        Assert.Contains("pk=EVENT%23e-0001", link.Fragment, StringComparison.Ordinal);
        Assert.Contains("sk=RULE%23iam-admin-wildcard", link.Fragment, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "RULE#r")]
    [InlineData("arn:aws-cn:dynamodb:cn-north-1:111122223333:table/t/stream/x", "RULE#r")]
    [InlineData("arn:aws:sqs:us-east-1:111122223333:queue", "RULE#r")]
    public void No_link_is_made_when_the_source_is_not_a_standard_partition_table_stream(string? arn, string sortKey)
    {
        Assert.Null(AuditConsoleLink.For(arn, "EVENT#e", sortKey));
    }

    [Fact]
    public void A_modify_that_keeps_a_told_outcome_is_silent()
    {
        var applied = Records.Applied();
        var touched = applied with { UpdatedAt = applied.UpdatedAt.AddMinutes(1) };

        var decision = Assert.Single(AuditStreamReader.Read(Records.Batch(Records.StreamRecord("MODIFY", "7", touched, applied))));

        Assert.Null(decision.Notification);
        Assert.Contains("already told", decision.SilentReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_completion_without_an_old_image_is_told_once_as_the_policy_says()
    {
        var decision = Assert.Single(AuditStreamReader.Read(Records.Batch(Records.StreamRecord("MODIFY", "8", Records.Applied()))));

        Assert.NotNull(decision.Notification);
        Assert.Equal("8", decision.ItemIdentifier);
    }

    [Theory]
    [InlineData(AuditOutcome.Applied, true)]
    [InlineData(AuditOutcome.PartiallyApplied, true)]
    [InlineData(AuditOutcome.Failed, true)]
    [InlineData(AuditOutcome.NotifyOnly, true)]
    [InlineData(AuditOutcome.Planned, true)]
    [InlineData(AuditOutcome.InProgress, false)]
    [InlineData(AuditOutcome.Skipped, false)]
    [InlineData(AuditOutcome.Exempt, false)]
    [InlineData(AuditOutcome.Undone, false)]
    public void Inserted_records_are_told_by_outcome(AuditOutcome outcome, bool told)
    {
        var record = Records.Applied() with { Outcome = outcome };

        var decision = Assert.Single(AuditStreamReader.Read(Records.Inserts(record)));

        Assert.Equal(told, decision.Notification is not null);
    }

    [Fact]
    public void A_record_without_a_notify_step_is_silent()
    {
        var record = Records.Record("e-9", "r", "role", AuditOutcome.Applied, RuleMode.Enforce, ActionOutcome.Done, []);

        var decision = Assert.Single(AuditStreamReader.Read(Records.Inserts(record)));

        Assert.Null(decision.Notification);
        Assert.Equal("its plan has no notify step", decision.SilentReason);
    }

    [Fact]
    public void An_item_whose_record_is_not_an_audit_record_is_a_problem_not_an_exception()
    {
        var stream = Records.StreamRecord("INSERT", "9", Records.Applied());
        stream["dynamodb"]!["NewImage"]!["record"] = new System.Text.Json.Nodes.JsonObject { ["S"] = "{\"id\":\"x\"" };

        var decision = Assert.Single(AuditStreamReader.Read(Records.Batch(stream)));

        Assert.Null(decision.Notification);
        Assert.StartsWith("the item's 'record' is not an audit record", decision.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"detail\":{}}")]
    public void An_event_that_is_no_stream_batch_is_an_invalid_event(string payload)
    {
        Assert.Throws<InvalidEventException>(() => AuditStreamReader.Read(System.Text.Encoding.UTF8.GetBytes(payload)));
    }
}
