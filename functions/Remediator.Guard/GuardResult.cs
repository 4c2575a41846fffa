using System.Buffers;
using System.Text.Json;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Guard;

/// <summary>What the guard answers for one event: <c>{"eventId", "records": [{"id", "rule", "outcome"}]}</c>.</summary>
public sealed record GuardResult(string EventId, IReadOnlyList<GuardRecordOutcome> Records)
{
    /// <summary>The outcome reported for a record that a previous delivery of the event already holds.</summary>
    public const string Duplicate = "duplicate";

    public static GuardResult From(string eventId, IReadOnlyList<AuditRecord> records) =>
        new(eventId, [.. records.Select(r => new GuardRecordOutcome(r.Id, r.Rule, r.IsDuplicateDelivery ? Duplicate : r.Outcome.ToName()))]);

    public ReadOnlyMemory<byte> ToResponse()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("eventId", EventId);
            writer.WriteStartArray("records");
            foreach (var record in Records)
            {
                writer.WriteStartObject();
                writer.WriteString("id", record.Id);
                writer.WriteString("rule", record.Rule);
                writer.WriteString("outcome", record.Outcome);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}

/// <param name="Outcome">An audit outcome name (<see cref="AuditNames"/>) or <see cref="GuardResult.Duplicate"/>.</param>
public sealed record GuardRecordOutcome(string Id, string Rule, string Outcome);
