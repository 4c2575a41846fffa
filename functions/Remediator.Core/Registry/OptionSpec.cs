namespace Remediator.Core.Registry;

/// <summary>The value types an option of a detector or an action can take in a rule file.</summary>
public enum OptionKind
{
    String,
    Integer,
    Boolean,
    StringList,
    /// <summary>A map from a name (e.g. a function name) to a whole number (e.g. seconds).</summary>
    IntegerMap,
}

/// <summary>
/// One typed option of a detector or an action. The same description drives three things, so they cannot drift:
/// validation of rule files (with file, line and field), the generated JSON Schema, and binding to an options record.
/// </summary>
public sealed record OptionSpec(string Name, OptionKind Kind, string Description)
{
    public bool Required { get; init; }

    /// <summary>Default value, of the CLR type that <see cref="OptionValues"/> hands out for <see cref="Kind"/>.</summary>
    public object? Default { get; init; }

    /// <summary>For <see cref="OptionKind.String"/> and <see cref="OptionKind.StringList"/>: the only values allowed.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    public long? Minimum { get; init; }

    public long? Maximum { get; init; }
}
