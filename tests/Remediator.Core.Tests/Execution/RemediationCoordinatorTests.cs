using static Remediator.Core.Tests.Audit.AuditSamples;

namespace Remediator.Core.Tests.Execution;

public sealed class RemediationCoordinatorTests() : TempStoreTests(T("2026-11-01T10:00:05Z"))
{
    private static PlannedAction Tag() =>
        new(ActionNames.Tag, "iam:TagRole", RoleArn, "tag it")
        {
            Parameters = new JsonObject { ["RoleName"] = "app", ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "remediated", ["Value"] = "yes" }) },
        };

    private static EventEvaluation Enforced(params PlannedAction[] actions) =>
        Evaluation(EngineFakes.PutRolePolicy(), RuleWith(Decision(actions: actions)));

    [Fact]
    public async Task The_same_evaluation_applied_twice_makes_one_record_and_one_execution()
    {
        var executor = new FakeExecutor();
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var evaluation = Enforced(Revert(), Notify());

        var first = await coordinator.ApplyAsync(evaluation, null, default);
        var second = await coordinator.ApplyAsync(evaluation, null, default);

        Assert.Single(executor.Executed);
        var record = Assert.Single(first);
        Assert.Equal(AuditOutcome.Applied, record.Outcome);
        Assert.True(RemediationCoordinator.IsDuplicate(Assert.Single(second)));
        var stored = Assert.Single(await Temp.Store.QueryAsync(new AuditQuery()));
        Assert.Equal(AuditOutcome.Applied, stored.Outcome);
        Assert.Equal([ActionOutcome.Verified, ActionOutcome.Planned], stored.Actions.Select(a => a.Outcome));
    }

    [Fact]
    public async Task A_repeat_the_engine_recognised_is_reported_as_duplicate_and_writes_nothing()
    {
        var executor = new FakeExecutor();
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var repeat = new RuleEvaluation(Rule(), RuleMode.Enforce, $"{RuleEvaluation.DuplicateDeliveryReason} of event e-1", []) { IsRepeatedDelivery = true };

        var records = await coordinator.ApplyAsync(Evaluation(EngineFakes.PutRolePolicy(), repeat), null, default);

        Assert.True(RemediationCoordinator.IsDuplicate(Assert.Single(records)));
        Assert.Empty(executor.Executed);
        Assert.Empty(await Temp.Store.QueryAsync(new AuditQuery()));
    }

    [Fact]
    public async Task A_duplicate_is_the_flag_the_engine_set_not_a_reason_that_reads_like_one()
    {
        var coordinator = new RemediationCoordinator(Temp.Store, new FakeExecutor(), Clock);
        // A rule skipped for its own reason, worded like a duplicate: it is a real skip and is recorded.
        var lookalike = new RuleEvaluation(Rule(), RuleMode.Enforce, $"{RuleEvaluation.DuplicateDeliveryReason} of a similar event, said the scope", []);

        var records = await coordinator.ApplyAsync(Evaluation(EngineFakes.PutRolePolicy(), lookalike), null, default);

        var record = Assert.Single(records);
        Assert.False(RemediationCoordinator.IsDuplicate(record));
        Assert.Equal(AuditOutcome.Skipped, record.Outcome);
        Assert.Single(await Temp.Store.QueryAsync(new AuditQuery()));
    }

    [Fact]
    public async Task Dry_run_is_recorded_with_its_steps_and_not_executed()
    {
        var executor = new FakeExecutor();
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var evaluation = Evaluation(EngineFakes.PutRolePolicy(), new RuleEvaluation(Rule(), RuleMode.DryRun, null, [Decision(mode: RuleMode.DryRun)]));

        var records = await coordinator.ApplyAsync(evaluation, null, default);

        Assert.Empty(executor.Executed);
        var stored = Assert.Single(await Temp.Store.QueryAsync(new AuditQuery()));
        Assert.Equal(AuditOutcome.Planned, stored.Outcome);
        Assert.Equal(["iam:DeleteRolePolicy", "notify:slack"], stored.Actions.Select(a => a.Operation));
        Assert.All(stored.Actions, a => Assert.Equal(ActionOutcome.Planned, a.Outcome));
        Assert.Equal(AuditOutcome.Planned, Assert.Single(records).Outcome);
    }

    [Fact]
    public async Task Guard_wide_dry_run_executes_nothing_even_for_an_enforced_decision()
    {
        var executor = new FakeExecutor();
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);

        var record = Assert.Single(await coordinator.ApplyAsync(Enforced(Revert()), RuleMode.DryRun, default));

        Assert.Empty(executor.Executed);
        Assert.Equal((AuditOutcome.Planned, RuleMode.DryRun), (record.Outcome, record.Mode));
    }

    [Fact]
    public async Task A_failing_second_step_leaves_the_record_partially_applied_and_later_steps_not_attempted()
    {
        var executor = new FakeExecutor((step, n) => n == 2 ? FakeExecutor.Fail(step) : step with { Outcome = ActionOutcome.Done, Before = """{"Tags":{}}""" });
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var third = Revert() with { Operation = "iam:DetachRolePolicy" };

        var record = Assert.Single(await coordinator.ApplyAsync(Enforced(Revert(), Tag(), third, Notify()), null, default));

        Assert.Equal(2, executor.Executed.Count);
        Assert.Equal(AuditOutcome.PartiallyApplied, record.Outcome);
        Assert.Equal(
            [ActionOutcome.Done, ActionOutcome.Failed, ActionOutcome.NotAttempted, ActionOutcome.Planned],
            record.Actions.Select(a => a.Outcome));
        Assert.Contains("iam:TagRole", record.Actions[2].Error, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.PartiallyApplied, (await Temp.Store.GetAsync(record.Id))!.Outcome);
    }

    [Fact]
    public async Task A_failing_first_step_fails_the_record_and_attempts_nothing_else()
    {
        var executor = new FakeExecutor((step, _) => FakeExecutor.Fail(step));
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);

        var record = Assert.Single(await coordinator.ApplyAsync(Enforced(Revert(), Tag()), null, default));

        Assert.Single(executor.Executed);
        Assert.Equal(AuditOutcome.Failed, record.Outcome);
        Assert.Equal([ActionOutcome.Failed, ActionOutcome.NotAttempted], record.Actions.Select(a => a.Outcome));
    }

    [Fact]
    public async Task An_executor_that_throws_is_recorded_as_a_failed_step_not_a_crash()
    {
        var executor = new FakeExecutor((_, _) => throw new InvalidOperationException("bug"));
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);

        var record = Assert.Single(await coordinator.ApplyAsync(Enforced(Revert()), null, default));

        Assert.Equal(AuditOutcome.Failed, record.Outcome);
        Assert.Contains("InvalidOperationException: bug", record.Actions[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skipped_events_and_rules_are_recorded_too()
    {
        var coordinator = new RemediationCoordinator(Temp.Store, new FakeExecutor(), Clock);
        var skippedEvent = new EventEvaluation(EngineFakes.PutRolePolicy(eventId: "e-skip"), "failed call", []);
        var skippedRule = Evaluation(EngineFakes.PutRolePolicy(eventId: "e-rule"), new RuleEvaluation(Rule(), RuleMode.Enforce, "actor is exempt", []));

        await coordinator.ApplyAsync(skippedEvent, RuleMode.Enforce, default);
        await coordinator.ApplyAsync(skippedRule, null, default);

        var stored = await Temp.Store.QueryAsync(new AuditQuery());
        Assert.Equal(2, stored.Count);
        Assert.All(stored, r => Assert.Equal(AuditOutcome.Skipped, r.Outcome));
        Assert.Contains(stored, r => r.Reason == "failed call" && r.Rule == AuditRecord.NoRule);
        Assert.Contains(stored, r => r.Reason == "actor is exempt");
    }

    [Fact]
    public async Task Cancellation_mid_plan_completes_the_record_with_what_was_done_then_throws()
    {
        using var cancellation = new CancellationTokenSource();
        var executor = new FakeExecutor((step, n) =>
        {
            if (n == 2)
            {
                cancellation.Cancel();
                throw new OperationCanceledException(cancellation.Token);
            }

            return step with { Outcome = ActionOutcome.Done, Before = "{}" };
        });
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => coordinator.ApplyAsync(Enforced(Revert(), Tag(), Revert() with { Operation = "iam:DetachRolePolicy" }), null, cancellation.Token));

        var stored = Assert.Single(await Temp.Store.QueryAsync(new AuditQuery()));
        Assert.Equal(AuditOutcome.PartiallyApplied, stored.Outcome);
        Assert.Equal([ActionOutcome.Done, ActionOutcome.Failed, ActionOutcome.NotAttempted], stored.Actions.Select(a => a.Outcome));
        Assert.Contains("may or may not", stored.Actions[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_over_the_audit_trail_counts_enforced_changes_of_the_resource_only()
    {
        var coordinator = new RemediationCoordinator(Temp.Store, new FakeExecutor(), Clock);
        var history = new AuditRemediationHistory(Temp.Store);
        await coordinator.ApplyAsync(Evaluation(EngineFakes.PutRolePolicy(eventId: "e-a", time: "2026-11-01T10:00:00Z"), RuleWith(Decision())), null, default);
        await coordinator.ApplyAsync(Evaluation(EngineFakes.PutRolePolicy(eventId: "e-b"), new RuleEvaluation(Rule(), RuleMode.DryRun, null, [Decision(mode: RuleMode.DryRun)])), null, default);
        await coordinator.ApplyAsync(Evaluation(EngineFakes.PutRolePolicy(eventId: "e-c"), RuleWith(Decision(finding: Finding(resource: "arn:aws:iam::111122223333:role/other")))), null, default);

        var changes = await history.ChangesSinceAsync(RoleArn, T("2026-11-01T09:00:00Z"), default);
        await history.RecordChangeAsync(RoleArn, T("2026-11-01T10:01:00Z"), default);
        var withPending = await history.ChangesSinceAsync(RoleArn, T("2026-11-01T09:00:00Z"), default);

        Assert.Equal([T("2026-11-01T10:00:00Z")], changes);
        Assert.Equal(2, withPending.Count);
        Assert.Empty(await history.ChangesSinceAsync(RoleArn, T("2026-11-01T11:00:00Z"), default));
    }

    [Fact]
    public async Task A_record_begun_with_a_lease_blocks_retries_until_the_lease_ends_then_a_retry_takes_it_over_and_finishes_once()
    {
        var executor = new FakeExecutor();
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var evaluation = Enforced(Revert());
        var lease = Clock.GetUtcNow().AddSeconds(35);
        // The crashed first attempt: begun with the invocation's lease, never completed.
        var begun = Assert.Single(AuditRecord.AllFrom(evaluation, RuleMode.Enforce, Clock.GetUtcNow())) with { InProgressUntil = lease };
        Assert.True(await Temp.Store.TryBeginAsync(begun));
        var history = new AuditRemediationHistory(Temp.Store, Clock);

        Clock.SetUtcNow(lease.AddSeconds(-1));
        var early = await coordinator.ApplyAsync(evaluation, null, default, Clock.GetUtcNow().AddSeconds(35));
        var countedWhileLeased = await history.ChangesSinceAsync(RoleArn, T("2026-11-01T09:00:00Z"), default);

        Clock.SetUtcNow(lease);
        var countedAfterLease = await history.ChangesSinceAsync(RoleArn, T("2026-11-01T09:00:00Z"), default);
        var retry = await coordinator.ApplyAsync(evaluation, null, default, Clock.GetUtcNow().AddSeconds(35));
        var again = await coordinator.ApplyAsync(evaluation, null, default, Clock.GetUtcNow().AddSeconds(35));

        Assert.True(RemediationCoordinator.IsDuplicate(Assert.Single(early)));
        Assert.Single(countedWhileLeased);
        Assert.Empty(countedAfterLease);
        Assert.Equal(AuditOutcome.Applied, Assert.Single(retry).Outcome);
        Assert.True(RemediationCoordinator.IsDuplicate(Assert.Single(again)));
        Assert.Single(executor.Executed);
        var stored = Assert.Single(await Temp.Store.QueryAsync(new AuditQuery()));
        Assert.Equal((begun.Id, AuditOutcome.Applied), (stored.Id, stored.Outcome));
    }

    [Fact]
    public async Task A_lease_given_to_apply_is_the_begun_records_lease()
    {
        var store = new LeaseRecordingStore(Temp.Store);
        var coordinator = new RemediationCoordinator(store, new FakeExecutor(), Clock);
        var lease = Clock.GetUtcNow().AddSeconds(12);

        await coordinator.ApplyAsync(Enforced(Revert()), null, default, lease);

        Assert.Equal([lease], store.Leases);
    }

    private sealed class LeaseRecordingStore(IAuditStore inner) : IAuditStore
    {
        public List<DateTimeOffset?> Leases { get; } = [];

        public Task<bool> TryBeginAsync(AuditRecord record, CancellationToken cancellationToken = default)
        {
            Leases.Add(record.InProgressUntil);
            return inner.TryBeginAsync(record, cancellationToken);
        }

        public Task<bool> CompleteAsync(AuditRecord record, CancellationToken cancellationToken = default) => inner.CompleteAsync(record, cancellationToken);

        public Task<bool> MarkUndoneAsync(string originalId, string undoId, CancellationToken cancellationToken = default) =>
            inner.MarkUndoneAsync(originalId, undoId, cancellationToken);

        public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
    }
}
