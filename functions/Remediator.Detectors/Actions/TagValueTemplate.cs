using System.Text;

namespace Remediator.Detectors.Actions;

/// <summary>
/// The tag action's value template: literal text with placeholders <c>{rule}</c>, <c>{eventId}</c>, <c>{time}</c>,
/// <c>{concern}</c>, <c>{severity}</c>. Unknown placeholders are rejected when the rule is loaded, not when tagging.
/// </summary>
public static class TagValueTemplate
{
    public const string Rule = "rule";
    public const string EventId = "eventId";
    public const string Time = "time";
    public const string Concern = "concern";
    public const string Severity = "severity";

    /// <summary>AWS tag limits (IAM, Lambda, EventBridge, API Gateway, DynamoDB all accept this much).</summary>
    public const int MaximumKeyLength = 128;

    public const int MaximumValueLength = 256;

    public static IReadOnlyList<string> Placeholders { get; } = [Rule, EventId, Time, Concern, Severity];

    /// <summary>Null when the template is valid; else what is wrong, naming the placeholder.</summary>
    public static string? Validate(string template)
    {
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var stray = template.IndexOf('}', i);
            if (stray >= 0 && (open < 0 || stray < open))
            {
                return $"'}}' at position {stray} closes no placeholder.";
            }

            if (open < 0)
            {
                return null;
            }

            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                return $"'{{' at position {open} is never closed.";
            }

            var name = template[(open + 1)..close];
            if (!Placeholders.Contains(name, StringComparer.Ordinal))
            {
                return $"unknown placeholder '{{{name}}}'; known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.";
            }

            i = close + 1;
        }

        return null;
    }

    /// <summary>
    /// Fills the placeholders (a placeholder without a value becomes empty, an unknown one stays as written), then
    /// makes the result a valid tag value: characters AWS refuses become '_', and it is cut at 256 characters.
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (close < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            text.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            if (values.TryGetValue(name, out var value))
            {
                text.Append(value);
            }
            else if (!Placeholders.Contains(name, StringComparer.Ordinal))
            {
                text.Append(template, open, close - open + 1);
            }

            i = close + 1;
        }

        for (var c = 0; c < text.Length; c++)
        {
            if (!IsAllowedTagCharacter(text[c]))
            {
                text[c] = '_';
            }
        }

        return text.Length > MaximumValueLength ? text.ToString(0, MaximumValueLength) : text.ToString();
    }

    /// <summary>Letters, digits, white space and <c>_ . : / = + - @</c>: the set every tagging API here accepts.</summary>
    public static bool IsAllowedTagCharacter(char c) =>
        char.IsLetterOrDigit(c) || char.IsWhiteSpace(c) || c is '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@';
}
