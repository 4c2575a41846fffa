using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Remediator.Core.Events;

namespace Remediator.Detectors.Iam;

/// <summary>
/// An IAM policy document read tolerantly: from JSON text (pretty, compact, tabs), URL-encoded text (as IAM's API and
/// CloudTrail responses give it) or an already-parsed JSON object. <c>Statement</c> may be one object or a list;
/// <c>Action</c>, <c>Resource</c> and principal values may be a string or a list. Anything else is recorded in
/// <see cref="Problems"/>, never thrown: IAM would have refused such a document, so it comes from sanitised or
/// hand-made data, and it cannot be judged.
/// </summary>
internal sealed class PolicyDocument
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    private PolicyDocument(IReadOnlyList<PolicyStatement> statements, IReadOnlyList<string> problems, bool isUnreadable, string? text)
    {
        Statements = statements;
        Problems = problems;
        IsUnreadable = isUnreadable;
        Text = text;
    }

    /// <summary>The statements that could be read, in document order.</summary>
    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>Why (part of) the document could not be read; empty for a well-formed document.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>True when nothing in it could be judged (not JSON, not an object, no usable Statement).</summary>
    public bool IsUnreadable { get; }

    /// <summary>The decoded document text (plain JSON when it was readable): what a revert step keeps for undo.</summary>
    public string? Text { get; }

    /// <summary>Reads the document held by a JSON member: a string (plain or URL-encoded JSON) or an object.
    /// Returns null when the member is absent or null: there is nothing to judge.</summary>
    public static PolicyDocument? FromMember(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => FromText(value.GetString() ?? string.Empty),
            JsonValueKind.Object => FromRoot(value, value.GetRawText()),
            _ => Unreadable(value.GetRawText(), $"the document is a JSON {value.ValueKind}, not JSON text or an object"),
        };

    /// <summary>Reads a document from text: plain JSON or URL-encoded JSON.</summary>
    public static PolicyDocument FromText(string text)
    {
        var decoded = Decode(text);
        try
        {
            using var parsed = JsonDocument.Parse(decoded, ParseOptions);
            return FromRoot(parsed.RootElement.Clone(), decoded);
        }
        catch (JsonException e)
        {
            return Unreadable(decoded, $"the document is not valid JSON ({e.Message})");
        }
    }

    /// <summary>
    /// Plain JSON starts with <c>{</c> after white space. URL-encoding turns that brace into <c>%7B</c>, so text that
    /// does not start with a brace but holds a percent escape is decoded (twice at most, for double encoding).
    /// RFC 3986 decoding (<see cref="Uri.UnescapeDataString(string)"/>): a literal <c>+</c> stays a plus.
    /// </summary>
    public static string Decode(string text)
    {
        var current = text.Trim();
        for (var round = 0; round < 2; round++)
        {
            if (current.Length == 0 || current[0] is '{' or '[' || !current.Contains('%', StringComparison.Ordinal))
            {
                return current;
            }

            var next = Uri.UnescapeDataString(current).Trim();
            if (string.Equals(next, current, StringComparison.Ordinal))
            {
                return current;
            }

            current = next;
        }

        return current;
    }

    private static PolicyDocument Unreadable(string? text, string problem) => new([], [problem], isUnreadable: true, text);

    private static PolicyDocument FromRoot(JsonElement root, string text)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Unreadable(text, $"the document is a JSON {root.ValueKind}, not an object");
        }

        var statementElement = JsonText.MemberIgnoreCase(root, "Statement");
        var problems = new List<string>();
        var statements = new List<PolicyStatement>();
        switch (statementElement.ValueKind)
        {
            case JsonValueKind.Undefined:
                return Unreadable(text, "the document has no Statement");
            case JsonValueKind.Object:
                PolicyStatement.Read(statementElement, 0, statements, problems);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in statementElement.EnumerateArray())
                {
                    PolicyStatement.Read(item, index++, statements, problems);
                }

                if (index == 0)
                {
                    return Unreadable(text, "the document's Statement list is empty");
                }

                break;
            default:
                return Unreadable(text, $"the document's Statement is a JSON {statementElement.ValueKind}, not an object or a list");
        }

        return new PolicyDocument(statements, problems, isUnreadable: statements.Count == 0, text);
    }
}

/// <summary>The principals of a statement's <c>Principal</c> or <c>NotPrincipal</c>.</summary>
/// <param name="Everyone"><c>"*"</c> as the whole principal.</param>
internal sealed record PolicyPrincipal(
    bool Everyone,
    IReadOnlyList<string> Aws,
    IReadOnlyList<string> Service,
    IReadOnlyList<string> Federated,
    IReadOnlyList<string> CanonicalUser);

/// <summary>One statement of a policy, with its lists normalised (string or list become a list).</summary>
internal sealed class PolicyStatement
{
    private string? _compactJson;
    private ConditionJudgement? _conditions;

    private PolicyStatement(JsonElement raw, int index)
    {
        Raw = raw;
        Index = index;
    }

    /// <summary>0-based position in the document's Statement list.</summary>
    public int Index { get; }

    public JsonElement Raw { get; }

    public string? Sid { get; private init; }

    public bool IsAllow { get; private init; }

    public bool IsDeny { get; private init; }

    public IReadOnlyList<string>? Actions { get; private init; }

    public IReadOnlyList<string>? NotActions { get; private init; }

    public IReadOnlyList<string>? Resources { get; private init; }

    public IReadOnlyList<string>? NotResources { get; private init; }

    public PolicyPrincipal? Principal { get; private init; }

    public PolicyPrincipal? NotPrincipal { get; private init; }

    /// <summary>The Condition block, or undefined when the statement has none.</summary>
    public JsonElement Condition { get; private init; }

    /// <summary>A non-empty Condition block (settled once when read: every check asks).</summary>
    public bool HasCondition { get; private init; }

    /// <summary>The Condition judged key by key (<see cref="ConditionMeaning"/>), once per statement.</summary>
    public ConditionJudgement Conditions => _conditions ??= ConditionMeaning.Judge(this);

    /// <summary>The statement as compact JSON, for evidence.</summary>
    public string CompactJson => _compactJson ??= Compact(Raw);

    /// <summary>How the statement is named in evidence: its position and Sid.</summary>
    public string Label => string.IsNullOrEmpty(Sid) ? $"statement #{Index + 1}" : $"statement #{Index + 1} (Sid '{Sid}')";

    /// <summary>Adds the statement to <paramref name="statements"/> when it can be judged, else says why to <paramref name="problems"/>.</summary>
    public static void Read(JsonElement raw, int index, List<PolicyStatement> statements, List<string> problems)
    {
        var where = $"statement #{index + 1}";
        if (raw.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where} is a JSON {raw.ValueKind}, not an object");
            return;
        }

        var canonical = HasOnlyCanonicalNames(raw);
        var effect = MemberOf(raw, "Effect", canonical);
        if (effect.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{where} has no Effect string");
            return;
        }

        var isAllow = string.Equals(effect.GetString(), "Allow", StringComparison.OrdinalIgnoreCase);
        var isDeny = string.Equals(effect.GetString(), "Deny", StringComparison.OrdinalIgnoreCase);
        if (!isAllow && !isDeny)
        {
            // IAM refuses any other effect: such a statement grants and denies nothing.
            problems.Add($"{where} has an unknown Effect '{effect.GetString()}'");
            return;
        }

        // A Deny is read as fully as an Allow: the effective permissions subtract it (explicit Deny wins).
        var before = problems.Count;
        var condition = ConditionOf(raw, canonical, where, problems);
        var statement = new PolicyStatement(raw, index)
        {
            IsAllow = isAllow,
            IsDeny = isDeny,
            Sid = SidOf(raw),
            Actions = StringList(raw, "Action", canonical, where, problems),
            NotActions = StringList(raw, "NotAction", canonical, where, problems),
            Resources = StringList(raw, "Resource", canonical, where, problems),
            NotResources = StringList(raw, "NotResource", canonical, where, problems),
            Principal = Principals(raw, "Principal", canonical, where, problems),
            NotPrincipal = Principals(raw, "NotPrincipal", canonical, where, problems),
            Condition = condition,
            HasCondition = IsNonEmptyObject(condition),
        };

        if (problems.Count == before)
        {
            statements.Add(statement);
        }
    }

    private static bool IsNonEmptyObject(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        // The struct enumerator, not LINQ's Any: no boxing.
        var members = value.EnumerateObject();
        return members.MoveNext();
    }

    private static string? SidOf(JsonElement raw) => JsonText.String(raw, "Sid");

    /// <summary>The element names IAM documents use, spelled as AWS spells them.</summary>
    private static readonly string[] CanonicalNames =
        ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];

    /// <summary>
    /// True when every member name is spelled as AWS spells it: then an absent member is absent, and the
    /// case-insensitive search (which allocates every member's name) is not needed. Compared without allocating.
    /// </summary>
    private static bool HasOnlyCanonicalNames(JsonElement raw)
    {
        foreach (var property in raw.EnumerateObject())
        {
            var known = false;
            foreach (var name in CanonicalNames)
            {
                if (property.NameEquals(name))
                {
                    known = true;
                    break;
                }
            }

            if (!known)
            {
                return false;
            }
        }

        return true;
    }

    private static JsonElement MemberOf(JsonElement raw, string name, bool canonical) =>
        canonical ? JsonText.Member(raw, name) : JsonText.MemberIgnoreCase(raw, name);

    private static JsonElement ConditionOf(JsonElement raw, bool canonical, string where, List<string> problems)
    {
        var condition = MemberOf(raw, "Condition", canonical);
        if (condition.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
        {
            problems.Add($"{where}: Condition is a JSON {condition.ValueKind}, not an object");
            return default;
        }

        return condition;
    }

    private static IReadOnlyList<string>? StringList(JsonElement raw, string name, bool canonical, string where, List<string> problems)
    {
        var value = MemberOf(raw, name, canonical);
        var list = ReadStrings(value);
        if (list is null && value.ValueKind != JsonValueKind.Undefined)
        {
            problems.Add($"{where}: {name} must be a string or a list of strings, not a JSON {value.ValueKind}");
        }

        return list;
    }

    /// <summary>A string or a list of strings; null when absent or of another shape.</summary>
    public static IReadOnlyList<string>? ReadStrings(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Array:
                var list = new List<string>(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    list.Add(item.GetString()!);
                }

                return list;
            default:
                return null;
        }
    }

    private static PolicyPrincipal? Principals(JsonElement raw, string name, bool canonicalNames, string where, List<string> problems)
    {
        var value = MemberOf(raw, name, canonicalNames);
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined:
                return null;
            case JsonValueKind.String:
                // Only "*" is valid as a bare principal; anything else is read as an AWS principal so it is still judged.
                var text = value.GetString()!;
                return text == "*"
                    ? new PolicyPrincipal(true, [], [], [], [])
                    : new PolicyPrincipal(false, [text], [], [], []);
            case JsonValueKind.Object:
                List<string> aws = [], service = [], federated = [], canonical = [];
                foreach (var property in value.EnumerateObject())
                {
                    var values = ReadStrings(property.Value);
                    if (values is null)
                    {
                        problems.Add($"{where}: {name}.{property.Name} must be a string or a list of strings");
                        continue;
                    }

                    var target = property.Name.ToUpperInvariant() switch
                    {
                        "AWS" => aws,
                        "SERVICE" => service,
                        "FEDERATED" => federated,
                        "CANONICALUSER" => canonical,
                        _ => null,
                    };
                    if (target is null)
                    {
                        problems.Add($"{where}: {name} has an unknown principal type '{property.Name}'");
                        continue;
                    }

                    target.AddRange(values);
                }

                return new PolicyPrincipal(false, aws, service, federated, canonical);
            default:
                problems.Add($"{where}: {name} must be \"*\" or an object, not a JSON {value.ValueKind}");
                return null;
        }
    }

    // Evidence is read by people in Slack and audit records, not embedded in HTML: keep '+', '<' and non-ASCII legible.
    private static string Compact(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
