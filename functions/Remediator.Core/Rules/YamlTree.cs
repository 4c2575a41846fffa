namespace Remediator.Core.Rules;

/// <summary>
/// A YAML node with where it starts. Our own small tree (rather than YamlDotNet's RepresentationModel) so that
/// duplicate keys become errors with positions instead of exceptions, and quoting style is kept for typing.
/// </summary>
internal abstract class YamlNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>What the node is, for messages like "expected a list, got a mapping".</summary>
    public abstract string KindName { get; }
}

internal sealed class YamlScalar(string value, bool isPlain, bool isStringTagged, SourceLocation location) : YamlNode(location)
{
    public string Value { get; } = value;

    /// <summary>Plain (unquoted, untagged) scalars are resolved by the YAML 1.2 core schema: <c>true</c>, <c>5</c>, <c>null</c>.</summary>
    public bool IsPlain { get; } = isPlain && !isStringTagged;

    public YamlScalarType Type => IsPlain ? YamlScalars.Resolve(Value) : YamlScalarType.String;

    public bool IsNull => Type == YamlScalarType.Null;

    public override string KindName => Type switch
    {
        YamlScalarType.Null => "null",
        YamlScalarType.Boolean => "a boolean",
        YamlScalarType.Integer => "a number",
        YamlScalarType.Float => "a number",
        _ => "a string",
    };
}

internal sealed class YamlSequence(IReadOnlyList<YamlNode> items, SourceLocation location) : YamlNode(location)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override string KindName => "a list";
}

internal sealed class YamlMapping(IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries, SourceLocation location) : YamlNode(location)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    public override string KindName => "a mapping";

    public YamlNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    public YamlScalar? KeyNamed(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;
}

/// <summary>The types a plain scalar resolves to under the YAML 1.2 core schema.</summary>
internal enum YamlScalarType
{
    String,
    Null,
    Boolean,
    Integer,
    Float,
}
