using Remediator.Aws.State;
using Remediator.Core.Operations;

namespace Remediator.Operations;

/// <summary>An entry the AWS executor can carry out.</summary>
internal interface IAwsOperation
{
    RemediationOperation Entry { get; }

    /// <summary>Reads the step's parameters into the entry's record and carries the step out (<see cref="StepRun"/>).</summary>
    Task ExecuteAsync(AwsClients clients, StepRun run, CancellationToken cancellationToken);
}

/// <summary>Entries that exist only as a pair or a per-service family, registered together.</summary>
internal interface IOperationFamily
{
    IEnumerable<IAwsOperation> Members { get; }
}

/// <summary>
/// A remediation operation with its AWS execution: read the state the step changes into <see cref="StepRun.Before"/>,
/// make the call, read it back into <see cref="StepRun.After"/> and say whether the change took
/// (<see cref="StepRun.Verified"/>); a step whose intended state already holds is <see cref="StepRun.AlreadyThere"/>.
/// </summary>
public abstract class ExecutableOperation<TParameters> : RemediationOperation<TParameters>, IAwsOperation
    where TParameters : class
{
    private protected ExecutableOperation(string name, IReadOnlyList<string> permissions, IReadOnlyList<string> readPermissions)
        : base(name, permissions, readPermissions)
    {
    }

    RemediationOperation IAwsOperation.Entry => this;

    Task IAwsOperation.ExecuteAsync(AwsClients clients, StepRun run, CancellationToken cancellationToken) =>
        ExecuteAsync(clients, run, Read(run.Parameters), cancellationToken);

    private protected abstract Task ExecuteAsync(AwsClients clients, StepRun run, TParameters parameters, CancellationToken cancellationToken);
}
