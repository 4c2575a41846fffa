using Remediator.Core.Engine;
using Remediator.Core.Ports;
using Remediator.Core.Registry;
using Remediator.Core.Rules;
using Remediator.Composition.Planning;

namespace Remediator.Composition;

/// <summary>
/// How the parts make a guard: the built-in registry, rule loading with the real pattern validator, and the engine
/// with the real matcher and planner. The CLI and every function compose the guard here, so they cannot drift.
/// </summary>
public static class GuardComposition
{
    public static RuleLoader CreateLoader(ElementRegistry? registry = null) =>
        new(registry ?? BuiltInElements.CreateRegistry(), new EventPatternValidator());

    public static RuleEngine CreateEngine(
        IReadOnlyList<Rule> rules,
        ResourceStatePorts state,
        GuardOptions options,
        IRemediationHistory? history = null,
        TimeProvider? clock = null) =>
        new(new PatternRuleMatcher(rules), new RemediationPlanner(), state, history ?? new InMemoryRemediationHistory(), options, clock);
}
