using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Remediator.Core.Patterns;

/// <summary>A pattern field after parsing: its dotted path and its alternatives (exists:false becomes <see cref="AllowsAbsence"/>).</summary>
internal sealed record FieldCondition(string Path, ValueTest[] Tests, bool AllowsAbsence);

/// <summary>One conjunction of field conditions; a pattern with <c>$or</c> expands into several. Sorted by path (ordinal).</summary>
internal sealed record SubPattern(FieldCondition[] Conditions);

/// <summary>
/// Turns pattern JSON into sub-patterns with the rules of event-ruler's compiler: every field is an object or a
/// non-empty array; <c>$or</c> takes at least two objects and multiplies the alternatives; a field given twice keeps
/// the last value (also across <c>$or</c>); errors name the path.
/// </summary>
internal static class PatternCompiler
{
    private static readonly HashSet<string> ReservedInOr = new(StringComparer.Ordinal)
    {
        "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr",
        "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after", "date-on-or-after",
        "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range", "ip-address-not-in-range",
    };

    public static SubPattern[] Compile(JsonElement pattern)
    {
        if (pattern.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidPatternException(string.Empty, "pattern must be a JSON object");
        }

        var alternatives = new List<Dictionary<string, FieldCondition>>();
        ParseObject(pattern, string.Empty, string.Empty, alternatives, insideOr: false);
        return alternatives
            .Select(a => new SubPattern([.. a.Values.OrderBy(c => c.Path, StringComparer.Ordinal)]))
            .ToArray();
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private static void ParseObject(JsonElement obj, string path, string display, List<Dictionary<string, FieldCondition>> alternatives, bool insideOr)
    {
        var any = false;
        foreach (var property in obj.EnumerateObject())
        {
            any = true;
            var name = property.Name;
            // event-ruler falls back to its legacy compiler when "$or" is not followed by an array, and that one
            // treats "$or" as an ordinary field name.
            if (name == "$or" && property.Value.ValueKind == JsonValueKind.Array)
            {
                ParseOr(property.Value, path, Join(display, "$or"), alternatives);
                continue;
            }

            var fieldDisplay = Join(display, name);
            if (insideOr && ReservedInOr.Contains(name))
            {
                throw new InvalidPatternException(fieldDisplay, $"\"{name}\" is a reserved name and cannot be used as a field inside $or");
            }

            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    ParseObject(property.Value, Join(path, name), fieldDisplay, alternatives, insideOr);
                    break;
                case JsonValueKind.Array:
                    var condition = ParseValues(property.Value, Join(path, name), fieldDisplay);
                    if (alternatives.Count == 0)
                    {
                        alternatives.Add(new Dictionary<string, FieldCondition>(StringComparer.Ordinal));
                    }

                    foreach (var alternative in alternatives)
                    {
                        alternative[condition.Path] = condition;
                    }

                    break;
                default:
                    throw new InvalidPatternException(fieldDisplay, "must be an object or an array");
            }
        }

        if (!any)
        {
            throw new InvalidPatternException(display, "empty objects are not allowed");
        }
    }

    private static void ParseOr(JsonElement value, string path, string display, List<Dictionary<string, FieldCondition>> alternatives)
    {
        var before = alternatives.Select(a => new Dictionary<string, FieldCondition>(a, StringComparer.Ordinal)).ToList();
        alternatives.Clear();
        var index = 0;
        foreach (var branch in value.EnumerateArray())
        {
            var branchDisplay = $"{display}[{index}]";
            if (branch.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidPatternException(branchDisplay, "only JSON objects are allowed in $or");
            }

            var copies = before.Select(a => new Dictionary<string, FieldCondition>(a, StringComparer.Ordinal)).ToList();
            if (copies.Count == 0)
            {
                copies.Add(new Dictionary<string, FieldCondition>(StringComparer.Ordinal));
            }

            ParseObject(branch, path, branchDisplay, copies, insideOr: true);
            alternatives.AddRange(copies);
            index++;
        }

        if (index < 2)
        {
            throw new InvalidPatternException(display, "$or must contain at least 2 objects");
        }
    }

    private static FieldCondition ParseValues(JsonElement array, string path, string display)
    {
        var tests = new List<ValueTest>();
        var allowsAbsence = false;
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var at = $"{display}[{index++}]";
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    var text = element.GetString()!;
                    tests.Add(IpAddressText.TryParse(text, out var ip) is var length and > 0
                        ? new ValueTest { Kind = TestKind.IpRange, Ip = IpRange.Single(length, ip), Display = Quote(text) }
                        : new ValueTest { Kind = TestKind.ExactString, Bytes = Utf8(text), Display = Quote(text) });
                    break;
                case JsonValueKind.Number:
                    tests.Add(ExactNumber(element.GetRawText()));
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                case JsonValueKind.Null:
                    var literal = element.GetRawText();
                    tests.Add(new ValueTest { Kind = TestKind.ExactLiteral, Bytes = Utf8(literal), Display = literal });
                    break;
                case JsonValueKind.Object:
                    var test = ParseMatchExpression(element, at, out var absence);
                    if (absence)
                    {
                        allowsAbsence = true;
                    }
                    else
                    {
                        tests.Add(test!);
                    }

                    break;
                default:
                    throw new InvalidPatternException(at, "match value must be a string, number, true, false, null or an object");
            }
        }

        if (index == 0)
        {
            throw new InvalidPatternException(display, "empty arrays are not allowed");
        }

        return new FieldCondition(path, [.. tests], allowsAbsence);
    }

    private static ValueTest ExactNumber(string literal) =>
        new()
        {
            Kind = TestKind.ExactNumber,
            Bytes = Utf8(literal),
            HasNumberKey = ComparableNumber.TryGetKey(Utf8(literal), out var key),
            Low = key,
            Display = literal,
        };

    private static ValueTest? ParseMatchExpression(JsonElement expression, string at, out bool absence)
    {
        absence = false;
        using var properties = expression.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new InvalidPatternException(at, "match expression name not found");
        }

        var operation = properties.Current.Name;
        var operand = properties.Current.Value;
        if (properties.MoveNext())
        {
            throw new InvalidPatternException(at, "only one key allowed in match expression");
        }

        var where = $"{at}.{operation}";
        var display = $"{{\"{operation}\": {operand.GetRawText()}}}";
        switch (operation)
        {
            case "exactly":
                return new ValueTest { Kind = TestKind.ExactString, Bytes = Utf8(RequireString(operand, at, "exactly")), Display = display };
            case "prefix":
                if (operand.ValueKind == JsonValueKind.Object)
                {
                    return new ValueTest { Kind = TestKind.PrefixIgnoreCase, IgnoreCase = IgnoreCaseText.Parse(IgnoreCaseOperand(operand, where, "prefix")), Display = display };
                }

                return new ValueTest { Kind = TestKind.Prefix, Bytes = Utf8(RequireString(operand, at, "prefix")), Display = display };
            case "suffix":
                if (operand.ValueKind == JsonValueKind.Object)
                {
                    return new ValueTest { Kind = TestKind.SuffixIgnoreCase, IgnoreCase = IgnoreCaseText.Parse(IgnoreCaseOperand(operand, where, "suffix")), Display = display };
                }

                return new ValueTest { Kind = TestKind.Suffix, Bytes = Utf8(RequireString(operand, at, "suffix")), Display = display };
            case "equals-ignore-case":
                return new ValueTest { Kind = TestKind.EqualsIgnoreCase, IgnoreCase = IgnoreCaseText.Parse(RequireString(operand, at, "equals-ignore-case")), Display = display };
            case "wildcard":
                return new ValueTest { Kind = TestKind.Wildcard, Wildcard = ParseWildcard(RequireString(operand, at, "wildcard"), where), Display = display };
            case "exists":
                if (operand.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new InvalidPatternException(where, "exists match pattern must be either true or false");
                }

                absence = operand.ValueKind == JsonValueKind.False;
                return absence ? null : new ValueTest { Kind = TestKind.Exists, Display = display };
            case "cidr":
                return new ValueTest { Kind = TestKind.IpRange, Ip = ParseCidr(RequireString(operand, at, "cidr"), where), Display = display };
            case "numeric":
                return ParseNumeric(operand, where, display);
            case "anything-but":
                return ParseAnythingBut(operand, where, display);
            default:
                throw new InvalidPatternException(at, $"unrecognized match type {operation}");
        }
    }

    private static string RequireString(JsonElement operand, string at, string operation) =>
        operand.ValueKind == JsonValueKind.String
            ? operand.GetString()!
            : throw new InvalidPatternException(at, $"{operation} value must be a string");

    private static string IgnoreCaseOperand(JsonElement operand, string where, string operation)
    {
        using var properties = operand.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new InvalidPatternException(where, $"{operation} expression name not found");
        }

        if (properties.Current.Name != "equals-ignore-case")
        {
            throw new InvalidPatternException(where, $"unsupported {operation} pattern: {properties.Current.Name}");
        }

        var value = RequireString(properties.Current.Value, where, "equals-ignore-case");
        if (properties.MoveNext())
        {
            throw new InvalidPatternException(where, "only one key allowed in match expression");
        }

        return value;
    }

    private static WildcardText ParseWildcard(string value, string where)
    {
        try
        {
            return WildcardText.Parse(value);
        }
        catch (FormatException e)
        {
            throw new InvalidPatternException(where, e.Message);
        }
    }

    private static IpRange ParseCidr(string cidr, string where)
    {
        var parts = cidr.Split('/');
        if (parts.Length != 2)
        {
            throw new InvalidPatternException(where, "malformed CIDR, one '/' required");
        }

        if (!int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bits))
        {
            throw new InvalidPatternException(where, "malformed CIDR, mask bits must be an integer");
        }

        if (bits < 0)
        {
            throw new InvalidPatternException(where, "malformed CIDR, mask bits must not be negative");
        }

        var length = IpAddressText.TryParse(parts[0], out var address);
        if (length == 0)
        {
            throw new InvalidPatternException(where, $"invalid IP address: {parts[0]}");
        }

        // event-ruler refuses /32 for IPv4 and /128 for IPv6 (use the plain address as an exact value instead).
        var total = length * 8;
        if (bits >= total)
        {
            throw new InvalidPatternException(where, length == 4 ? "IPv4 mask bits must be < 32" : "IPv6 mask bits must be < 128");
        }

        var hostBits = total - bits;
        // A shift by 128 is a shift by 0 in C#: ::/0 needs its all-ones mask spelled out.
        var hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return new IpRange(length, address & ~hostMask, address | hostMask);
    }

    private static ValueTest ParseNumeric(JsonElement operand, string where, string display)
    {
        if (operand.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidPatternException(where, "value of numeric must be an array");
        }

        var items = operand.EnumerateArray().ToArray();
        if (items.Length == 0 || items[0].ValueKind != JsonValueKind.String)
        {
            throw new InvalidPatternException(where, "numeric must start with an operator: =, <, <=, > or >=");
        }

        var low = ComparableNumber.KeyOf(-double.MaxValue);
        var high = ComparableNumber.KeyOf(double.MaxValue);
        bool lowOpen = false, highOpen = false;
        var op = items[0].GetString()!;
        switch (op)
        {
            case "=":
                RequireCount(items, 2, where);
                var eq = NumberKey(items[1], op, where);
                return new ValueTest { Kind = TestKind.NumericRange, Low = eq, High = eq, Display = display };
            case ">":
            case ">=":
                low = NumberKey(items.Length > 1 ? items[1] : default, op, where);
                lowOpen = op == ">";
                if (items.Length > 2)
                {
                    if (items[2].ValueKind != JsonValueKind.String || items[2].GetString() is not ("<" or "<="))
                    {
                        throw new InvalidPatternException(where, $"bad numeric range operator: {items[2].GetRawText()}");
                    }

                    var topOp = items[2].GetString()!;
                    high = NumberKey(items.Length > 3 ? items[3] : default, topOp, where);
                    highOpen = topOp == "<";
                    RequireCount(items, 4, where);
                }

                break;
            case "<":
            case "<=":
                high = NumberKey(items.Length > 1 ? items[1] : default, op, where);
                highOpen = op == "<";
                RequireCount(items, 2, where);
                break;
            default:
                throw new InvalidPatternException(where, $"unrecognized numeric range operator: {op}");
        }

        if (low >= high)
        {
            throw new InvalidPatternException(where, "bottom must be less than top");
        }

        return new ValueTest { Kind = TestKind.NumericRange, Low = low, High = high, LowOpen = lowOpen, HighOpen = highOpen, Display = display };
    }

    private static void RequireCount(JsonElement[] items, int count, string where)
    {
        if (items.Length > count)
        {
            throw new InvalidPatternException(where, "too many elements in numeric expression");
        }
    }

    private static ulong NumberKey(JsonElement item, string op, string where)
    {
        if (item.ValueKind != JsonValueKind.Number)
        {
            throw new InvalidPatternException(where, $"value of {op} must be numeric");
        }

        var literal = item.GetRawText();
        return ComparableNumber.TryGetKey(Utf8(literal), out var key)
            ? key
            : throw new InvalidPatternException(where, $"cannot compare number: {literal}");
    }

    private static ValueTest ParseAnythingBut(JsonElement operand, string where, string display)
    {
        if (operand.ValueKind == JsonValueKind.Object)
        {
            using var properties = operand.EnumerateObject();
            if (!properties.MoveNext())
            {
                throw new InvalidPatternException(where, "anything-but expression name not found");
            }

            var inner = properties.Current.Name;
            var values = properties.Current.Value;
            if (properties.MoveNext())
            {
                throw new InvalidPatternException(where, "only one key allowed in anything-but expression");
            }

            var innerWhere = $"{where}.{inner}";
            if (inner is not ("equals-ignore-case" or "prefix" or "suffix" or "wildcard"))
            {
                throw new InvalidPatternException(where, $"unsupported anything-but pattern: {inner}");
            }

            var strings = new List<string>();
            if (values.ValueKind == JsonValueKind.String)
            {
                strings.Add(values.GetString()!);
            }
            else if (values.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var v in values.EnumerateArray())
                {
                    strings.Add(v.ValueKind == JsonValueKind.String
                        ? v.GetString()!
                        : throw new InvalidPatternException($"{innerWhere}[{i}]", $"anything-but {inner} values must be strings"));
                    i++;
                }

                // event-ruler accepts an empty list here and then fails while adding the rule; refuse it up front.
                if (i == 0)
                {
                    throw new InvalidPatternException(innerWhere, "empty arrays are not allowed");
                }
            }
            else
            {
                throw new InvalidPatternException(innerWhere, $"anything-but {inner} value must be a string or an array of strings");
            }

            if (inner is "prefix" or "suffix" && strings.Any(s => s.Length == 0))
            {
                throw new InvalidPatternException(innerWhere, $"empty {inner} not allowed in anything-but");
            }

            return inner switch
            {
                "equals-ignore-case" => new ValueTest { Kind = TestKind.AnythingButIgnoreCase, IgnoreCaseSet = [.. strings.Select(IgnoreCaseText.Parse)], Display = display },
                "prefix" => new ValueTest { Kind = TestKind.AnythingButPrefix, ByteSet = [.. strings.Select(Utf8)], Display = display },
                "suffix" => new ValueTest { Kind = TestKind.AnythingButSuffix, ByteSet = [.. strings.Select(Utf8)], Display = display },
                _ => new ValueTest { Kind = TestKind.AnythingButWildcard, WildcardSet = [.. strings.Select(s => ParseWildcard(s, innerWhere))], Display = display },
            };
        }

        var items = operand.ValueKind switch
        {
            JsonValueKind.Array => operand.EnumerateArray().ToArray(),
            JsonValueKind.String or JsonValueKind.Number => [operand],
            _ => throw new InvalidPatternException(where, "anything-but value must be an array or a single string or number"),
        };

        var numbers = new List<ulong>();
        var texts = new List<byte[]>();
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item.ValueKind == JsonValueKind.String)
            {
                texts.Add(Utf8(item.GetString()!));
            }
            else if (item.ValueKind == JsonValueKind.Number)
            {
                var literal = item.GetRawText();
                numbers.Add(ComparableNumber.TryGetKey(Utf8(literal), out var key)
                    ? key
                    : throw new InvalidPatternException($"{where}[{i}]", $"cannot compare number: {literal}"));
            }
            else
            {
                throw new InvalidPatternException($"{where}[{i}]", "anything-but values must be strings or numbers (not null, booleans, objects or arrays)");
            }
        }

        if ((numbers.Count > 0) == (texts.Count > 0))
        {
            throw new InvalidPatternException(where, "anything-but list must hold only strings or only numbers, and at least one");
        }

        return numbers.Count > 0
            ? new ValueTest { Kind = TestKind.AnythingButNumbers, NumberSet = [.. numbers], Display = display }
            : new ValueTest { Kind = TestKind.AnythingButStrings, ByteSet = [.. texts], Display = display };
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Quote(string text) => JsonSerializer.Serialize(text, PatternJsonContext.Default.String);
}
