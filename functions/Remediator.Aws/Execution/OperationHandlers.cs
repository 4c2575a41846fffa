using Remediator.Core.Operations;

namespace Remediator.Aws.Execution;

/// <summary>
/// The AWS half of the operation catalogue: one handler registered explicitly against each entry (no scanning: AOT),
/// given the step's parameters already read into the entry's record.
/// </summary>
internal sealed class OperationHandlers
{
    private readonly Dictionary<RemediationOperation, Func<StepRun, CancellationToken, Task>> _handlers = new(ReferenceEqualityComparer.Instance);

    public void Add<T>(RemediationOperation<T> operation, Func<StepRun, T, CancellationToken, Task> handler)
        where T : class =>
        _handlers.Add(operation, (run, ct) => handler(run, operation.Read(run.Parameters), ct));

    public bool TryGet(RemediationOperation operation, out Func<StepRun, CancellationToken, Task> handler) =>
        _handlers.TryGetValue(operation, out handler!);

    /// <summary>Catalogue entries without a handler: none, or the executor refuses to be built.</summary>
    public IReadOnlyList<RemediationOperation> Missing() => OperationCatalogue.All.Where(o => !_handlers.ContainsKey(o)).ToList();
}
