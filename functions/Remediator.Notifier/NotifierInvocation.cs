using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;

namespace Remediator.Notifier;

/// <summary>
/// The parts of the Runtime host's invocation context the notifier uses, so that it can be driven directly in tests
/// (the host's context is built only by the host).
/// </summary>
/// <param name="Deadline">When Lambda stops the invocation: no retry wait may run past it.</param>
public sealed record NotifierInvocation(JsonLogger Logger, MetricsWriter Metrics, DateTimeOffset Deadline);
