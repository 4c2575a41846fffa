using System.Buffers;
using System.Text;
using System.Text.Json;
using Remediator.Aws.Sqs;

namespace Remediator.Approvals.Queue;

/// <summary>
/// One begun decision for the worker: which decision record, and where to post the updated Slack message. The
/// response_url travels in the queue message only, never in the ledger: it lets anyone post to the channel for 30 minutes.
/// </summary>
public sealed record DecisionWork(string DecisionId, Uri? ResponseUrl, DateTimeOffset ClickedAt)
{
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("decision", DecisionId);
            if (ResponseUrl is not null)
            {
                writer.WriteString("responseUrl", ResponseUrl.ToString());
            }

            writer.WriteString("clickedAt", ClickedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static DecisionWork? TryParse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("decision", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            Uri? url = root.TryGetProperty("responseUrl", out var u) && u.ValueKind == JsonValueKind.String && Uri.TryCreate(u.GetString(), UriKind.Absolute, out var parsed) ? parsed : null;
            var clicked = root.TryGetProperty("clickedAt", out var c) && c.ValueKind == JsonValueKind.String && long.TryParse(c.GetString(), out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : DateTimeOffset.UnixEpoch;
            return new DecisionWork(id.GetString()!, url, clicked);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Hands begun decisions to the worker.</summary>
public interface IDecisionQueue
{
    Task EnqueueAsync(DecisionWork work, CancellationToken cancellationToken);
}

/// <summary>The worker's SQS queue (KMS-encrypted in the template).</summary>
public sealed class SqsDecisionQueue(SqsClient sqs, string queueUrl) : IDecisionQueue
{
    public Task EnqueueAsync(DecisionWork work, CancellationToken cancellationToken) =>
        sqs.SendMessageAsync(queueUrl, work.ToJson(), cancellationToken);
}
