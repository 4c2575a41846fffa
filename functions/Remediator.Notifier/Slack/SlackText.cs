using System.Text;

namespace Remediator.Notifier.Slack;

/// <summary>
/// Text for Slack's mrkdwn. Slack reads <c>&lt;...&gt;</c> as links and mentions (<c>&lt;!channel&gt;</c>), so every
/// piece of text that comes from an event (a role name, an actor, an error) is escaped: <c>&amp;</c>, <c>&lt;</c> and
/// <c>&gt;</c> become entities, and nothing else is touched (Slack's documented rule).
/// </summary>
public static class SlackText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>Inline code: escaped, and a backtick inside (which would end the span early) replaced by a quote.</summary>
    public static string Code(string? text) =>
        "`" + Escape(string.IsNullOrEmpty(text) ? "-" : text.Replace('`', '\'')) + "`";

    /// <summary>A link; the URL's own <c>&amp;</c> are escaped too (Slack unescapes them), the label is escaped text.</summary>
    public static string Link(Uri url, string label) =>
        "<" + Escape(url.AbsoluteUri).Replace("|", "%7C", StringComparison.Ordinal) + "|" + Escape(label).Replace("|", "¦", StringComparison.Ordinal) + ">";

    /// <summary>
    /// Cuts escaped text to <paramref name="limit"/> characters with an ellipsis, never inside an entity such as
    /// <c>&amp;amp;</c> (half an entity would show as garbage).
    /// </summary>
    public static string Truncate(string escaped, int limit)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        if (escaped.Length <= limit)
        {
            return escaped;
        }

        var cut = limit - 1;
        var amp = escaped.LastIndexOf('&', cut - 1, Math.Min(cut, 6));
        if (amp >= 0 && escaped.IndexOf(';', amp) is var semi && (semi < 0 || semi >= cut))
        {
            cut = amp;
        }

        if (cut > 0 && char.IsHighSurrogate(escaped[cut - 1]))
        {
            cut--;
        }

        return new StringBuilder(cut + 1).Append(escaped, 0, cut).Append('…').ToString();
    }

    /// <summary>Plain text (header blocks, which Slack does not parse) cut to a limit.</summary>
    public static string Plain(string text, int limit) => text.Length <= limit ? text : Truncate(text, limit);
}
