namespace Remediator.Detectors.Actions;

/// <summary>
/// Options of the <c>revert</c> action: none today. The record exists so that rules can write <c>- revert: {}</c> and
/// options can be added later without changing the rule language.
/// </summary>
public sealed record RevertOptions
{
    public static RevertOptions Instance { get; } = new();

    public static IReadOnlyList<OptionSpec> Specs { get; } = [];

    public static RevertOptions Bind(OptionValues values)
    {
        var unknown = values.Names.FirstOrDefault();
        return unknown is null ? Instance : throw new ArgumentException($"Action 'revert' takes no options; got '{unknown}'.");
    }
}
