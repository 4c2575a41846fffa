using System.Buffers;
using System.Text.Json;
using Remediator.Approvals.Queue;
using Remediator.Core.Approvals;
using Remediator.Core.Audit;
using Remediator.Notifier.Slack;
using Remediator.Notifier.Stream;
using Remediator.Runtime.Logging;

namespace Remediator.Approvals;

/// <summary>
/// The approval worker: SQS batches of begun decisions in (carried out under the worker's own role, through the same
/// executor and undo service as every change, and the clicked message updated), and the expiry schedule's events.
/// A message whose decision throws is reported back as a batch item failure, so that only it is redelivered.
/// </summary>
public sealed class ApprovalWorker(DecisionService decisions, ExpiryService expiry, ResponseUrlPoster poster, TimeProvider clock)
{
    public async Task<WorkerResult> HandleAsync(ReadOnlyMemory<byte> payload, JsonLogger logger, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array)
        {
            var failures = new List<string>();
            var done = new List<AuditRecord>();
            foreach (var message in records.EnumerateArray())
            {
                var messageId = message.TryGetProperty("messageId", out var id) ? id.GetString() ?? string.Empty : string.Empty;
                var body = message.TryGetProperty("body", out var b) ? b.GetString() : null;
                if (body is null || DecisionWork.TryParse(body) is not { } work)
                {
                    logger.Error("a decision queue message could not be read; it is dropped", ("messageId", messageId));
                    continue;
                }

                try
                {
                    if (await CarryOutAsync(work, logger, cancellationToken).ConfigureAwait(false) is { } record)
                    {
                        done.Add(record);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.Error("decision failed; the message will be redelivered", ex, ("decision", work.DecisionId));
                    failures.Add(messageId);
                }
            }

            return new WorkerResult(done, failures);
        }

        // Anything else is the expiry schedule's event.
        var expired = await expiry.ExpireAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in expired)
        {
            logger.Info("decision expired", ("decision", record.Id), ("outcome", record.Outcome.ToName()));
        }

        return new WorkerResult(expired, []);
    }

    private async Task<AuditRecord?> CarryOutAsync(DecisionWork work, JsonLogger logger, CancellationToken cancellationToken)
    {
        var record = await decisions.CarryOutAsync(work.DecisionId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            logger.Warn("no such decision record", ("decision", work.DecisionId));
            return null;
        }

        logger.Info("decision carried out", ("decision", record.Id), ("outcome", record.Outcome.ToName()), ("by", record.Decision?.By));
        if (work.ResponseUrl is { } url)
        {
            if (clock.GetUtcNow() - work.ClickedAt > ResponseUrlPoster.Lifetime)
            {
                logger.Warn("the Slack message was not updated: its response_url is older than 30 minutes", ("decision", record.Id));
                return record;
            }

            var message = SlackMessageBuilder.Single(new AuditNotification(record, [NotificationPolicy.Slack], null), clock.GetUtcNow(), replaceOriginal: true);
            if (await poster.PostAsync(url, message, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                logger.Warn("the Slack message was not updated", ("decision", record.Id), ("problem", problem));
            }
        }

        return record;
    }
}

/// <summary>What the worker did: the records it completed, and the SQS message ids to redeliver.</summary>
public sealed record WorkerResult(IReadOnlyList<AuditRecord> Records, IReadOnlyList<string> FailedMessageIds)
{
    /// <summary>The partial batch response Lambda reads (ReportBatchItemFailures).</summary>
    public byte[] ToResponse()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("batchItemFailures");
            foreach (var id in FailedMessageIds)
            {
                writer.WriteStartObject();
                writer.WriteString("itemIdentifier", id);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
