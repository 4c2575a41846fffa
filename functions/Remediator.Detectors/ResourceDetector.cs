namespace Remediator.Detectors;

/// <summary>
/// The skeleton every resource detector shares: only a successful call to its service's named operations is looked
/// at, with the rule's options bound to <typeparamref name="TOptions"/>; the detector reads the resource's state,
/// judges it and returns its findings, all of one concern. Written once here so that a new detector states only what
/// it watches and how it judges.
/// </summary>
/// <typeparam name="TOptions">The options record its descriptor binds.</typeparam>
public abstract class ResourceDetector<TOptions> : IDetector
    where TOptions : class
{
    private readonly string _eventSource;
    private readonly string[] _operations;

    /// <param name="concern">The concern of every finding (one of <see cref="Concerns"/>).</param>
    /// <param name="eventSource">The CloudTrail event source watched, e.g. <c>lambda.amazonaws.com</c>.</param>
    /// <param name="operations">The operations watched; none means every operation of the source.</param>
    protected ResourceDetector(string concern, string eventSource, params string[] operations)
    {
        Concern = concern;
        _eventSource = eventSource;
        _operations = operations;
    }

    public string Concern { get; }

    public ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Event.IsSuccessfulCallTo(_eventSource, _operations)
            ? JudgeAsync(context, context.OptionsAs<TOptions>(), cancellationToken)
            : ValueTask.FromResult(NoFindings);
    }

    /// <summary>Judges one successful call this detector watches.</summary>
    protected abstract ValueTask<IReadOnlyList<Finding>> JudgeAsync(DetectionContext context, TOptions options, CancellationToken cancellationToken);

    protected static IReadOnlyList<Finding> NoFindings { get; } = [];

    /// <summary>This detector as the registry knows it, under <paramref name="name"/> with its option specs and binding.</summary>
    protected DetectorDescriptor Describe(string name, string description, IReadOnlyList<OptionSpec> options, Func<OptionValues, TOptions> bind) =>
        new(name, Concern, description, options, values => bind(values), this);

    /// <summary>One finding of the rule in <paramref name="context"/> on one resource, at the rule's severity unless lowered.</summary>
    protected Finding Found(
        DetectionContext context,
        string resource,
        string resourceType,
        string check,
        string summary,
        IReadOnlyList<string> evidence,
        IReadOnlyList<PlannedAction> revertSteps,
        Severity? severity = null) =>
        new(context.RuleId, Concern, resource, resourceType, severity ?? context.RuleSeverity, check, summary, evidence)
        {
            RevertSteps = revertSteps,
        };
}
