using System.Text.Json;
using Remediator.Core.Audit;
using Remediator.Core.Rules;
using Remediator.Notifier.Slack;
using Remediator.Notifier.Tests.Support;

namespace Remediator.Notifier.Tests.Slack;

public sealed class SlackMessageBuilderTests
{
    private static readonly Uri Link = new("https://us-east-1.console.aws.amazon.com/dynamodbv2/home?region=us-east-1#edit-item?table=t&pk=EVENT%23e-1&sk=RULE%23r");

    [Fact]
    public void A_single_message_names_rule_severity_resource_actor_actions_undo_and_the_audit_link()
    {
        var record = Records.Applied();

        using var message = JsonDocument.Parse(SlackMessageBuilder.Single(Records.Notification(record, Link)));
        var blocks = message.RootElement.GetProperty("blocks");
        var text = AllText(message.RootElement);

        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("[HIGH] Remediated: iam-admin-wildcard", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("`iam-admin-wildcard`", text, StringComparison.Ordinal);
        Assert.Contains("*Severity*\nhigh", text, StringComparison.Ordinal);
        Assert.Contains("`arn:aws:iam::111122223333:role/app-admin`", text, StringComparison.Ordinal);
        Assert.Contains("`" + Records.Actor + "`", text, StringComparison.Ordinal);
        Assert.Contains("• Delete inline policy 'admin-all' from role app-admin. — done (`iam:DeleteRolePolicy`)", text, StringComparison.Ordinal);
        Assert.Contains("`remediator undo e-1/iam-admin-wildcard`", text, StringComparison.Ordinal);
        Assert.Contains("Audit record: <https://us-east-1.console.aws.amazon.com/dynamodbv2/home?region=us-east-1#edit-item?table=t&amp;pk=EVENT%23e-1&amp;sk=RULE%23r|e-1/iam-admin-wildcard>", text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(message.RootElement.GetProperty("text").GetString()));
    }

    [Fact]
    public void A_dry_run_says_what_would_have_been_done_and_offers_no_undo()
    {
        var record = Records.Record("e-2", "public-event-bus", "bus", AuditOutcome.Planned, RuleMode.DryRun, ActionOutcome.Planned, ["slack"]);

        var text = AllText(JsonDocument.Parse(SlackMessageBuilder.Single(Records.Notification(record))).RootElement);

        Assert.Contains("*What the guard would have done (dry-run)*", text, StringComparison.Ordinal);
        Assert.Contains("• would have: Delete inline policy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("remediator undo", text, StringComparison.Ordinal);
        Assert.Contains("Audit record: `e-2/public-event-bus`", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_step_shows_its_error()
    {
        var record = Records.Record("e-3", "r", "role", AuditOutcome.Failed, RuleMode.Enforce, ActionOutcome.Failed, ["slack"], error: "AccessDenied: not allowed");

        var text = AllText(JsonDocument.Parse(SlackMessageBuilder.Single(Records.Notification(record))).RootElement);

        Assert.Contains("— FAILED: AccessDenied: not allowed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("remediator undo", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_events_is_escaped_so_that_it_cannot_mention_or_link()
    {
        var record = Records.Applied() with
        {
            Summary = "policy <!channel> & <https://evil.example|click>",
            Actor = "arn:aws:sts::1:assumed-role/x/<@U123>",
            Reason = "a > b",
        };

        var text = AllText(JsonDocument.Parse(SlackMessageBuilder.Single(Records.Notification(record))).RootElement);

        Assert.Contains("policy &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;", text, StringComparison.Ordinal);
        Assert.Contains("`arn:aws:sts::1:assumed-role/x/&lt;@U123&gt;`", text, StringComparison.Ordinal);
        Assert.Contains("a &gt; b", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U123>", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a&amp;b", 5, "a…")]
    [InlineData("a&amp;bcdef", 8, "a&amp;b…")]
    [InlineData("abc&amp;def", 6, "abc…")]
    [InlineData("abcdef", 4, "abc…")]
    [InlineData("abc", 4, "abc")]
    public void Truncation_never_cuts_an_entity_in_half(string escaped, int limit, string expected)
    {
        Assert.Equal(expected, SlackText.Truncate(escaped, limit));
    }

    [Fact]
    public void A_burst_becomes_one_message_with_a_count_and_a_section_per_record()
    {
        var records = Enumerable.Range(1, 5).Select(i => Records.Notification(Records.Applied($"e-{i}", role: $"role-{i}"))).ToList();

        using var message = JsonDocument.Parse(SlackMessageBuilder.Aggregate(records));
        var blocks = message.RootElement.GetProperty("blocks").EnumerateArray().ToList();

        Assert.Equal("Remediator: 5 decisions", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("5 remediated", blocks[1].GetProperty("text").GetProperty("text").GetString());
        var sections = blocks.Skip(2).Where(b => b.GetProperty("type").GetString() == "section").Select(b => b.GetProperty("text").GetProperty("text").GetString()!).ToList();
        Assert.Equal(5, sections.Count);
        Assert.All(sections, s => Assert.Contains("remediator undo e-", s, StringComparison.Ordinal));
        Assert.Contains("`arn:aws:iam::111122223333:role/role-3`", sections[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(24, 50, 0)]
    [InlineData(25, 49, 2)]
    [InlineData(60, 49, 37)]
    public void A_large_burst_is_capped_at_fifty_blocks_and_says_how_many_more(int count, int expectedBlocks, int more)
    {
        var records = Enumerable.Range(1, count).Select(i => Records.Notification(Records.Applied($"e-{i}"))).ToList();

        using var message = JsonDocument.Parse(SlackMessageBuilder.Aggregate(records));
        var blocks = message.RootElement.GetProperty("blocks").EnumerateArray().ToList();

        Assert.Equal(expectedBlocks, blocks.Count);
        var last = AllText(blocks[^1]);
        if (more > 0)
        {
            Assert.Contains($"and {more} more", last, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("more (see", last, StringComparison.Ordinal);
        }
    }

    /// <summary>Every string in the message, one per line: what Slack would render, before rendering.</summary>
    internal static string AllText(JsonElement element)
    {
        var texts = new List<string>();
        Collect(element, texts);
        return string.Join("\n", texts);
    }

    private static void Collect(JsonElement element, List<string> texts)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, texts);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, texts);
                }

                break;
            case JsonValueKind.String:
                texts.Add(element.GetString()!);
                break;
        }
    }
}
