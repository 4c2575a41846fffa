using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;

namespace Remediator.Guard;

/// <summary>
/// The parts of the Runtime host's invocation context the guard uses, so that tests can drive the handler directly
/// (the host's context is built only by the host).
/// </summary>
/// <param name="Deadline">When Lambda stops the invocation: no AWS call or retry wait may run past it.</param>
public sealed record GuardInvocation(JsonLogger Logger, MetricsWriter Metrics, DateTimeOffset Deadline);
