using static Remediator.Core.Tests.Audit.AuditSamples;

namespace Remediator.Core.Tests.Audit;

public sealed class AuditRecordTests
{
    private static readonly DateTimeOffset Now = T("2026-11-01T10:00:05Z");

    /// <summary>The record of <paramref name="decision"/>, made the way <see cref="AuditRecord.AllFrom"/> makes it (by rule and index).</summary>
    private static AuditRecord From(EventEvaluation evaluation, FindingDecision decision, DateTimeOffset now)
    {
        var rule = evaluation.Rules.Single(r => r.Findings.Contains(decision));
        return AuditRecord.From(evaluation, rule, rule.Findings.ToList().IndexOf(decision), now);
    }

    [Fact]
    public void An_enforced_plan_begins_in_progress_under_the_event_and_rule_id()
    {
        var decision = Decision();
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(eventId: "e-1", actor: Alice), RuleWith(decision));

        var record = From(evaluation, decision, Now);

        Assert.Equal("e-1/iam-no-admin", record.Id);
        Assert.Equal("e-1", record.EventId);
        Assert.Equal("iam-no-admin", record.Rule);
        Assert.Equal(T("2026-11-01T10:00:00Z"), record.EventTime);
        Assert.Equal(("111122223333", "us-east-1", Alice), (record.Account, record.Region, record.Actor));
        Assert.Equal((Concerns.IamBroadPermissions, RoleArn, "AWS::IAM::Role"), (record.Concern, record.Resource, record.ResourceType));
        Assert.Equal((Severity.High, "admin-wildcard"), (record.Severity, record.Check));
        Assert.Single(record.Evidence);
        Assert.Equal((RuleMode.Enforce, AuditOutcome.InProgress), (record.Mode, record.Outcome));
        Assert.Equal((Now, Now), (record.RecordedAt, record.UpdatedAt));
        Assert.Equal(["iam:DeleteRolePolicy", "notify:slack"], record.Actions.Select(a => a.Operation));
        Assert.All(record.Actions, a => Assert.Equal(ActionOutcome.Planned, a.Outcome));
        Assert.Equal("app", (string?)record.Actions[0].Parameters["RoleName"]);
        Assert.Null(record.ExpiresAt);
    }

    [Fact]
    public void The_recorded_parameters_are_a_copy_of_the_plans()
    {
        var decision = Decision();
        var record = From(Evaluation(EngineFakes.PutRolePolicy(), RuleWith(decision)), decision, Now);

        record.Actions[0].Parameters["RoleName"] = "changed";

        Assert.Equal("app", (string?)decision.PlannedActions[0].Parameters["RoleName"]);
    }

    [Theory]
    [InlineData(FindingOutcome.Planned, RuleMode.DryRun, AuditOutcome.Planned)]
    [InlineData(FindingOutcome.Planned, RuleMode.Enforce, AuditOutcome.InProgress)]
    [InlineData(FindingOutcome.Exempt, RuleMode.Enforce, AuditOutcome.Exempt)]
    [InlineData(FindingOutcome.NotifyOnly, RuleMode.Enforce, AuditOutcome.NotifyOnly)]
    [InlineData(FindingOutcome.NotifyOnly, RuleMode.DryRun, AuditOutcome.NotifyOnly)]
    public void The_engines_decision_sets_the_outcome(FindingOutcome decided, RuleMode mode, AuditOutcome expected)
    {
        var decision = Decision(decided, mode, reason: decided == FindingOutcome.Planned ? null : "because");
        var record = From(Evaluation(EngineFakes.PutRolePolicy(), RuleWith(decision)), decision, Now);

        Assert.Equal(expected, record.Outcome);
        Assert.Equal(mode, record.Mode);
        Assert.Equal(decision.Reason, record.Reason);
    }

    [Fact]
    public void An_enforced_plan_of_notifications_only_is_final_at_once()
    {
        var decision = Decision(actions: [Notify()]);
        var record = From(Evaluation(EngineFakes.PutRolePolicy(), RuleWith(decision)), decision, Now);

        Assert.Equal(AuditOutcome.NotifyOnly, record.Outcome);
    }

    [Fact]
    public void A_rules_second_finding_gets_its_own_deterministic_id()
    {
        var first = Decision(finding: Finding(resource: "arn:aws:iam::111122223333:role/a"));
        var second = Decision(finding: Finding(resource: "arn:aws:iam::111122223333:role/b"));
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(eventId: "e-9"), RuleWith(first, second));

        Assert.Equal("e-9/iam-no-admin", From(evaluation, first, Now).Id);
        Assert.Equal("e-9/iam-no-admin/2", From(evaluation, second, Now).Id);
        Assert.Equal("e-9/iam-no-admin/2", From(evaluation, second, Now.AddHours(1)).Id);
    }

    [Fact]
    public void A_decision_the_rule_does_not_have_is_refused()
    {
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(), RuleWith(Decision()));

        Assert.Throws<ArgumentOutOfRangeException>(() => AuditRecord.From(evaluation, evaluation.Rules[0], 1, Now));
    }

    [Fact]
    public void A_rule_not_applied_is_skipped_under_the_same_id_a_finding_would_take()
    {
        var rule = new RuleEvaluation(Rule(), RuleMode.Enforce, "actor arn:aws:iam::111122223333:user/break-glass is exempt", []);
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(eventId: "e-1"), rule);

        var record = AuditRecord.ForRule(evaluation, rule, Now);

        Assert.NotNull(record);
        Assert.Equal("e-1/iam-no-admin", record.Id);
        Assert.Equal(AuditOutcome.Skipped, record.Outcome);
        Assert.Equal("actor arn:aws:iam::111122223333:user/break-glass is exempt", record.Reason);
        Assert.Equal(Concerns.IamBroadPermissions, record.Concern);
        Assert.Empty(record.Actions);
    }

    [Fact]
    public void A_detector_error_is_a_failed_record_and_a_rule_that_found_nothing_has_none()
    {
        var failed = new RuleEvaluation(Rule(), RuleMode.DryRun, null, [], "fake failed: boom");
        var clean = new RuleEvaluation(Rule("other"), RuleMode.DryRun, null, []);
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(), failed, clean);

        var record = AuditRecord.ForRule(evaluation, failed, Now);

        Assert.Equal(AuditOutcome.Failed, record?.Outcome);
        Assert.Equal("fake failed: boom", record?.Reason);
        Assert.Null(AuditRecord.ForRule(evaluation, clean, Now));
    }

    [Fact]
    public void A_skipped_event_is_one_record_without_a_rule()
    {
        var evaluation = new EventEvaluation(EngineFakes.PutRolePolicy(eventId: "e-5", errorCode: "AccessDenied"), "failed call (AccessDenied): nothing changed", []);

        var records = AuditRecord.AllFrom(evaluation, RuleMode.Enforce, Now);

        var record = Assert.Single(records);
        Assert.Equal("e-5/-", record.Id);
        Assert.Equal(AuditRecord.NoRule, record.Rule);
        Assert.Equal(AuditOutcome.Skipped, record.Outcome);
        Assert.StartsWith("failed call", record.Reason, StringComparison.Ordinal);
        Assert.Null(AuditRecord.ForSkippedEvent(Evaluation(EngineFakes.PutRolePolicy()), RuleMode.Enforce, Now));
    }

    [Fact]
    public void All_records_of_an_evaluation_follow_its_rules_and_findings()
    {
        var notApplied = new RuleEvaluation(Rule("scoped"), RuleMode.Enforce, "region eu-west-1 is outside the rule's regions", []);
        var found = RuleWith(Decision(FindingOutcome.Exempt, reason: "exempt by tag"));
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(eventId: "e-7"), notApplied, found);

        var records = AuditRecord.AllFrom(evaluation, RuleMode.Enforce, Now);

        Assert.Equal(["e-7/scoped", "e-7/iam-no-admin"], records.Select(r => r.Id));
        Assert.Equal([AuditOutcome.Skipped, AuditOutcome.Exempt], records.Select(r => r.Outcome));
    }

    [Fact]
    public void An_event_without_an_id_is_keyed_by_a_digest_of_its_record()
    {
        const string Json = """{"eventSource": "iam.amazonaws.com", "eventName": "PutRolePolicy", "requestParameters": {"roleName": "x"}}""";
        var a = AuditRecord.EventKey(EngineFakes.Event(Json));
        var b = AuditRecord.EventKey(EngineFakes.Event(Json));
        var other = AuditRecord.EventKey(EngineFakes.Event(Json.Replace("\"x\"", "\"y\"", StringComparison.Ordinal)));

        Assert.StartsWith("sha256-", a, StringComparison.Ordinal);
        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
    }

    [Theory]
    [InlineData(ActionOutcome.Done, ActionOutcome.Verified, AuditOutcome.Applied)]
    [InlineData(ActionOutcome.Done, ActionOutcome.Failed, AuditOutcome.PartiallyApplied)]
    [InlineData(ActionOutcome.Done, ActionOutcome.NotAttempted, AuditOutcome.PartiallyApplied)]
    [InlineData(ActionOutcome.Failed, ActionOutcome.NotAttempted, AuditOutcome.Failed)]
    public void Completion_derives_the_outcome_from_the_changes_made(ActionOutcome first, ActionOutcome second, AuditOutcome expected)
    {
        var decision = Decision(actions: [Revert(), Revert(), Notify()]);
        var begun = From(Evaluation(EngineFakes.PutRolePolicy(), RuleWith(decision)), decision, Now) with { InProgressUntil = Now.AddMinutes(5) };
        var actions = new[] { begun.Actions[0] with { Outcome = first }, begun.Actions[1] with { Outcome = second }, begun.Actions[2] };

        var done = begun.Completed(actions, Now.AddSeconds(3));

        Assert.Equal(expected, done.Outcome);
        Assert.Equal(Now.AddSeconds(3), done.UpdatedAt);
        Assert.Equal(begun.RecordedAt, done.RecordedAt);
        Assert.Null(done.InProgressUntil);
    }

    [Fact]
    public void An_undo_is_a_new_record_of_the_same_event_pointing_back()
    {
        var original = Full();

        var undo = AuditRecord.ForUndo(original, [original.Actions[0] with { Operation = "iam:PutRolePolicy", Outcome = ActionOutcome.Planned }], RuleMode.Enforce, Now);
        var retry = AuditRecord.ForUndo(original, [], RuleMode.Enforce, Now, attempt: 2);

        Assert.Equal("e-1/iam-no-admin/undo", undo.Id);
        Assert.Equal("e-1/iam-no-admin/undo-2", retry.Id);
        Assert.Equal((original.Id, AuditOutcome.InProgress, Now), (undo.UndoOf, undo.Outcome, undo.RecordedAt));
        Assert.Equal("iam:PutRolePolicy", Assert.Single(undo.Actions).Operation);
        Assert.Equal(original.EventId, undo.Validated().EventId);
    }

    [Fact]
    public void A_record_whose_id_is_not_derived_from_its_event_is_refused()
    {
        var record = Full() with { Id = "other/iam-no-admin" };

        var error = Assert.Throws<ArgumentException>(() => record.Validated());
        Assert.Contains("other/iam-no-admin", error.Message, StringComparison.Ordinal);
    }
}
