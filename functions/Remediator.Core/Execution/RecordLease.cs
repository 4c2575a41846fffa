namespace Remediator.Core.Execution;

/// <summary>
/// How long a begun (in-progress) audit record blocks other deliveries of its event: the one rule for the guard, the
/// sweep, the CLI and the stores. Tied to the deadline of the process that began it, as idempotency libraries do: a
/// live owner is never overtaken, and the retry of an owner that crashed finds the lease run out soon after, takes the
/// record over and finishes the fix.
/// </summary>
public static class RecordLease
{
    /// <summary>
    /// Added to an invocation's deadline: clock skew between hosts, and the completion written just after the deadline.
    /// Lambda kills an invocation at its deadline and retries an asynchronous one after about 1 and 3 minutes, so the
    /// retry of a crashed invocation always finds the lease run out.
    /// </summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A process without a deadline (a command line, or a caller that did not say) leases for this long: longer than a
    /// plan's few AWS calls take with every retry (about a minute each at worst) and longer than any of the stack's
    /// non-sweep functions may run, short enough that a run killed mid-fix is taken over by the next run five minutes on.
    /// </summary>
    public static readonly TimeSpan WithoutDeadline = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The end of the lease of a record begun <paramref name="now"/> by a process that must stop at
    /// <paramref name="deadline"/> (null or <see cref="DateTimeOffset.MaxValue"/>: no deadline).
    /// </summary>
    public static DateTimeOffset Until(DateTimeOffset? deadline, DateTimeOffset now) =>
        deadline is { } end && end != DateTimeOffset.MaxValue ? end + DeadlineMargin : now + WithoutDeadline;
}
