using Remediator.Core.Operations;
using Remediator.Operations;
using Remediator.Core;
using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Remediation;
using Remediator.Core.Rules;
using Remediator.Composition;
using Remediator.Composition.Planning;

namespace Remediator.Approvals.Tests;

/// <summary>The rule syntax of approve mode, and who may put a document back.</summary>
public sealed class RuleAndPlannerTests
{
    private const string RuleHead = """
        id: approve-trust
        description: trust policies open to anyone
        concern: iam-broad-permissions
        severity: high
        match: {source: [aws.iam], detail: {eventName: [UpdateAssumeRolePolicy]}}
        detect:
          iam-broad-policy: {}
        remediate:
          - revert: {}
          - notify: {channel: slack}

        """;

    [Fact]
    public void An_approval_block_is_read_with_its_defaults()
    {
        var set = GuardComposition.CreateLoader().LoadText(RuleHead + "mode: approve\napproval:\n  approvers: [U0123ABCD, S0456EFGH]\n", "r.yaml");
        Assert.True(set.IsValid, string.Join("; ", set.Errors));
        var rule = Assert.Single(set.Rules);
        Assert.Equal(RuleMode.Approve, rule.Mode);
        Assert.Equal(new ApprovalPolicy(rule.Approval!.Approvers, TimeSpan.FromHours(24), ExpiryOutcome.Notify, false), rule.Approval);
        Assert.Equal(["U0123ABCD", "S0456EFGH"], rule.Approval.Approvers);
    }

    [Fact]
    public void Every_approval_field_is_read()
    {
        var set = GuardComposition.CreateLoader().LoadText(RuleHead + "mode: approve\napproval:\n  approvers: [U0123ABCD]\n  expiresAfter: 90m\n  onExpiry: deny\n  contain: true\n", "r.yaml");
        Assert.True(set.IsValid, string.Join("; ", set.Errors));
        Assert.Equal(new ApprovalPolicy(set.Rules[0].Approval!.Approvers, TimeSpan.FromMinutes(90), ExpiryOutcome.Deny, true), set.Rules[0].Approval);
    }

    [Theory]
    [InlineData("mode: approve\n", "approval")]
    [InlineData("mode: approve\napproval:\n  approvers: []\n", "approval.approvers")]
    [InlineData("mode: approve\napproval: {}\n", "approval.approvers")]
    [InlineData("mode: approve\napproval:\n  approvers: [alice]\n", "approval.approvers[0]")]
    [InlineData("mode: approve\napproval:\n  approvers: [U0123ABCD]\n  onExpiry: explode\n", "approval.onExpiry")]
    [InlineData("mode: approve\napproval:\n  approvers: [U0123ABCD]\n  expiresAfter: 1s\n", "approval.expiresAfter")]
    [InlineData("mode: approve\napproval:\n  approvers: [U0123ABCD]\n  contain: maybe\n", "approval.contain")]
    [InlineData("mode: approve\napproval:\n  approvers: [U0123ABCD]\n  approver: [U0123ABCD]\n", "approval.approver")]
    public void Bad_approval_blocks_are_errors_that_name_the_field(string tail, string field)
    {
        var set = GuardComposition.CreateLoader().LoadText(RuleHead + tail, "r.yaml");
        Assert.False(set.IsValid);
        Assert.Contains(set.Errors, e => e.ToString().Contains(field, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RuleMode.Enforce, false, "iam:AttachRolePolicy")]
    [InlineData(RuleMode.Approve, true, "iam:AttachRolePolicy")]
    [InlineData(RuleMode.Approve, false, "iam:UpdateAssumeRolePolicy")]
    public void Only_a_person_approved_plan_puts_a_trust_policy_back(RuleMode mode, bool contain, string expected)
    {
        var set = GuardComposition.CreateLoader().LoadText(RuleHead + "mode: enforce\n", "r.yaml");
        Assert.True(set.IsValid, string.Join("; ", set.Errors));
        var rule = set.Rules[0] with { Mode = mode, Approval = new ApprovalPolicy(["U0123ABCD"], TimeSpan.FromHours(1), ExpiryOutcome.Notify, contain) };
        const string role = "arn:aws:iam::123456789012:role/app";
        var finding = new Finding(rule.Id, Concerns.IamBroadPermissions, role, "AWS::IAM::Role", Severity.High, "public-trust", "open trust", [])
        {
            RevertSteps =
            [
                OperationCatalogue.UpdateAssumeRolePolicy.Plan("revert", role, "Put back the previous trust policy of role 'app'.", new TrustPolicy("app", "{}")),
            ],
        };
        Assert.True(EventReader.TryParseOne("""{"eventSource":"iam.amazonaws.com","eventName":"UpdateAssumeRolePolicy","eventID":"e-1","requestParameters":{"roleName":"app"}}""", out var e, out _));
        var plan = new RemediationPlanner().Plan(rule, finding, e!, notifyOnly: false);
        var change = Assert.Single(plan, a => a.Action != "notify");
        Assert.Equal(expected, change.Operation);
        Assert.Equal(expected == "iam:UpdateAssumeRolePolicy", RemediationPlanner.PutsDocumentBack(change));
    }

    [Theory]
    [InlineData("AWS::IAM::Role", "arn:aws:iam::123456789012:role/app", "iam:TagRole")]
    [InlineData("AWS::IAM::User", "arn:aws:iam::123456789012:user/alice", "iam:TagUser")]
    [InlineData("AWS::Lambda::Function", "arn:aws:lambda:us-east-1:123456789012:function:f", "lambda:TagResource")]
    [InlineData("AWS::DynamoDB::Table", "arn:aws:dynamodb:us-east-1:123456789012:table/t", "dynamodb:TagResource")]
    public void Exempt_for_N_days_is_a_tag_step_of_the_operation_catalogue_with_the_expiry_as_its_value(string type, string arn, string operation)
    {
        var record = new Core.Audit.AuditRecord { Id = "e/r", EventId = "e", Rule = "r", Concern = Concerns.IamBroadPermissions, Resource = arn, ResourceType = type, Mode = RuleMode.Approve, Outcome = Core.Audit.AuditOutcome.Pending, RecordedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        var until = new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var step = new Detectors.Actions.TagExemptionPlanner("remediator:exempt").Plan(record, until);
        Assert.NotNull(step);
        Assert.Equal(operation, step.Operation);
        // The worker's executor finds it in the catalogue (no side path), with its permissions and its inverse (untag).
        var entry = OperationCatalogue.Find(step.Operation, step.Parameters);
        Assert.NotNull(entry);
        Assert.Contains(operation, entry.Permissions);
        Assert.Contains("2027-01-02T03:04:05Z", step.Parameters.ToJsonString(), StringComparison.Ordinal);
    }
}
