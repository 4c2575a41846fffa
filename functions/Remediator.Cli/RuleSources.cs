using Remediator.Core.Rules;
using Remediator.Composition;

namespace Remediator.Cli;

/// <summary>
/// Where rules come from: the paths the user names, else <c>./rules</c> when it exists, else the default rules
/// embedded in this binary (so <c>remediator replay events/</c> works anywhere).
/// </summary>
public static class RuleSources
{
    public const string DefaultDirectory = "rules";

    public static RuleSet Load(RuleLoader loader, IReadOnlyList<string>? paths, out string description)
    {
        if (paths is { Count: > 0 })
        {
            description = string.Join(", ", paths);
            return loader.LoadPaths(paths);
        }

        if (Directory.Exists(DefaultDirectory))
        {
            description = DefaultDirectory + Path.DirectorySeparatorChar;
            return loader.LoadPaths([DefaultDirectory]);
        }

        description = "the built-in default rules";
        return BuiltInRules.Load(loader);
    }
}
