using Remediator.Core.Registry;
using Remediator.Core.Rules;

namespace Remediator.Cli;

/// <summary>
/// Where rules come from: the paths the user names, else <c>./rules</c> when it exists, else the default rules
/// embedded in this binary (so <c>remediator replay events/</c> works anywhere).
/// </summary>
public static class RuleSources
{
    public const string DefaultDirectory = "rules";
    private const string EmbeddedPrefix = "rules/";

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
        return LoadEmbedded(loader);
    }

    public static RuleSet LoadEmbedded(RuleLoader loader)
    {
        var assembly = typeof(RuleSources).Assembly;
        var texts = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(EmbeddedPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            texts.Add((reader.ReadToEnd(), "(built-in) " + name));
        }

        return loader.LoadTexts(texts);
    }
}
