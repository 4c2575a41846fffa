namespace Remediator.Core.Rules;

/// <summary>One problem in a rule file: where it is, which field (dotted path, e.g. <c>remediate[1].tag.key</c>) and what is wrong.</summary>
public sealed record RuleError(SourceLocation Location, string Path, string Message)
{
    public override string ToString() =>
        Path.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Path}: {Message}";
}

/// <summary>
/// The outcome of loading rule files: the rules that are valid and every error found, in file then line order.
/// A rule with an error of its own is left out of <see cref="Rules"/>; callers that run rules must check <see cref="IsValid"/>.
/// </summary>
public sealed record RuleSet(IReadOnlyList<Rule> Rules, IReadOnlyList<RuleError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
