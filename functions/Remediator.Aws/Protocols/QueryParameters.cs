using System.Text;

namespace Remediator.Aws.Protocols;

/// <summary>
/// The members of a Query-protocol request (IAM, SNS) in the order added, flattened the way the protocol wants:
/// lists as <c>Name.member.N</c>, tags as <c>Tags.member.N.Key</c> / <c>.Value</c>, maps as <c>Name.entry.N.key</c>.
/// </summary>
public sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> _members = [];

    public IReadOnlyList<KeyValuePair<string, string>> Members => _members;

    /// <summary>Adds a member; a null value is left out (the member is optional and unset).</summary>
    public QueryParameters Add(string name, string? value)
    {
        if (value is not null)
        {
            _members.Add(new(name, value));
        }

        return this;
    }

    public QueryParameters Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public QueryParameters AddTags(string name, IReadOnlyDictionary<string, string> tags)
    {
        var index = 1;
        foreach (var (key, value) in tags.OrderBy(tag => tag.Key, StringComparer.Ordinal))
        {
            Add($"{name}.member.{index}.Key", key);
            Add($"{name}.member.{index}.Value", value);
            index++;
        }

        return this;
    }

    /// <summary>The form body: <c>Action</c> and <c>Version</c> first, every value RFC 3986-escaped.</summary>
    public string ToFormBody(string action, string version)
    {
        var body = new StringBuilder();
        body.Append("Action=").Append(Uri.EscapeDataString(action));
        body.Append("&Version=").Append(Uri.EscapeDataString(version));
        foreach (var (name, value) in _members)
        {
            body.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return body.ToString();
    }
}
