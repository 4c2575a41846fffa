using System.Text.Json;
using Remediator.Aws.Audit;
using Remediator.Core.Audit;
using Remediator.Core.Events;
using Remediator.Runtime;

namespace Remediator.Notifier.Stream;

/// <summary>
/// Reads a DynamoDB Streams event of the audit table (<c>{"Records":[{"eventName","eventSourceARN","dynamodb":{"Keys",
/// "NewImage","OldImage","SequenceNumber"}}]}</c>, attribute values in DynamoDB's typed form <c>{"S": "..."}</c>) and
/// decides for each record whether it is told (<see cref="NotificationPolicy"/>). The record itself is decoded from the
/// item's <c>record</c> attribute, the JSON that <see cref="DynamoDbAuditStore"/> writes; the <c>outcome</c> attribute
/// beside it is enough to judge the old image.
/// </summary>
public static class AuditStreamReader
{
    /// <summary>Throws <see cref="InvalidEventException"/> when the event is not a stream batch at all.</summary>
    public static IReadOnlyList<StreamRecordDecision> Read(ReadOnlyMemory<byte> streamEvent)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(streamEvent);
        }
        catch (JsonException ex)
        {
            throw new InvalidEventException($"the event is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (JsonText.Member(document.RootElement, "Records") is not { ValueKind: JsonValueKind.Array } records)
            {
                throw new InvalidEventException("the event is not a DynamoDB Streams batch: it has no 'Records' array.");
            }

            var decisions = new List<StreamRecordDecision>();
            var position = 0;
            foreach (var record in records.EnumerateArray())
            {
                decisions.Add(Decide(position++, record));
            }

            return decisions;
        }
    }

    private static StreamRecordDecision Decide(int position, JsonElement streamRecord)
    {
        var dynamodb = JsonText.Member(streamRecord, "dynamodb");

        // Every stream record has a sequence number. Without one the record cannot be named in a partial-batch
        // response; an empty identifier makes Lambda retry the whole batch, the safe side.
        var identifier = JsonText.String(dynamodb, "SequenceNumber") ?? string.Empty;
        var eventName = JsonText.String(streamRecord, "eventName") ?? string.Empty;
        var newImage = JsonText.Member(dynamodb, "NewImage");
        var oldImage = JsonText.Member(dynamodb, "OldImage");

        var why = NotificationPolicy.WhySilent(eventName, Outcome(newImage), Outcome(oldImage));
        if (why is not null)
        {
            return new StreamRecordDecision(position, identifier, null, why, null);
        }

        var json = StringAttribute(newImage, AuditTableDefinition.RecordAttribute);
        if (json is null)
        {
            return new StreamRecordDecision(position, identifier, null, null, $"the item has no '{AuditTableDefinition.RecordAttribute}' string attribute");
        }

        if (!AuditJson.TryParse(json, out var auditRecord, out var problem))
        {
            return new StreamRecordDecision(position, identifier, null, null, $"the item's '{AuditTableDefinition.RecordAttribute}' is not an audit record: {problem}");
        }

        var channels = NotificationPolicy.ChannelsOf(auditRecord!);
        if (channels.Count == 0)
        {
            return new StreamRecordDecision(position, identifier, null, "its plan has no notify step", null);
        }

        var keys = JsonText.Member(dynamodb, "Keys");
        var link = AuditConsoleLink.For(
            JsonText.String(streamRecord, "eventSourceARN"),
            StringAttribute(keys, AuditTableDefinition.PartitionKey) ?? StringAttribute(newImage, AuditTableDefinition.PartitionKey),
            StringAttribute(keys, AuditTableDefinition.SortKey) ?? StringAttribute(newImage, AuditTableDefinition.SortKey));
        return new StreamRecordDecision(position, identifier, new AuditNotification(auditRecord!, channels, link), null, null);
    }

    /// <summary>The outcome an image records: its <c>outcome</c> attribute, else the one inside its record JSON.</summary>
    private static AuditOutcome? Outcome(JsonElement image)
    {
        if (image.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var name = StringAttribute(image, AuditTableDefinition.OutcomeAttribute);
        if (name is null && StringAttribute(image, AuditTableDefinition.RecordAttribute) is { } json && AuditJson.TryParse(json, out var record, out _))
        {
            return record!.Outcome;
        }

        return AuditNames.TryParseOutcome(name, out var outcome) ? outcome : null;
    }

    /// <summary>A string attribute of an image or key map: <c>{"name": {"S": "value"}}</c>.</summary>
    private static string? StringAttribute(JsonElement image, string name) =>
        JsonText.String(JsonText.Member(image, name), "S");
}
