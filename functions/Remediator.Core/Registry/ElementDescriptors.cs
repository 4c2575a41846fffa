using Remediator.Core.Detection;

namespace Remediator.Core.Registry;

/// <summary>
/// A detector as the registry knows it: its name in rule files, the concern it serves, its typed options,
/// how to bind them, and the detector itself.
/// </summary>
public sealed record DetectorDescriptor(
    string Name,
    string Concern,
    string Description,
    IReadOnlyList<OptionSpec> Options,
    Func<OptionValues, object> BindOptions,
    IDetector Detector);

/// <summary>The verbs of a rule's <c>remediate</c> list.</summary>
public static class ActionNames
{
    public const string Revert = "revert";
    public const string Quarantine = "quarantine";
    public const string Tag = "tag";
    public const string Notify = "notify";
}

/// <summary>
/// An action as the registry knows it: its name in rule files, its typed options and how to bind them.
/// Which concrete API calls an action becomes depends on the finding; that is the planner's job.
/// </summary>
public sealed record ActionDescriptor(
    string Name,
    string Description,
    IReadOnlyList<OptionSpec> Options,
    Func<OptionValues, object> BindOptions);
