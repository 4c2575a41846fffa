using Microsoft.Extensions.Time.Testing;

namespace Remediator.Core.Tests.Execution;

/// <summary>An executor that records what it is asked and answers from a script (done with a before-state by default).</summary>
internal sealed class FakeExecutor : IStepExecutor
{
    private readonly Func<AuditAction, int, AuditAction>? _answer;

    public FakeExecutor(Func<AuditAction, int, AuditAction>? answer = null) => _answer = answer;

    public List<AuditAction> Executed { get; } = [];

    public Task<AuditAction> ExecuteAsync(AuditAction step, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Executed.Add(step);
        var answer = _answer?.Invoke(step, Executed.Count)
            ?? step with { Outcome = ActionOutcome.Verified, Before = """{"PolicyDocument":"{}"}""", After = """{"PolicyDocument":null}""" };
        return Task.FromResult(answer);
    }

    public static AuditAction Fail(AuditAction step) =>
        step with { Outcome = ActionOutcome.Failed, Error = $"{step.Operation} on {step.Resource} failed: AccessDenied: no" };
}

/// <summary>A JSON Lines store in a fresh temporary folder, deleted at dispose.</summary>
public sealed class TempStore : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "remediator-exec-" + Guid.NewGuid().ToString("N"));

    public TempStore(TimeProvider clock) => Store = new JsonLinesAuditStore(Path.Combine(_folder, "audit.jsonl"), clock: clock);

    public JsonLinesAuditStore Store { get; }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>
/// A test class on its own <see cref="TempStore"/> and a fake clock that the store and the test share, starting at
/// <paramref name="start"/>: the set-up every coordinator, undo, history and sweep-lease test needs, written once.
/// </summary>
public abstract class TempStoreTests(DateTimeOffset start) : IDisposable
{
    protected FakeTimeProvider Clock { get; } = new(start);

    protected TempStore Temp => field ??= new TempStore(Clock);

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
