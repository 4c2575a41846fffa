using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Remediator.Core.Events;

/// <summary>
/// One CloudTrail management event, whatever shape it arrived in. <see cref="Envelope"/> is always the EventBridge
/// envelope form ("AWS API Call via CloudTrail"), synthesised for raw records, because rules' <c>match</c> patterns
/// are written against what EventBridge delivers. Only <see cref="EventSource"/> and <see cref="EventName"/> are
/// required; everything else may be missing in real records.
/// </summary>
public sealed class CloudTrailEvent
{
    public const string ApiCallDetailType = "AWS API Call via CloudTrail";

    // The synthesised envelope is one level deeper than the record it wraps.
    private static readonly JsonDocumentOptions SynthesisedOptions = new() { MaxDepth = Patterns.PatternMatcher.MaxEventDepth + 1 };

    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    // Closes each field of the record digest: above every UTF-16 code unit and byte, so "ab"+"c" and "a"+"bc" differ.
    private const ulong FieldEnd = 0x1_0000;

    private ulong? _recordDigest;

    private CloudTrailEvent(JsonElement envelope, JsonElement detail, string eventSource, string eventName)
    {
        Envelope = envelope;
        Detail = detail;
        EventSource = eventSource;
        EventName = eventName;
        OperationName = StripApiVersion(eventName);
        EventId = JsonText.String(detail, "eventID");
        EventTime = ParseTime(JsonText.String(detail, "eventTime"));
        // A synthesised envelope carries "" where the record had nothing: that must not pass for a value.
        AwsRegion = JsonText.String(detail, "awsRegion") ?? NullIfEmpty(JsonText.String(envelope, "region"));
        RecipientAccountId = JsonText.String(detail, "recipientAccountId") ?? NullIfEmpty(JsonText.String(envelope, "account"));
        ErrorCode = JsonText.String(detail, "errorCode");
        ErrorMessage = JsonText.String(detail, "errorMessage");
        Identity = UserIdentity.From(JsonText.Member(detail, "userIdentity"));
        RequestParameters = JsonText.Member(detail, "requestParameters");
        ResponseElements = JsonText.Member(detail, "responseElements");
    }

    /// <summary>The EventBridge envelope: <c>{version, id, detail-type, source, account, time, region, resources, detail}</c>.</summary>
    public JsonElement Envelope { get; }

    /// <summary>The raw CloudTrail record.</summary>
    public JsonElement Detail { get; }

    /// <summary>e.g. <c>iam.amazonaws.com</c>.</summary>
    public string EventSource { get; }

    /// <summary>As recorded, e.g. <c>CreateFunction20150331</c>.</summary>
    public string EventName { get; }

    /// <summary>The API operation without Lambda's API-version suffix, e.g. <c>CreateFunction</c>.</summary>
    public string OperationName { get; }

    /// <summary><c>detail.eventID</c>: the identity of the event for idempotency (the envelope id is not).</summary>
    public string? EventId { get; }

    /// <summary>
    /// What makes a second delivery a true redelivery: the event id plus what identifies the record (source, name,
    /// time, account, region, actor and a digest of the request, whitespace aside). Two different records that share
    /// an id (hand-made and test data do this) have different keys; null without an event id.
    /// </summary>
    public DeliveryIdentity? DeliveryKey => EventId is null ? null : new DeliveryIdentity(EventId, _recordDigest ??= RecordDigest());

    public DateTimeOffset? EventTime { get; }

    public string? AwsRegion { get; }

    public string? RecipientAccountId { get; }

    public string? ErrorCode { get; }

    public string? ErrorMessage { get; }

    /// <summary>A failed call changed nothing and is never remediated.</summary>
    public bool IsFailedCall => !string.IsNullOrEmpty(ErrorCode);

    /// <summary>
    /// Whether this is a successful call to <paramref name="eventSource"/> and, when operations are named, to one of them
    /// (compared without Lambda's API-version suffix): the question every detector asks before it looks further.
    /// </summary>
    public bool IsSuccessfulCallTo(string eventSource, params ReadOnlySpan<string> operations)
    {
        if (IsFailedCall || !string.Equals(EventSource, eventSource, StringComparison.Ordinal))
        {
            return false;
        }

        if (operations.IsEmpty)
        {
            return true;
        }

        foreach (var operation in operations)
        {
            if (string.Equals(OperationName, operation, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public UserIdentity Identity { get; }

    /// <summary>Undefined when absent or null.</summary>
    public JsonElement RequestParameters { get; }

    /// <summary>Undefined when absent or null.</summary>
    public JsonElement ResponseElements { get; }

    /// <summary><c>aws.iam</c> for <c>iam.amazonaws.com</c>: the envelope's source.</summary>
    public static string SourceFor(string eventSource)
    {
        var dot = eventSource.IndexOf('.', StringComparison.Ordinal);
        return "aws." + (dot < 0 ? eventSource : eventSource[..dot]);
    }

    /// <summary>
    /// Builds the event from a CloudTrail record and, when it came in one, its EventBridge envelope.
    /// Returns null with a reason when the record lacks <c>eventSource</c> or <c>eventName</c>.
    /// </summary>
    public static CloudTrailEvent? TryCreate(JsonElement record, JsonElement envelope, out string? problem)
    {
        problem = null;
        if (record.ValueKind != JsonValueKind.Object)
        {
            problem = "the CloudTrail record is not a JSON object";
            return null;
        }

        var source = JsonText.String(record, "eventSource");
        var name = JsonText.String(record, "eventName");
        if (string.IsNullOrEmpty(source) || string.IsNullOrEmpty(name))
        {
            problem = string.IsNullOrEmpty(source) ? "missing field 'eventSource'" : "missing field 'eventName'";
            return null;
        }

        // One copy per event: the envelope it came in (which holds the record), or the one synthesised around it.
        var env = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("detail", out var inside) && inside.ValueKind == JsonValueKind.Object
            ? envelope.Clone()
            : Synthesise(record, source);
        return new CloudTrailEvent(env, env.GetProperty("detail"), source, name);
    }

    /// <summary>The envelope EventBridge would have delivered for a raw record.</summary>
    private static JsonElement Synthesise(JsonElement detail, string eventSource)
    {
        var buffer = new ArrayBufferWriter<byte>(detail.GetRawText().Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "0");
            writer.WriteString("id", JsonText.String(detail, "eventID") ?? string.Empty);
            writer.WriteString("detail-type", DetailTypeFor(detail));
            writer.WriteString("source", SourceFor(eventSource));
            writer.WriteString("account", JsonText.String(detail, "recipientAccountId") ?? string.Empty);
            writer.WriteString("time", JsonText.String(detail, "eventTime") ?? string.Empty);
            writer.WriteString("region", JsonText.String(detail, "awsRegion") ?? string.Empty);
            writer.WriteStartArray("resources");
            writer.WriteEndArray();
            writer.WritePropertyName("detail");
            detail.WriteTo(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, SynthesisedOptions);
        return document.RootElement.Clone();
    }

    private static string DetailTypeFor(JsonElement detail) =>
        JsonText.String(detail, "eventType") switch
        {
            "AwsConsoleSignIn" => "AWS Console Sign In via CloudTrail",
            "AwsServiceEvent" => "AWS Service Event via CloudTrail",
            _ => ApiCallDetailType,
        };

    /// <summary>Lambda logs <c>CreateFunction20150331</c>, <c>UpdateFunctionConfiguration20150331v2</c>: drop the suffix.</summary>
    public static string StripApiVersion(string eventName)
    {
        var i = eventName.Length;
        var end = i;
        // optional "v<digits>" after the date
        while (i > 0 && char.IsAsciiDigit(eventName[i - 1]))
        {
            i--;
        }

        if (i < end && i > 0 && eventName[i - 1] == 'v')
        {
            end = i - 1;
            i = end;
            while (i > 0 && char.IsAsciiDigit(eventName[i - 1]))
            {
                i--;
            }

            return end - i == 8 && i > 0 ? eventName[..i] : eventName;
        }

        return end - i == 8 && i > 0 ? eventName[..i] : eventName;
    }

    /// <summary>
    /// FNV-1a over the record's identifying fields (a missing one counts as empty, each one closed by a marker no
    /// character can equal) and then over the request's digest: computed from what the event already holds, no string built.
    /// </summary>
    private ulong RecordDigest()
    {
        var hash = FnvOffset;
        hash = Fold(hash, EventSource);
        hash = Fold(hash, EventName);
        hash = FoldEventTime(hash);
        hash = Fold(hash, RecipientAccountId);
        hash = Fold(hash, AwsRegion);
        hash = Fold(hash, Identity.Arn ?? Identity.PrincipalArn ?? Identity.InvokedBy);
        var request = RequestDigest();
        for (var shift = 0; shift < 64; shift += 8)
        {
            hash = (hash ^ ((request >> shift) & 0xFF)) * FnvPrime;
        }

        return hash;

        static ulong Fold(ulong hash, string? text)
        {
            foreach (var c in text.AsSpan())
            {
                hash = (hash ^ c) * FnvPrime;
            }

            return (hash ^ FieldEnd) * FnvPrime;
        }
    }

    /// <summary>
    /// Folds <c>detail.eventTime</c> as its text (what <see cref="JsonText.String"/> gives: a string unescaped, a number as
    /// written), as UTF-8 bytes read in place; only an escaped string is decoded first.
    /// </summary>
    private ulong FoldEventTime(ulong hash)
    {
        if (Detail.ValueKind == JsonValueKind.Object && Detail.TryGetProperty("eventTime", out var time)
            && time.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            ReadOnlySpan<byte> bytes = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(time);
            if (time.ValueKind == JsonValueKind.String)
            {
                bytes = bytes[1..^1];
                if (bytes.Contains((byte)'\\'))
                {
                    bytes = System.Text.Encoding.UTF8.GetBytes(time.GetString()!);
                }
            }

            foreach (var b in bytes)
            {
                hash = (hash ^ b) * FnvPrime;
            }
        }

        return (hash ^ FieldEnd) * FnvPrime;
    }

    /// <summary>FNV-1a over the request parameters' bytes outside-string whitespace left out: pretty or compact, same digest.</summary>
    private ulong RequestDigest()
    {
        var hash = FnvOffset;
        if (RequestParameters.ValueKind == JsonValueKind.Undefined)
        {
            return hash;
        }

        var inString = false;
        var escaped = false;
        foreach (var b in System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(RequestParameters))
        {
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }
            else
            {
                inString = b == (byte)'"';
            }

            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
}
