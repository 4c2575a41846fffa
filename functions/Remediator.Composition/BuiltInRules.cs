using Remediator.Core.Rules;

namespace Remediator.Composition;

/// <summary>
/// The default rules (rules/*.yaml) compiled into the binary, so that a function or a CLI outside a checkout runs
/// with exactly the rules it was built with.
/// </summary>
public static class BuiltInRules
{
    private const string Prefix = "rules/";

    public static RuleSet Load(RuleLoader loader)
    {
        var assembly = typeof(BuiltInRules).Assembly;
        var texts = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            texts.Add((reader.ReadToEnd(), "(built-in) " + name));
        }

        return loader.LoadTexts(texts);
    }
}
