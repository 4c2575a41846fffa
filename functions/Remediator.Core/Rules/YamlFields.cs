namespace Remediator.Core.Rules;

/// <summary>
/// Typed reads of YAML nodes that report a <see cref="RuleError"/> (at the node, with its field path) instead of
/// throwing, so that one pass over a file finds every problem.
/// </summary>
internal sealed class YamlFields(List<RuleError> errors)
{
    public List<RuleError> Errors { get; } = errors;

    public void Add(YamlNode node, string path, string message) => Errors.Add(new RuleError(node.Location, path, message));

    /// <summary>Reports every key of <paramref name="mapping"/> not in <paramref name="known"/>, with the closest known key.</summary>
    public void RejectUnknownKeys(YamlMapping mapping, IReadOnlyList<string> known, string path)
    {
        foreach (var (key, _) in mapping.Entries)
        {
            if (!known.Contains(key.Value, StringComparer.Ordinal))
            {
                Add(key, RulePaths.Member(path, key.Value), $"unknown key '{key.Value}'{NameSuggestions.Hint(key.Value, known)}");
            }
        }
    }

    public YamlMapping? Mapping(YamlNode node, string path)
    {
        if (node is YamlMapping mapping)
        {
            return mapping;
        }

        Add(node, path, $"expected a mapping, got {node.KindName}");
        return null;
    }

    /// <summary>A mapping, or an empty one for an explicit null (<c>revert:</c> or <c>revert: ~</c>).</summary>
    public YamlMapping? MappingOrNull(YamlNode node, string path) =>
        node is YamlScalar { IsNull: true } ? new YamlMapping([], node.Location) : Mapping(node, path);

    /// <summary>Any non-null scalar, as written (a plain <c>123456789012</c> is the account id text).</summary>
    public string? Text(YamlNode node, string path)
    {
        if (node is YamlScalar scalar && !scalar.IsNull)
        {
            return scalar.Value;
        }

        Add(node, path, $"expected a string, got {node.KindName}");
        return null;
    }

    public long? Integer(YamlNode node, string path)
    {
        if (node is YamlScalar { Type: YamlScalarType.Integer } scalar && YamlScalars.TryToInteger(scalar.Value, out var value))
        {
            return value;
        }

        Add(node, path, node is YamlScalar { IsPlain: false } quoted
            ? $"expected a whole number, got the string '{quoted.Value}' (remove the quotes)"
            : $"expected a whole number, got {Describe(node)}");
        return null;
    }

    public bool? Boolean(YamlNode node, string path)
    {
        if (node is YamlScalar { Type: YamlScalarType.Boolean } scalar)
        {
            return YamlScalars.ToBoolean(scalar.Value);
        }

        Add(node, path, node is YamlScalar { IsPlain: false } quoted
            ? $"expected true or false, got the string '{quoted.Value}' (remove the quotes)"
            : $"expected true or false, got {Describe(node)}");
        return null;
    }

    /// <summary>A list of strings. A single scalar is an error, not a one-element list: the schema says list.</summary>
    public IReadOnlyList<string>? TextList(YamlNode node, string path)
    {
        if (node is not YamlSequence sequence)
        {
            Add(node, path, node is YamlScalar { IsNull: false } scalar
                ? $"expected a list, got the single value '{scalar.Value}' (write [{scalar.Value}])"
                : $"expected a list, got {node.KindName}");
            return null;
        }

        var values = new List<string>(sequence.Items.Count);
        var valid = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (Text(sequence.Items[i], RulePaths.Index(path, i)) is { } text)
            {
                values.Add(text);
            }
            else
            {
                valid = false;
            }
        }

        return valid ? values : null;
    }

    private static string Describe(YamlNode node) =>
        node is YamlScalar { IsNull: false } scalar ? $"'{scalar.Value}'" : node.KindName;
}
