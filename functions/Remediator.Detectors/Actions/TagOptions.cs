namespace Remediator.Detectors.Actions;

/// <summary>Options of the <c>tag</c> action: mark the resource so that people and other tools see the finding.</summary>
/// <param name="Key">Tag key.</param>
/// <param name="Value">Tag value template; see <see cref="TagValueTemplate"/> for its placeholders.</param>
public sealed record TagOptions(string Key, string Value)
{
    public static OptionSpec KeySpec { get; } = new("key", OptionKind.String, "Tag key (1-128 characters, not starting with 'aws:').")
    {
        Default = "remediator:finding",
    };

    public static OptionSpec ValueSpec { get; } = new("value", OptionKind.String,
        "Tag value template; placeholders: {rule}, {eventId}, {time}, {concern}, {severity}.")
    {
        Default = "{rule}",
    };

    public static IReadOnlyList<OptionSpec> Specs { get; } = [KeySpec, ValueSpec];

    public static TagOptions Bind(OptionValues values)
    {
        var key = OptionReading.String(values, KeySpec)!;
        if (key.Length is 0 or > TagValueTemplate.MaximumKeyLength)
        {
            throw new ArgumentException($"Option 'key' must be 1 to {TagValueTemplate.MaximumKeyLength} characters; got {key.Length}.");
        }

        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Option 'key' must not start with 'aws:' (reserved by AWS); got '{key}'.");
        }

        if (key.FirstOrDefault(c => !TagValueTemplate.IsAllowedTagCharacter(c)) is var bad and not '\0')
        {
            throw new ArgumentException($"Option 'key' holds '{bad}', which AWS tags do not allow; use letters, digits, spaces and _ . : / = + - @.");
        }

        var value = OptionReading.String(values, ValueSpec)!;
        var problem = TagValueTemplate.Validate(value);
        return problem is null ? new TagOptions(key, value) : throw new ArgumentException($"Option 'value': {problem}");
    }
}
