using Remediator.Core.Registry;

namespace Remediator.Core.Rules;

/// <summary>
/// Loads rule files (YAML) and validates them against the registry. Every error of every file is collected, each with
/// <c>file:line:column</c> and the field's path, sorted by file (in the order given; directories in name order) then line.
/// </summary>
/// <remarks>
/// A file holds one rule (a mapping: the canonical form) or several under <c>rules:</c>; several YAML documents
/// separated by <c>---</c> are also read. See rules/README.md.
/// </remarks>
public sealed class RuleLoader(ElementRegistry registry, IPatternValidator patterns)
{
    /// <summary>Folder names not searched when a directory is given: the schema lives next to the rules.</summary>
    private static readonly string[] SkippedDirectories = ["schema"];

    /// <summary>Files (<c>*.yaml</c>, <c>*.yml</c>, or any named file) and directories (searched recursively).</summary>
    public RuleSet LoadPaths(IEnumerable<string> paths)
    {
        var files = new List<LoadedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in paths.SelectMany(ExpandPath))
        {
            if (seen.Add(Path.GetFullPath(file)))
            {
                files.Add(LoadFile(file));
            }
        }

        return Combine(files);
    }

    /// <summary>Loads rules from text; <paramref name="displayName"/> is the file name that errors show.</summary>
    public RuleSet LoadText(string yaml, string displayName) => LoadTexts([(yaml, displayName)]);

    /// <summary>Loads several rule texts as one set (ids must be unique across them), e.g. rules embedded in a binary.</summary>
    public RuleSet LoadTexts(IEnumerable<(string Yaml, string DisplayName)> texts) =>
        Combine(texts.Select(t => Load(t.Yaml, t.DisplayName)).ToList());

    private LoadedFile LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new LoadedFile([], [new RuleError(new SourceLocation(path, 1, 1), "", $"cannot read the file: {e.Message}")]);
        }

        return Load(text, path);
    }

    private static IEnumerable<string> ExpandPath(string path)
    {
        if (!Directory.Exists(path))
        {
            // A missing file is reported by LoadFile, with its name, like any other error.
            return [path];
        }

        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !IsUnderSkippedDirectory(Path.GetRelativePath(path, f)))
            .Order(StringComparer.Ordinal);
    }

    private static bool IsUnderSkippedDirectory(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).SkipLast(1)
            .Any(part => SkippedDirectories.Contains(part, StringComparer.Ordinal));

    private LoadedFile Load(string text, string file)
    {
        var errors = new List<RuleError>();
        var fields = new YamlFields(errors);
        var reader = new RuleReader(registry, patterns, fields);
        var rules = new List<Rule>();
        var documents = YamlTreeReader.ReadDocuments(text, file, errors);
        if (documents.Count == 0 && errors.Count == 0)
        {
            errors.Add(new RuleError(new SourceLocation(file, 1, 1), "", "the file holds no rule"));
        }

        foreach (var document in documents)
        {
            foreach (var (mapping, path) in RuleMappings(document, fields))
            {
                if (reader.Read(mapping, path) is { } rule)
                {
                    rules.Add(rule);
                }
            }
        }

        return new LoadedFile(rules, errors);
    }

    /// <summary>The rule mappings of one document: the document itself, or the items of its <c>rules:</c> list.</summary>
    private static IEnumerable<(YamlMapping Rule, string Path)> RuleMappings(YamlNode document, YamlFields fields)
    {
        if (document is YamlMapping { Entries.Count: 1 } wrapper && wrapper.Entries[0].Key.Value == "rules")
        {
            if (wrapper.Entries[0].Value is not YamlSequence list)
            {
                fields.Add(wrapper.Entries[0].Value, "rules", $"expected a list of rules, got {wrapper.Entries[0].Value.KindName}");
                yield break;
            }

            for (var i = 0; i < list.Items.Count; i++)
            {
                if (fields.Mapping(list.Items[i], RulePaths.Index("rules", i)) is { } rule)
                {
                    yield return (rule, RulePaths.Index("rules", i));
                }
            }

            yield break;
        }

        if (document is YamlMapping single)
        {
            yield return (single, "");
            yield break;
        }

        fields.Add(document, "", $"a rule file holds one rule (a mapping) or 'rules:' with a list of rules, not {document.KindName}");
    }

    /// <summary>Cross-file checks (duplicate ids, reported at the later one and naming the first), then ordering.</summary>
    private static RuleSet Combine(IReadOnlyList<LoadedFile> files)
    {
        var firstById = new Dictionary<string, Rule>(StringComparer.Ordinal);
        var rules = new List<Rule>();
        var errors = new List<RuleError>();
        foreach (var file in files)
        {
            var fileErrors = new List<RuleError>(file.Errors);
            foreach (var rule in file.Rules)
            {
                if (firstById.TryGetValue(rule.Id, out var first))
                {
                    fileErrors.Add(new RuleError(rule.Location, "id", $"duplicate id '{rule.Id}'; also defined at {first.Location}"));
                    continue;
                }

                firstById.Add(rule.Id, rule);
                rules.Add(rule);
            }

            errors.AddRange(fileErrors.OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column));
        }

        return new RuleSet(rules, errors);
    }

    private sealed record LoadedFile(IReadOnlyList<Rule> Rules, IReadOnlyList<RuleError> Errors);
}
