using System.Text.Json;

namespace Remediator.Core.Events.Reading;

/// <summary>
/// Recognises the delivery shapes of one JSON value held in memory and turns it into events, errors and notes.
/// Shapes are told apart by content only: an EventBridge envelope (<c>detail-type</c> + <c>detail</c> object),
/// a raw CloudTrail record (<c>eventSource</c> + <c>eventName</c>), containers (<c>Records</c>, <c>Events</c>,
/// arrays) and wrappers whose payload is a JSON string parsed a second time (SNS <c>Message</c>, SQS <c>body</c>,
/// Lambda's SNS event <c>Sns.Message</c>, LookupEvents' <c>CloudTrailEvent</c>). Unknown extra keys are ignored.
/// </summary>
internal static class EventShapes
{
    // A wrapper inside a wrapper inside ... : real deliveries nest at most three deep (SQS > SNS > envelope).
    private const int MaxWrapping = 8;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = Patterns.PatternMatcher.MaxEventDepth };

    private static readonly string[] StringWrappers = ["Message", "body", "CloudTrailEvent"];

    public static void Classify(JsonElement value, string file, string position, ICollection<EventReadResult> output) =>
        Visit(value, new Where(file, position, string.Empty), 0, output);

    private static void Visit(JsonElement value, Where where, int wrapping, ICollection<EventReadResult> output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                try
                {
                    VisitObject(value, where, wrapping, output);
                }
                catch (InvalidOperationException)
                {
                    // GetString refuses an escaped lone surrogate ("\ud800"): valid JSON, but no text. One error, not the run.
                    output.Add(where.Error("a string in this record is an invalid escape (a lone UTF-16 surrogate)"));
                }

                break;
            case JsonValueKind.Array:
                VisitItems(value, where, string.Empty, "the array", wrapping, output);
                break;
            default:
                output.Add(where.Error($"expected a JSON object, found {Describe(value.ValueKind)}"));
                break;
        }
    }

    private static void VisitObject(JsonElement value, Where where, int wrapping, ICollection<EventReadResult> output)
    {
        if (value.TryGetProperty("detail-type", out _) && value.TryGetProperty("detail", out var detail))
        {
            if (detail.ValueKind != JsonValueKind.Object)
            {
                output.Add(where.Error("EventBridge envelope whose 'detail' is not an object"));
                return;
            }

            AddEvent(detail, value, where, output, JsonText.String(value, "detail-type"));
            return;
        }

        if (HasString(value, "eventSource") && HasString(value, "eventName"))
        {
            AddEvent(value, default, where, output, null);
            return;
        }

        foreach (var name in (ReadOnlySpan<string>)["Records", "Events"])
        {
            if (value.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                VisitItems(items, where, name, $"'{name}'", wrapping, output);
                return;
            }
        }

        foreach (var name in StringWrappers)
        {
            if (value.TryGetProperty(name, out var payload) && payload.ValueKind == JsonValueKind.String)
            {
                Unwrap(payload, where.Inside(name), wrapping, output);
                return;
            }
        }

        if (value.TryGetProperty("Sns", out var sns) && sns.ValueKind == JsonValueKind.Object
            && sns.TryGetProperty("Message", out var snsMessage) && snsMessage.ValueKind == JsonValueKind.String)
        {
            Unwrap(snsMessage, where.Inside("Sns.Message"), wrapping, output);
            return;
        }

        // An AWS Config rule's invocation payload: another service's event, like a non-CloudTrail EventBridge event.
        if (value.TryGetProperty("configRuleName", out _) || value.TryGetProperty("invokingEvent", out _))
        {
            output.Add(where.Note("AWS Config rule event, not a CloudTrail event; skipped"));
            return;
        }

        // A trail's S3 prefix also holds digest files; walking a bucket copy meets them.
        if (value.TryGetProperty("digestPublicKeyFingerprint", out _) || value.TryGetProperty("logFiles", out _))
        {
            output.Add(where.Note("CloudTrail digest file, not events; ignored"));
            return;
        }

        AddEvent(value, default, where, output, null, "not a CloudTrail record, EventBridge envelope or known wrapper");
    }

    private static void VisitItems(JsonElement items, Where where, string name, string description, int wrapping, ICollection<EventReadResult> output)
    {
        if (items.GetArrayLength() == 0)
        {
            output.Add(where.Note($"no records in {description}"));
            return;
        }

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            Visit(item, where.Inside($"{name}[{index}]"), wrapping, output);
            index++;
        }
    }

    private static void Unwrap(JsonElement payload, Where where, int wrapping, ICollection<EventReadResult> output)
    {
        if (wrapping >= MaxWrapping)
        {
            output.Add(where.Error($"wrapped more than {MaxWrapping} times; not read"));
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.GetString() ?? string.Empty, DocumentOptions);
        }
        catch (JsonException e)
        {
            output.Add(where.Error($"the wrapped payload is not JSON: {e.Message}"));
            return;
        }

        using (document)
        {
            Visit(document.RootElement, where, wrapping + 1, output);
        }
    }

    private static void AddEvent(JsonElement record, JsonElement envelope, Where where, ICollection<EventReadResult> output, string? detailType, string? context = null)
    {
        var created = CloudTrailEvent.TryCreate(record, envelope, out var problem);
        if (created is not null)
        {
            output.Add(new EventRead(where.File, where.Label, created));
            return;
        }

        var message = problem ?? "not a CloudTrail record";
        if (detailType is not null && !detailType.EndsWith("via CloudTrail", StringComparison.Ordinal))
        {
            // A bus carries other events too (EC2 state changes, schedules): not malformed, just not ours.
            output.Add(where.Note($"EventBridge event '{detailType}' is not a CloudTrail event; skipped"));
            return;
        }

        if (detailType is not null)
        {
            message = $"EventBridge event '{detailType}' carries no CloudTrail record ({message})";
        }
        else if (context is not null)
        {
            message = $"{context} ({message})";
        }

        output.Add(where.Error(message));
    }

    private static bool HasString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    /// <summary>File, position in it, and the path inside wrappers (<c>Records[0] &gt; body &gt; Message</c>).</summary>
    private readonly record struct Where(string File, string Position, string Path)
    {
        public string Label => Path.Length == 0 ? Position : $"{Position} ({Path})";

        public Where Inside(string step) => this with { Path = Path.Length == 0 ? step : $"{Path} > {step}" };

        public EventReadError Error(string message) => new(File, Label, message);

        public EventReadNote Note(string message) => new(File, Label, message);
    }
}
