using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Remediator.Core.Rules;

/// <summary>
/// Reads YAML text into <see cref="YamlNode"/> trees with YamlDotNet's low-level parser (no reflection, so it
/// works under NativeAOT). Problems that do not stop parsing (duplicate keys, complex keys, tags) are collected;
/// a syntax error ends the file, since nothing after it can be trusted.
/// </summary>
internal sealed class YamlTreeReader
{
    private const string StringTag = "tag:yaml.org,2002:str";

    private readonly string _file;
    private readonly List<RuleError> _errors;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

    /// <summary>Where the last node started, for parser failures that carry no position.</summary>
    private Mark _lastSeen = Mark.Empty;

    private YamlTreeReader(string file, List<RuleError> errors)
    {
        _file = file;
        _errors = errors;
    }

    /// <summary>Every document of <paramref name="text"/>; empty documents are left out.</summary>
    public static IReadOnlyList<YamlNode> ReadDocuments(string text, string file, List<RuleError> errors)
    {
        var reader = new YamlTreeReader(file, errors);
        var documents = new List<YamlNode>();
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                var root = reader.ReadNode(parser, "");
                parser.Consume<DocumentEnd>();
                reader._anchors.Clear();
                if (!(root is YamlScalar { IsNull: true }))
                {
                    documents.Add(root);
                }
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            errors.Add(new RuleError(reader.At(e.Start), "", $"YAML syntax error: {Describe(e)}"));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1 throws this instead of a YamlException for some unterminated flow collections.
            errors.Add(new RuleError(reader.At(reader._lastSeen), "", "YAML syntax error after this point: is a bracket, brace or quote left open?"));
        }

        return documents;
    }

    private YamlNode ReadNode(IParser parser, string path)
    {
        _lastSeen = parser.Current?.Start ?? _lastSeen;
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} names no anchor defined before it");
        }

        return parser.Current switch
        {
            Scalar scalar => ReadScalar(parser, scalar, path),
            SequenceStart start => ReadSequence(parser, start, path),
            MappingStart start => ReadMapping(parser, start, path),
            var other => throw new YamlException(other?.Start ?? Mark.Empty, other?.End ?? Mark.Empty, "unexpected YAML event"),
        };
    }

    private YamlScalar ReadScalar(IParser parser, Scalar scalar, string path)
    {
        parser.MoveNext();
        var isStringTagged = CheckTag(scalar, path, allowString: true);
        var node = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, isStringTagged, At(scalar.Start));
        Remember(scalar, node);
        return node;
    }

    private YamlSequence ReadSequence(IParser parser, SequenceStart start, string path)
    {
        parser.MoveNext();
        CheckTag(start, path, allowString: false);
        var items = new List<YamlNode>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode(parser, RulePaths.Index(path, items.Count)));
        }

        var node = new YamlSequence(items, At(start.Start));
        Remember(start, node);
        return node;
    }

    private YamlMapping ReadMapping(IParser parser, MappingStart start, string path)
    {
        parser.MoveNext();
        CheckTag(start, path, allowString: false);
        var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = ReadNode(parser, path);
            var value = ReadNode(parser, key is YamlScalar named ? RulePaths.Member(path, named.Value) : path);
            if (key is not YamlScalar scalarKey)
            {
                _errors.Add(new RuleError(key.Location, path, $"a mapping key must be a scalar, not {key.KindName}"));
                continue;
            }

            if (seen.TryGetValue(scalarKey.Value, out var first))
            {
                _errors.Add(new RuleError(scalarKey.Location, RulePaths.Member(path, scalarKey.Value), $"duplicate key '{scalarKey.Value}' (first at {first.Line}:{first.Column})"));
                continue;
            }

            seen.Add(scalarKey.Value, scalarKey.Location);
            entries.Add(new(scalarKey, value));
        }

        var node = new YamlMapping(entries, At(start.Start));
        Remember(start, node);
        return node;
    }

    /// <summary>True for an explicit <c>!!str</c>. Other tags (e.g. CloudFormation's <c>!Ref</c>) mean nothing here and are errors.</summary>
    private bool CheckTag(NodeEvent node, string path, bool allowString)
    {
        if (node.Tag.IsEmpty || node.Tag.IsNonSpecific)
        {
            return false;
        }

        if (allowString && node.Tag.Value == StringTag)
        {
            return true;
        }

        _errors.Add(new RuleError(At(node.Start), path, $"YAML tag '{node.Tag.Value}' is not supported in rule files"));
        return false;
    }

    private void Remember(NodeEvent node, YamlNode built)
    {
        if (!node.Anchor.IsEmpty)
        {
            _anchors[node.Anchor.Value] = built;
        }
    }

    private SourceLocation At(Mark mark) => new(_file, (int)mark.Line, (int)mark.Column);

    /// <summary>YamlDotNet's message without its own "(Line: …, Col: …)" prefix, since ours says file:line:column.</summary>
    private static string Describe(YamlException e)
    {
        var message = e.Message;
        var separator = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && separator >= 0 ? message[(separator + 3)..] : message;
    }
}
