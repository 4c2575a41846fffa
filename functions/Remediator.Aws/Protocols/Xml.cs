using System.Globalization;
using System.Xml.Linq;

namespace Remediator.Aws.Protocols;

/// <summary>Namespace-blind readers for Query-protocol replies: children are found by local name.</summary>
public static class Xml
{
    public static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(element => element.Name.LocalName == name);

    public static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    public static bool Bool(XElement? parent, string name) =>
        string.Equals(Text(parent, name), "true", StringComparison.OrdinalIgnoreCase);

    public static int? Int(XElement? parent, string name) =>
        int.TryParse(Text(parent, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static DateTimeOffset? Date(XElement? parent, string name) =>
        DateTimeOffset.TryParse(Text(parent, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    /// <summary>The <c>&lt;member&gt;</c> items of a list child.</summary>
    public static IEnumerable<XElement> Members(XElement? parent, string listName) =>
        Child(parent, listName)?.Elements().Where(element => element.Name.LocalName == "member") ?? [];

    /// <summary>A <c>&lt;Tags&gt;&lt;member&gt;&lt;Key/&gt;&lt;Value/&gt;</c> list as a dictionary.</summary>
    public static Dictionary<string, string> Tags(XElement? parent, string listName = "Tags")
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in Members(parent, listName))
        {
            var key = Text(member, "Key");
            if (key is not null)
            {
                tags[key] = Text(member, "Value") ?? "";
            }
        }

        return tags;
    }
}
