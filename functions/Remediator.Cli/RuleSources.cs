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

    /// <summary>
    /// The rules a command runs with (see <see cref="Load"/>), or null once each of their errors is written to
    /// <paramref name="stderr"/>: the command then exits with <see cref="ExitCodes.BadInput"/>.
    /// </summary>
    public static async Task<LoadedRules?> LoadValidAsync(IReadOnlyList<string>? paths, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var ruleSet = Load(GuardComposition.CreateLoader(), paths, out var source);
        if (ruleSet.IsValid)
        {
            return new LoadedRules(ruleSet.Rules, source);
        }

        foreach (var error in ruleSet.Errors)
        {
            await stderr.WriteLineAsync(error.ToString()).ConfigureAwait(false);
        }

        return null;
    }
}

/// <summary>Valid rules and where they came from (said in each command's summary).</summary>
public sealed record LoadedRules(IReadOnlyList<Rule> Rules, string Source);
