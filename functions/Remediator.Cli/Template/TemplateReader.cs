using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Remediator.Cli.Template;

/// <summary>A template read from a file: its JSON form (YAML short tags turned into their long forms) and where each resource starts.</summary>
/// <param name="ResourceLines">Logical id → 1-based line of its key under <c>Resources</c>, for CI annotations.</param>
public sealed record TemplateDocument(string File, JsonObject Root, IReadOnlyDictionary<string, int> ResourceLines)
{
    public int LineOf(string logicalId) => ResourceLines.TryGetValue(logicalId, out var line) ? line : 1;
}

/// <summary>A template that cannot be read, with a 1-based line and column.</summary>
public sealed class TemplateReadException(string file, int line, int column, string problem)
    : Exception($"{file}:{line}:{column}: {problem}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Problem { get; } = problem;
}

/// <summary>
/// Reads CloudFormation and SAM templates in JSON or YAML. YAML goes through YamlDotNet's low-level parser (no
/// reflection, so NativeAOT is safe) into the same JSON tree the JSON form gives, with CloudFormation's short-form tags
/// (<c>!Ref</c>, <c>!GetAtt A.B</c>, <c>!Sub</c>, <c>!If</c>, …) written out as their long forms, exactly as
/// CloudFormation itself does before it processes a YAML template.
/// </summary>
public static partial class TemplateReader
{
    /// <summary>Short-form tags CloudFormation accepts, each with the long form it stands for.</summary>
    private static readonly Dictionary<string, string> ShortForms = new(StringComparer.Ordinal)
    {
        ["!Ref"] = "Ref",
        ["!Condition"] = "Condition",
        ["!Base64"] = "Fn::Base64",
        ["!Cidr"] = "Fn::Cidr",
        ["!FindInMap"] = "Fn::FindInMap",
        ["!GetAtt"] = "Fn::GetAtt",
        ["!GetAZs"] = "Fn::GetAZs",
        ["!ImportValue"] = "Fn::ImportValue",
        ["!Join"] = "Fn::Join",
        ["!Select"] = "Fn::Select",
        ["!Split"] = "Fn::Split",
        ["!Sub"] = "Fn::Sub",
        ["!Transform"] = "Fn::Transform",
        ["!And"] = "Fn::And",
        ["!Equals"] = "Fn::Equals",
        ["!If"] = "Fn::If",
        ["!Not"] = "Fn::Not",
        ["!Or"] = "Fn::Or",
        ["!ToJsonString"] = "Fn::ToJsonString",
        ["!Length"] = "Fn::Length",
    };

    private static readonly HashSet<string> TopLevelSections = new(StringComparer.Ordinal)
    {
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
        "Transform", "Resources", "Outputs", "Globals",
    };

    public static TemplateDocument ReadFile(string path) => Read(File.ReadAllText(path), path);

    /// <summary>Any YAML or JSON document as JSON (no template checks), for files such as <c>remediator test</c> cases.</summary>
    public static JsonNode? ReadData(string text, string file)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '[') ? ReadJson(text, file).Item1 : ReadYaml(text, file).Item1;
    }

    public static TemplateDocument Read(string text, string file)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] == '\uFEFF')
        {
            trimmed = trimmed[1..].TrimStart();
        }

        var (root, lines) = trimmed.Length > 0 && trimmed[0] == '{' ? ReadJson(text, file) : ReadYaml(text, file);
        Check(root, file, lines);
        return new TemplateDocument(file, root!.AsObject(), lines);
    }

    /// <summary>A template CloudFormation would accept at all: a mapping with a non-empty Resources mapping.</summary>
    private static void Check(JsonNode? root, string file, Dictionary<string, int> lines)
    {
        if (root is not JsonObject obj)
        {
            throw new TemplateReadException(file, 1, 1, $"not a CloudFormation template: the document is {Kind(root)}, not a mapping of sections");
        }

        if (!obj.ContainsKey("Resources"))
        {
            var known = obj.Select(p => p.Key).Where(TopLevelSections.Contains).ToList();
            throw new TemplateReadException(file, 1, 1, known.Count == 0
                ? $"not a CloudFormation template: none of its top-level keys ({string.Join(", ", obj.Select(p => p.Key).Take(5))}) is a template section such as Resources"
                : "the template has no Resources section (CloudFormation requires at least one resource)");
        }

        if (obj["Resources"] is not JsonObject { Count: > 0 })
        {
            throw new TemplateReadException(file, lines.GetValueOrDefault("", 1), 1, "Resources must be a mapping with at least one resource");
        }
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "empty",
        JsonArray => "a list",
        JsonObject => "a mapping",
        _ => "a single value",
    };

    // ---- JSON ----

    private static (JsonNode?, Dictionary<string, int>) ReadJson(string text, string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new TemplateReadException(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1,
                $"JSON syntax error: {(cut > 0 ? message[..cut] : message)}");
        }

        return (root, JsonResourceLines(text));
    }

    /// <summary>Lines of the keys directly under the top-level <c>Resources</c>, found with a forward-only reader.</summary>
    private static Dictionary<string, int> JsonResourceLines(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        int LineAt(long offset)
        {
            var index = lineStarts.BinarySearch((int)offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var inResources = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                if (inResources && reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1)
                {
                    inResources = false;
                }

                continue;
            }

            if (reader.CurrentDepth == 1)
            {
                inResources = reader.ValueTextEquals("Resources"u8);
                if (inResources)
                {
                    lines[""] = LineAt(reader.TokenStartIndex);
                }
            }
            else if (inResources && reader.CurrentDepth == 2)
            {
                lines[reader.GetString()!] = LineAt(reader.TokenStartIndex);
            }
        }

        return lines;
    }

    // ---- YAML ----

    private static (JsonNode?, Dictionary<string, int>) ReadYaml(string text, string file)
    {
        var state = new YamlState(file);
        JsonNode? root = null;
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.TryConsume<DocumentStart>(out _))
            {
                root = state.Read(parser, depth: 0, underResources: false);
                parser.Consume<DocumentEnd>();
                if (parser.TryConsume<DocumentStart>(out var second))
                {
                    throw new TemplateReadException(file, (int)second.Start.Line, (int)second.Start.Column, "a template is one YAML document; this file holds more than one");
                }
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            var message = e.Message;
            var separator = message.IndexOf("): ", StringComparison.Ordinal);
            var problem = message.StartsWith("(Line:", StringComparison.Ordinal) && separator >= 0 ? message[(separator + 3)..] : message;
            throw new TemplateReadException(file, Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), $"YAML syntax error: {problem}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1 throws this instead of a YamlException for some unterminated flow collections.
            throw new TemplateReadException(file, Math.Max(1, (int)state.LastSeen.Line), Math.Max(1, (int)state.LastSeen.Column),
                "YAML syntax error after this point: is a bracket, brace or quote left open?");
        }

        return (root, state.Lines);
    }

    private sealed class YamlState(string file)
    {
        private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);

        public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

        public Mark LastSeen { get; private set; } = Mark.Empty;

        public JsonNode? Read(IParser parser, int depth, bool underResources)
        {
            LastSeen = parser.Current?.Start ?? LastSeen;
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                return _anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target?.DeepClone()
                    : throw Error(alias.Start, $"alias *{alias.Value.Value} names no anchor defined before it");
            }

            var current = parser.Current as NodeEvent ?? throw Error(parser.Current?.Start ?? Mark.Empty, "unexpected YAML content");
            JsonNode? value = current switch
            {
                Scalar scalar => ReadScalar(parser, scalar),
                SequenceStart => ReadSequence(parser, depth),
                MappingStart start => ReadMapping(parser, start, depth, underResources),
                _ => throw Error(current.Start, "unexpected YAML content"),
            };
            value = ApplyTag(current, value);
            if (!current.Anchor.IsEmpty)
            {
                _anchors[current.Anchor.Value] = value?.DeepClone();
            }

            return value;
        }

        private static JsonValue? ReadScalar(IParser parser, Scalar scalar)
        {
            parser.MoveNext();
            var quoted = scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific);
            return quoted ? JsonValue.Create(scalar.Value) : Plain(scalar.Value);
        }

        private JsonArray ReadSequence(IParser parser, int depth)
        {
            parser.MoveNext();
            var items = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(Read(parser, depth + 1, underResources: false));
            }

            return items;
        }

        private JsonObject ReadMapping(IParser parser, MappingStart start, int depth, bool underResources)
        {
            parser.MoveNext();
            var entries = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current?.Start ?? start.Start;
                var key = Read(parser, depth + 1, underResources: false);
                if (key is not JsonValue keyValue)
                {
                    throw Error(keyStart, "a mapping key must be a plain value");
                }

                var name = keyValue.TryGetValue<string>(out var text) ? text : keyValue.ToJsonString();
                if (depth == 0 && name == "Resources")
                {
                    Lines[""] = (int)keyStart.Line;
                }
                else if (underResources)
                {
                    Lines[name] = (int)keyStart.Line;
                }

                var value = Read(parser, depth + 1, underResources: depth == 0 && name == "Resources");
                if (entries.ContainsKey(name))
                {
                    throw Error(keyStart, $"duplicate key '{name}'");
                }

                entries[name] = value;
            }

            return entries;
        }

        /// <summary>CloudFormation's short forms: <c>!Ref X</c> → <c>{"Ref": "X"}</c>, <c>!GetAtt A.B.C</c> → <c>{"Fn::GetAtt": ["A", "B.C"]}</c>.</summary>
        private JsonNode? ApplyTag(NodeEvent node, JsonNode? value)
        {
            if (node.Tag.IsEmpty || node.Tag.IsNonSpecific || node.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
            {
                return value;
            }

            if (!ShortForms.TryGetValue(node.Tag.Value, out var longForm))
            {
                throw Error(node.Start, $"unknown tag '{node.Tag.Value}': CloudFormation's short forms are {string.Join(", ", ShortForms.Keys)}");
            }

            if (longForm == "Fn::GetAtt" && value is JsonValue dotted && dotted.TryGetValue<string>(out var text))
            {
                var dot = text.IndexOf('.', StringComparison.Ordinal);
                if (dot <= 0)
                {
                    throw Error(node.Start, $"!GetAtt '{text}' must be LogicalId.Attribute");
                }

                value = new JsonArray(text[..dot], text[(dot + 1)..]);
            }

            // A tagged empty scalar ("!GetAZs ''" or a bare "!GetAZs") stays an empty string, not null.
            return new JsonObject { [longForm] = value ?? JsonValue.Create(string.Empty) };
        }

        private TemplateReadException Error(Mark mark, string problem) =>
            new(file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), problem);
    }

    /// <summary>Plain scalars typed as CloudFormation reads them: null, booleans and numbers; everything else is text.</summary>
    private static JsonValue? Plain(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
    }

    // Leading zeros (account ids such as 012345678901, octal-looking codes) stay text so that no digit is lost.
    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|(0|[1-9][0-9]*)\.[0-9]*)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
