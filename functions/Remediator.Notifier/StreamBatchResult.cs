using System.Buffers;
using System.Text.Json;

namespace Remediator.Notifier;

/// <summary>What one invocation did with its batch, and the DynamoDB Streams partial-batch response that says so.</summary>
public sealed record StreamBatchResult
{
    /// <summary>Sequence numbers of the records to be delivered again, in stream order.</summary>
    public required IReadOnlyList<string> FailedItemIdentifiers { get; init; }

    /// <summary>Record-channel pairs delivered.</summary>
    public int Sent { get; init; }

    /// <summary>Record-channel pairs not delivered (failed, or not attempted after an earlier failure).</summary>
    public int Failed { get; init; }

    /// <summary>Records deliberately not told (outcome, duplicate, no notify step).</summary>
    public int Silent { get; init; }

    /// <summary>Records or record-channel pairs that can never be told (unreadable, channel not configured).</summary>
    public int Dropped { get; init; }

    /// <summary><c>{"batchItemFailures":[{"itemIdentifier":"&lt;sequence number&gt;"}]}</c>; an empty list means the whole batch is done.</summary>
    public ReadOnlyMemory<byte> ToResponse()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("batchItemFailures");
            foreach (var identifier in FailedItemIdentifiers)
            {
                writer.WriteStartObject();
                writer.WriteString("itemIdentifier", identifier);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
