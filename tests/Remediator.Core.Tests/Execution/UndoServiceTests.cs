using static Remediator.Core.Tests.Audit.AuditSamples;
using Remediator.Operations;

namespace Remediator.Core.Tests.Execution;

public sealed class UndoServiceTests() : TempStoreTests(T("2026-11-01T10:00:05Z"))
{
    private const string Doc = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    /// <summary>An applied record made the real way: through the coordinator with an executor that captured a before-state.</summary>
    private async Task<AuditRecord> AppliedAsync(string eventId = "e-1")
    {
        var executor = new FakeExecutor((step, _) => step with
        {
            Outcome = ActionOutcome.Verified,
            Before = StepStates.Of(StepStates.PolicyDocument, Doc),
            After = StepStates.Of(StepStates.PolicyDocument, (string?)null),
        });
        var coordinator = new RemediationCoordinator(Temp.Store, executor, Clock);
        var records = await coordinator.ApplyAsync(Evaluation(EngineFakes.PutRolePolicy(eventId: eventId), RuleWith(Decision())), null, default);
        return Assert.Single(records);
    }

    private UndoService Service(FakeExecutor executor) => new(Temp.Store, executor, new UndoPlanner(OperationCatalogue.Index), Clock);

    [Fact]
    public async Task Undo_records_its_own_record_runs_the_inverse_and_marks_the_original()
    {
        var original = await AppliedAsync();
        var executor = new FakeExecutor((step, _) => step with { Outcome = ActionOutcome.Verified, Before = StepStates.Of(StepStates.PolicyDocument, (string?)null) });

        var result = await Service(executor).UndoAsync(original.Id);

        Assert.True(result.Succeeded, result.Refused);
        var step = Assert.Single(executor.Executed);
        Assert.Equal(("iam:PutRolePolicy", Doc), (step.Operation, StepParameters.String(step.Parameters, "PolicyDocument")));
        var undo = await Temp.Store.GetAsync(original.Id + "/undo");
        Assert.Equal((AuditOutcome.Applied, original.Id), (undo!.Outcome, undo.UndoOf));
        var marked = await Temp.Store.GetAsync(original.Id);
        Assert.Equal((AuditOutcome.Undone, undo.Id), (marked!.Outcome, marked.UndoneBy));
    }

    [Fact]
    public async Task A_second_undo_is_refused_and_runs_nothing()
    {
        var original = await AppliedAsync();
        await Service(new FakeExecutor()).UndoAsync(original.Id);
        var executor = new FakeExecutor();

        var again = await Service(executor).UndoAsync(original.Id);

        Assert.Contains("undone already", again.Refused, StringComparison.Ordinal);
        Assert.Empty(executor.Executed);
    }

    [Fact]
    public async Task A_missing_record_is_a_clear_refusal()
    {
        var result = await Service(new FakeExecutor()).UndoAsync("nope/rule");

        Assert.Equal("no audit record with id 'nope/rule'", result.Refused);
        Assert.Null(result.Original);
    }

    [Fact]
    public async Task Records_that_changed_nothing_are_refused()
    {
        var coordinator = new RemediationCoordinator(Temp.Store, new FakeExecutor(), Clock);
        var dry = Assert.Single(await coordinator.ApplyAsync(
            Evaluation(EngineFakes.PutRolePolicy(), new Core.Engine.RuleEvaluation(Rule(), Core.Rules.RuleMode.DryRun, null, [Decision(mode: Core.Rules.RuleMode.DryRun)])), null, default));
        var executor = new FakeExecutor();

        var result = await Service(executor).UndoAsync(dry.Id);

        Assert.Contains("is planned", result.Refused, StringComparison.Ordinal);
        Assert.Empty(executor.Executed);
        Assert.Null(await Temp.Store.GetAsync(dry.Id + "/undo"));
    }

    [Fact]
    public async Task An_unknown_inverse_is_refused_before_anything_is_written()
    {
        var original = await AppliedAsync();
        var stored = (await Temp.Store.GetAsync(original.Id))!;
        // A record without its before-state (e.g. written by an older executor).
        var blind = stored with { Id = "e-9/iam-no-admin", EventId = "e-9", Actions = [stored.Actions[0] with { Before = null }] };
        await Temp.Store.TryBeginAsync(blind);

        var result = await Service(new FakeExecutor()).UndoAsync(blind.Id);

        Assert.Contains("exact inverse is not known", result.Refused, StringComparison.Ordinal);
        Assert.Null(await Temp.Store.GetAsync(blind.Id + "/undo"));
    }

    [Fact]
    public async Task A_failed_undo_leaves_the_original_applied_and_can_be_retried_under_a_new_id()
    {
        var original = await AppliedAsync();

        var failed = await Service(new FakeExecutor((step, _) => FakeExecutor.Fail(step))).UndoAsync(original.Id);
        var retried = await Service(new FakeExecutor()).UndoAsync(original.Id);

        Assert.Equal(AuditOutcome.Failed, failed.Undo!.Outcome);
        Assert.False(failed.MarkedUndone);
        Assert.True(retried.Succeeded);
        Assert.Equal(original.Id + "/undo-2", retried.Undo!.Id);
        Assert.Equal(original.Id + "/undo-2", (await Temp.Store.GetAsync(original.Id))!.UndoneBy);
    }

    [Fact]
    public async Task Dry_run_undo_shows_the_steps_and_writes_nothing()
    {
        var original = await AppliedAsync();
        var executor = new FakeExecutor();

        var result = await Service(executor).UndoAsync(original.Id, dryRun: true);

        Assert.Equal(["iam:PutRolePolicy"], result.Undo!.Actions.Select(a => a.Operation));
        Assert.Empty(executor.Executed);
        Assert.Null(await Temp.Store.GetAsync(original.Id + "/undo"));
        Assert.Equal(AuditOutcome.Applied, (await Temp.Store.GetAsync(original.Id))!.Outcome);
    }

    [Fact]
    public void Parameters_helper_reads_numbers_written_as_text()
    {
        Assert.Equal(29000, StepParameters.Int(new JsonObject { ["value"] = "29000" }, "value"));
        Assert.Null(StepParameters.Int(new JsonObject { ["value"] = "x" }, "value"));
    }
}
