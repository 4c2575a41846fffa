using Remediator.Core.Registry;

namespace Remediator.Core.Rules;

/// <summary>
/// Reads the options of one detector or action from YAML against its <see cref="OptionSpec"/>s and binds them to
/// the element's options record. Value types follow <see cref="OptionValues"/>: string, long, bool,
/// IReadOnlyList&lt;string&gt;, IReadOnlyDictionary&lt;string,long&gt;.
/// </summary>
internal static class OptionReader
{
    /// <summary>The bound options record, or null when anything was wrong (errors added).</summary>
    public static object? ReadAndBind(
        YamlMapping options, IReadOnlyList<OptionSpec> specs, Func<OptionValues, object> bind, string path, YamlFields fields)
    {
        var before = fields.Errors.Count;
        fields.RejectUnknownKeys(options, specs.Select(s => s.Name).ToList(), path);

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var node = options[spec.Name];
            if (node is null)
            {
                if (spec.Required)
                {
                    fields.Add(options, path, $"missing required option '{spec.Name}' ({spec.Description})");
                }
                else if (spec.Default is not null)
                {
                    values[spec.Name] = spec.Default;
                }

                continue;
            }

            if (Read(node, spec, RulePaths.Member(path, spec.Name), fields) is { } value)
            {
                values[spec.Name] = value;
            }
        }

        if (fields.Errors.Count > before)
        {
            return null;
        }

        try
        {
            return bind(new OptionValues(values));
        }
        catch (ArgumentException e)
        {
            fields.Add(options, path, e.Message);
            return null;
        }
    }

    private static object? Read(YamlNode node, OptionSpec spec, string path, YamlFields fields)
    {
        switch (spec.Kind)
        {
            case OptionKind.String:
                var text = fields.Text(node, path);
                return text is not null && IsAllowed(node, text, spec, path, fields) ? text : null;
            case OptionKind.Integer:
                var integer = fields.Integer(node, path);
                return integer is { } n && IsInRange(node, n, spec, path, fields) ? n : null;
            case OptionKind.Boolean:
                return fields.Boolean(node, path);
            case OptionKind.StringList:
                return ReadList(node, spec, path, fields);
            case OptionKind.IntegerMap:
                return ReadMap(node, spec, path, fields);
            default:
                fields.Add(node, path, $"option kind {spec.Kind} is not supported");
                return null;
        }
    }

    private static IReadOnlyList<string>? ReadList(YamlNode node, OptionSpec spec, string path, YamlFields fields)
    {
        var list = fields.TextList(node, path);
        if (list is null)
        {
            return null;
        }

        var valid = true;
        for (var i = 0; i < list.Count; i++)
        {
            valid &= IsAllowed(((YamlSequence)node).Items[i], list[i], spec, RulePaths.Index(path, i), fields);
        }

        return valid ? list : null;
    }

    private static Dictionary<string, long>? ReadMap(YamlNode node, OptionSpec spec, string path, YamlFields fields)
    {
        var mapping = fields.Mapping(node, path);
        if (mapping is null)
        {
            return null;
        }

        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        var valid = true;
        foreach (var (key, value) in mapping.Entries)
        {
            var entryPath = RulePaths.Member(path, key.Value);
            if (fields.Integer(value, entryPath) is { } n && IsInRange(value, n, spec, entryPath, fields))
            {
                map[key.Value] = n;
            }
            else
            {
                valid = false;
            }
        }

        return valid ? map : null;
    }

    private static bool IsAllowed(YamlNode node, string value, OptionSpec spec, string path, YamlFields fields)
    {
        if (spec.AllowedValues is not { } allowed || allowed.Contains(value, StringComparer.Ordinal))
        {
            return true;
        }

        fields.Add(node, path, $"'{value}' is not one of {string.Join(", ", allowed)}{NameSuggestions.DidYouMean(value, allowed)}");
        return false;
    }

    private static bool IsInRange(YamlNode node, long value, OptionSpec spec, string path, YamlFields fields)
    {
        if (value < spec.Minimum)
        {
            fields.Add(node, path, $"{value} is below the minimum {spec.Minimum}");
            return false;
        }

        if (value > spec.Maximum)
        {
            fields.Add(node, path, $"{value} is above the maximum {spec.Maximum}");
            return false;
        }

        return true;
    }
}
