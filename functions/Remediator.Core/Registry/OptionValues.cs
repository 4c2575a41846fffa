namespace Remediator.Core.Registry;

/// <summary>
/// Option values of one detector or action in one rule, already checked against its <see cref="OptionSpec"/>s,
/// with defaults filled in. Values are: string, long, bool, IReadOnlyList&lt;string&gt;, IReadOnlyDictionary&lt;string,long&gt;.
/// </summary>
public sealed class OptionValues
{
    private readonly Dictionary<string, object?> _values;

    public OptionValues(IReadOnlyDictionary<string, object?> values)
    {
        _values = new Dictionary<string, object?>(values, StringComparer.Ordinal);
    }

    public static OptionValues Empty { get; } = new(new Dictionary<string, object?>());

    /// <summary>Options with every spec's default, as a rule that names the element without options gets.</summary>
    public static OptionValues Defaults(IEnumerable<OptionSpec> specs) =>
        new(specs.Where(s => s.Default is not null).ToDictionary(s => s.Name, s => s.Default));

    public IEnumerable<string> Names => _values.Keys;

    public bool Has(string name) => _values.TryGetValue(name, out var v) && v is not null;

    public string? GetString(string name) => Get<string>(name);

    public long? GetInteger(string name) => _values.TryGetValue(name, out var v) && v is long l ? l : null;

    public bool? GetBoolean(string name) => _values.TryGetValue(name, out var v) && v is bool b ? b : null;

    public IReadOnlyList<string> GetStringList(string name) => Get<IReadOnlyList<string>>(name) ?? [];

    public IReadOnlyDictionary<string, long> GetIntegerMap(string name) =>
        Get<IReadOnlyDictionary<string, long>>(name) ?? new Dictionary<string, long>();

    private T? Get<T>(string name) where T : class => _values.TryGetValue(name, out var v) ? v as T : null;
}
