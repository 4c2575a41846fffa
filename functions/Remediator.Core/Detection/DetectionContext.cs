using Remediator.Core.Events;
using Remediator.Core.Ports;

namespace Remediator.Core.Detection;

/// <summary>What a detector gets for one (event, rule) pair.</summary>
/// <param name="Event">The event that matched the rule's pattern.</param>
/// <param name="RuleId">The rule being evaluated; findings carry it.</param>
/// <param name="RuleSeverity">Severity of the full form of the problem; a detector lowers it one step for a statement with a condition.</param>
/// <param name="Options">The detector's bound options record, as produced by its descriptor's BindOptions.</param>
/// <param name="State">Ports to read the resource's current state.</param>
public sealed record DetectionContext(
    CloudTrailEvent Event,
    string RuleId,
    Severity RuleSeverity,
    object Options,
    ResourceStatePorts State)
{
    /// <summary>
    /// The guard's own organization id (the template's OrganizationId parameter), for detectors whose rule does not set
    /// one: a grant pinned to the owner's organization is not public, any other organization's still is.
    /// </summary>
    public string? OrganizationId { get; init; }

    public TOptions OptionsAs<TOptions>() where TOptions : class =>
        Options as TOptions ?? throw new InvalidOperationException(
            $"Rule '{RuleId}' handed options of type {Options.GetType().Name}, expected {typeof(TOptions).Name}.");
}
