namespace Remediator.Core.Detection;

/// <summary>
/// Looks at one event (and, through the ports in <see cref="DetectionContext.State"/>, the resource's current state)
/// and reports what is wrong. Pure logic: no I/O except through the ports, so the CLI and Lambda behave alike.
/// A detector never throws for bad input in the event: an unparseable document is a finding of its own.
/// </summary>
public interface IDetector
{
    ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken);
}
