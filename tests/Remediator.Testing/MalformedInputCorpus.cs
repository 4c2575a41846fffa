using System.Globalization;
using System.Text;

namespace Remediator.Testing;

/// <summary>
/// Generated, seeded malformed input for the readers: each case is one JSON Lines record derived from a valid
/// CloudTrail EventBridge envelope and broken in one way. The same seed gives the same bytes, so a failure names a
/// case that can be made again.
/// </summary>
public static class MalformedInputCorpus
{
    /// <summary>What was done to a case.</summary>
    public enum Breakage
    {
        InvalidUtf8,
        DeepNesting,
        Truncated,
        WrongType,
        HugePolicy,
        HugeNumber,
        ControlCharacter,
        DuplicateKey,
        LoneSurrogate,
    }

    /// <summary>One generated line (no newline in <see cref="Bytes"/>) and what it is.</summary>
    public sealed record Case(int Number, Breakage Kind, byte[] Bytes)
    {
        public override string ToString() => $"case {Number} ({Kind})";
    }

    // Position classes for truncation: a cut just after one of these bytes lands in a different parser state.
    private static readonly byte[] CutAfter = "{}[]:,\"\\0123456789tfnu.-eE "u8.ToArray();

    // Every level of the envelope a wrong type can be put at, as paths of member names.
    private static readonly string[][] TypedPaths =
    [
        ["detail-type"], ["source"], ["detail"], ["resources"], ["account"], ["time"], ["region"],
        ["detail", "eventSource"], ["detail", "eventName"], ["detail", "eventID"], ["detail", "eventTime"],
        ["detail", "awsRegion"], ["detail", "errorCode"], ["detail", "userIdentity"], ["detail", "requestParameters"],
        ["detail", "responseElements"], ["detail", "recipientAccountId"],
        ["detail", "userIdentity", "arn"], ["detail", "userIdentity", "type"], ["detail", "userIdentity", "sessionContext"],
        ["detail", "requestParameters", "roleName"], ["detail", "requestParameters", "policyDocument"],
        ["detail", "requestParameters", "policyName"],
    ];

    private static readonly string[] OtherTypes = ["42", "-1.5e3", "true", "false", "null", "[]", "[1,\"a\",null]", "{}", "{\"k\":[{}]}", "\"text\"", "\"\""];

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "1e-400", "5e-324", "2.5e-324", "1.7976931348623157e309", "123456789012345678901234567890123456789",
        "-0.0000000000000000000000000000000000000000001", "9007199254740993", "1E+999999",
    ];

    private static readonly byte[][] BadUtf8 =
    [
        [0xff], [0xfe, 0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf0, 0x9f, 0x98],
    ];

    /// <summary>A valid envelope that the shipped IAM rules match (an inline admin policy on a role).</summary>
    public static string ValidEvent(string eventId, string eventName = "PutRolePolicy") =>
        "{\"version\":\"0\",\"id\":\"" + eventId + "-envelope\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\"," +
        "\"account\":\"123456789012\",\"time\":\"2024-05-01T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[]," +
        "\"detail\":{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\"," +
        "\"arn\":\"arn:aws:iam::123456789012:user/dev\",\"accountId\":\"123456789012\",\"userName\":\"dev\"," +
        "\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"false\"}}},\"eventTime\":\"2024-05-01T12:00:00Z\"," +
        "\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"" + eventName + "\",\"awsRegion\":\"us-east-1\"," +
        "\"sourceIPAddress\":\"203.0.113.7\",\"userAgent\":\"aws-cli/2.15\",\"requestParameters\":{\"roleName\":\"app-role\"," +
        "\"policyName\":\"everything\",\"policyDocument\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\"," +
        "\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"},\"responseElements\":null,\"requestID\":\"req-" + eventId + "\"," +
        "\"eventID\":\"" + eventId + "\",\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true," +
        "\"recipientAccountId\":\"123456789012\",\"eventCategory\":\"Management\"}}";

    /// <summary>
    /// <paramref name="count"/> cases, the kinds in turn, every detail drawn from <paramref name="seed"/>. Each case's
    /// event id is <c>broken-SEED-N</c>; <paramref name="eventName"/> chooses whether rules want the intact event.
    /// </summary>
    public static IReadOnlyList<Case> Generate(int seed, int count, string eventName = "PutRolePolicy")
    {
        var random = new Random(seed);
        var kinds = Enum.GetValues<Breakage>().Where(k => k != Breakage.HugePolicy).ToArray();
        var cases = new List<Case>(count);
        for (var i = 0; i < count; i++)
        {
            // Huge policies are few (every 50th case): each is tens to hundreds of kilobytes.
            var kind = i % 50 == 49 ? Breakage.HugePolicy : kinds[i % kinds.Length];
            var baseLine = ValidEvent($"broken-{seed}-{i}", eventName);
            cases.Add(new Case(i, kind, Break(kind, baseLine, random, i)));
        }

        return cases;
    }

    private static byte[] Break(Breakage kind, string line, Random random, int number)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        switch (kind)
        {
            case Breakage.InvalidUtf8:
            {
                // Inside a string value most of the time, anywhere otherwise.
                var at = random.Next(4) == 0 ? random.Next(bytes.Length) : StringInterior(bytes, random);
                return [.. bytes[..at], .. BadUtf8[random.Next(BadUtf8.Length)], .. bytes[at..]];
            }

            case Breakage.DeepNesting:
            {
                var depth = 1 + random.Next(1000);
                var nested = random.Next(2) == 0
                    ? new string('[', depth) + "1" + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                return Encoding.UTF8.GetBytes(Insert(line, "\"requestParameters\":{", "\"deep\":" + nested + ","));
            }

            case Breakage.Truncated:
            {
                // A cut just after a byte of each position class in turn, at a random occurrence of it.
                var cls = CutAfter[number / 8 % CutAfter.Length];
                var positions = Enumerable.Range(0, bytes.Length - 1).Where(p => bytes[p] == cls).ToList();
                var cut = positions.Count == 0 ? random.Next(1, bytes.Length - 1) : positions[random.Next(positions.Count)] + 1;
                return bytes[..cut];
            }

            case Breakage.WrongType:
                return Encoding.UTF8.GetBytes(Retype(line, TypedPaths[random.Next(TypedPaths.Length)], OtherTypes[random.Next(OtherTypes.Length)]));

            case Breakage.HugePolicy:
            {
                var statements = 100 + random.Next(1500);
                var policy = new StringBuilder("{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[");
                for (var s = 0; s < statements; s++)
                {
                    policy.Append(CultureInfo.InvariantCulture, $"{(s == 0 ? "" : ",")}{{\\\"Sid\\\":\\\"S{s}\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"s3:GetObject\\\",\\\"s3:PutObject\\\"],\\\"Resource\\\":\\\"arn:aws:s3:::bucket-{s}/*\\\"}}");
                }

                policy.Append("]}");
                return Encoding.UTF8.GetBytes(Retype(line, ["detail", "requestParameters", "policyDocument"], "\"" + policy + "\""));
            }

            case Breakage.HugeNumber:
            {
                var path = TypedPaths[random.Next(TypedPaths.Length)];
                return Encoding.UTF8.GetBytes(Retype(line, path, HugeNumbers[random.Next(HugeNumbers.Length)]));
            }

            case Breakage.ControlCharacter:
            {
                var control = (byte)random.Next(0x20);
                if (random.Next(2) == 0)
                {
                    // Raw in a string: invalid JSON.
                    var at = StringInterior(bytes, random);
                    return [.. bytes[..at], control, .. bytes[at..]];
                }

                // Escaped: valid JSON, odd text.
                return Encoding.UTF8.GetBytes(line.Replace("app-role", $"app\\u{control:x4}role", StringComparison.Ordinal));
            }

            case Breakage.DuplicateKey:
            {
                string[] keys = ["\"eventSource\":", "\"eventName\":", "\"detail-type\":", "\"eventID\":", "\"source\":", "\"roleName\":"];
                string[] values = ["\"\"", "null", "[\"x\"]", "{}", "\"s3.amazonaws.com\"", "\"DeleteRole\"", "7"];
                var key = keys[random.Next(keys.Length)];
                return Encoding.UTF8.GetBytes(Insert(line, key, values[random.Next(values.Length)] + "," + key, afterMatch: false));
            }

            default:
            {
                string[] surrogates = ["\\ud800", "\\udfff", "\\ud83d", "\\ude00x"];
                var target = random.Next(3) switch { 0 => "iam.amazonaws.com", 1 => "app-role", _ => "dev" };
                return Encoding.UTF8.GetBytes(line.Replace(target, target + surrogates[random.Next(surrogates.Length)], StringComparison.Ordinal));
            }
        }
    }

    /// <summary>An offset strictly inside some string value of the line.</summary>
    private static int StringInterior(byte[] bytes, Random random)
    {
        var quotes = Enumerable.Range(0, bytes.Length).Where(p => bytes[p] == (byte)'"' && (p == 0 || bytes[p - 1] != (byte)'\\')).ToList();
        var pair = random.Next(quotes.Count / 2) * 2;
        var (open, close) = (quotes[pair], quotes[pair + 1]);
        return close - open <= 1 ? close : open + 1 + random.Next(close - open - 1);
    }

    private static string Insert(string line, string marker, string text, bool afterMatch = true)
    {
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? line : line.Insert(afterMatch ? at + marker.Length : at, text);
    }

    /// <summary>The line with the value at <paramref name="path"/> replaced by <paramref name="json"/>.</summary>
    private static string Retype(string line, string[] path, string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
        var parent = node;
        foreach (var step in path[..^1])
        {
            if (parent[step] is not System.Text.Json.Nodes.JsonObject inner)
            {
                return line;
            }

            parent = inner;
        }

        parent[path[^1]] = "\u0001PLACEHOLDER\u0001";
        var marked = node.ToJsonString();
        return marked.Replace("\"\\u0001PLACEHOLDER\\u0001\"", json, StringComparison.Ordinal);
    }
}
