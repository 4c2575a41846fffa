using Remediator.Cli.Output;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Rules;

namespace Remediator.Cli.Tests;

/// <summary>People read before/after states in <c>audit</c> and <c>undo</c>: plain JSON, never <c>\u0022</c> escapes.</summary>
public sealed class AuditTextTests
{
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private static AuditRecord Record(string? before, string? after) => new()
    {
        Id = "e1/rule",
        EventId = "e1",
        Rule = "rule",
        Resource = "arn:aws:iam::123456789012:role/app",
        Mode = RuleMode.Enforce,
        Outcome = AuditOutcome.Applied,
        RecordedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        Actions = [new AuditAction { Action = "revert", Operation = "iam:DeleteRolePolicy", Resource = "r", Before = before, After = after, Outcome = ActionOutcome.Verified }],
    };

    [Fact]
    public void A_policy_document_kept_as_text_in_a_state_prints_as_plain_json()
    {
        var stored = StepStates.Of(StepStates.PolicyDocument, Document);
        Assert.Contains("\\u0022", stored, StringComparison.Ordinal); // what the trail stores, and what people used to see

        var block = AuditText.Block(Record(stored, StepStates.Of(StepStates.PolicyDocument, (string?)null)));

        Assert.DoesNotContain("\\u0022", block, StringComparison.Ordinal);
        Assert.DoesNotContain("\\\"", block, StringComparison.Ordinal);
        Assert.Contains("""before {"PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}""", block, StringComparison.Ordinal);
        Assert.Contains("""after  {"PolicyDocument":null}""", block, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "-")]
    [InlineData("not json", "not json")]
    [InlineData("""{"Timeout":3}""", """{"Timeout":3}""")]
    [InlineData("""{"Note":"it's <done> & \u0022kept\u0022"}""", """{"Note":"it's <done> & \"kept\""}""")]
    [InlineData("""{"Tags":{"owner":"{not json"}}""", """{"Tags":{"owner":"{not json"}}""")]
    public void States_print_readably_whatever_their_shape(string? state, string expected)
    {
        Assert.Equal(expected, StateText.Readable(state));
    }
}
