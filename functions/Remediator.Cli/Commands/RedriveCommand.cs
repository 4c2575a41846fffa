using System.CommandLine;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Remediator.Aws;
using Remediator.Cli.Output;
using Remediator.Core.Audit;
using Remediator.Core.Events;
using Remediator.Core.Execution;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator redrive</c>: re-runs what landed in the failure queue. Each message's original event (an EventBridge
/// delivery the rule could not hand to the guard, or the <c>requestPayload</c> of a guard invocation that failed after
/// Lambda's retries) goes through exactly the path of <c>apply</c> (<see cref="EventApplier"/>); the message is deleted
/// once the event is handled, and stays in the queue when a change failed or it holds no CloudTrail event.
/// </summary>
public static class RedriveCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var queueUrl = new Option<string>("--queue-url")
        {
            Description = "The failure queue (the stack's GuardFailureQueueUrl output).",
            Required = true,
        };
        var run = new GuardRunOptions(
            "redrive",
            "enforce or dry-run: overrides every rule's mode. Default: each rule's own mode, as the guard has it.",
            "table (for people) or json (one audit record per line).");
        var max = new Option<int>("--max")
        {
            Description = "Handle at most this many messages. Default: 100.",
            DefaultValueFactory = _ => 100,
        };

        var command = new Command(
            "redrive",
            "Re-run the events in the failure queue through the same path as apply (current state read from AWS, audit " +
            "record, changes of enforce-mode rules). A message is deleted once its event is handled (a duplicate of an " +
            "event already recorded counts as handled); it stays when a change failed or it holds no CloudTrail event " +
            "(e.g. a notifier batch), and comes back after the queue's visibility timeout.\n" +
            "Exit code: 0 every message handled, 2 some held no event, 3 a change failed.\n" +
            "  remediator redrive --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/remediator-GuardFailureQueue-X --audit-table remediator-audit")
        {
            queueUrl, run.Rules, run.Mode, run.Format, max, run.Own,
        };
        run.Aws.AddTo(command);
        command.SetAction((parse, cancel) => RunAsync(parse, parse.GetValue(queueUrl)!, parse.GetValue(max), run, stdout, stderr, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string queueUrl, int limit, GuardRunOptions run, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (await run.RulesAsync(parse, stderr).ConfigureAwait(false) is not { } rules)
        {
            return ExitCodes.BadInput;
        }

        if (limit < 1)
        {
            await stderr.WriteLineAsync("remediator redrive: --max must be at least 1.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        GuardRun guard;
        AmazonSQSClient sqs;
        try
        {
            guard = await run.OpenAsync(parse, cancel).ConfigureAwait(false);
            sqs = new AwsSdkClients(guard.ClientOptions).CreateSqs();
        }
        catch (Exception e) when (GuardRunOptions.IsBadInput(e))
        {
            return await run.BadInputAsync(stderr, e).ConfigureAwait(false);
        }

        using (guard)
        using (sqs)
        {
            var redrive = new Redrive(new EventApplier(rules.Rules, guard.Clients, guard.Store, guard.Options), sqs, queueUrl, stdout, stderr, run.Json(parse));
            try
            {
                await redrive.RunAsync(limit, cancel).ConfigureAwait(false);
            }
            catch (AmazonSQSException e)
            {
                await stderr.WriteLineAsync($"remediator redrive: the queue answered {e.ErrorCode}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            await stderr.WriteLineAsync(redrive.Describe()).ConfigureAwait(false);
            return redrive.ExitCode;
        }
    }

    /// <summary>
    /// The original event of a failure-queue message: the body itself (an EventBridge dead letter), or the
    /// <c>requestPayload</c> of a Lambda on-failure record (<c>requestContext.condition</c> such as RetriesExhausted).
    /// </summary>
    public static bool TryReadEvent(string body, out CloudTrailEvent? cloudTrailEvent, out string problem)
    {
        cloudTrailEvent = null;
        var json = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("requestContext", out _) && root.TryGetProperty("requestPayload", out var payload))
            {
                json = payload.GetRawText();
            }
        }
        catch (JsonException e)
        {
            problem = $"the message is not JSON ({e.Message})";
            return false;
        }

        // A DynamoDB stream record has eventID, eventName and eventSource too (aws:dynamodb): only API calls count.
        if (EventReader.TryParseOne(json, out var parsed, out var why) && parsed.EventSource?.EndsWith(".amazonaws.com", StringComparison.Ordinal) == true)
        {
            cloudTrailEvent = parsed;
            problem = string.Empty;
            return true;
        }

        problem = $"no CloudTrail event in the message ({why ?? $"event source {parsed!.EventSource ?? "(none)"} is not an AWS API"})";
        return false;
    }

    private sealed class Redrive(EventApplier applier, IAmazonSQS sqs, string queueUrl, TextWriter stdout, TextWriter stderr, bool json)
    {
        // Messages left in the queue must not come back during this run (that would loop), so they are received with
        // a visibility timeout longer than a run is expected to take; they reappear for the next run or the next alarm.
        private const int VisibilitySeconds = 900;
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private int _redriven;
        private int _failed;
        private int _notEvents;

        public int ExitCode => _failed > 0 ? ExitCodes.RemediationFailed : _notEvents > 0 ? ExitCodes.BadInput : ExitCodes.Clean;

        public string Describe() =>
            $"{_redriven} message(s) redriven and deleted; {_failed} left in the queue because a change failed; " +
            $"{_notEvents} left because they hold no CloudTrail event.";

        public async Task RunAsync(int limit, CancellationToken cancellationToken)
        {
            while (_seen.Count < limit)
            {
                var response = await sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = queueUrl,
                        MaxNumberOfMessages = Math.Min(10, limit - _seen.Count),
                        VisibilityTimeout = VisibilitySeconds,
                        WaitTimeSeconds = 0,
                    },
                    cancellationToken).ConfigureAwait(false);
                var messages = response.Messages ?? [];
                if (messages.Count == 0)
                {
                    return;
                }

                foreach (var message in messages)
                {
                    if (_seen.Add(message.MessageId))
                    {
                        await HandleAsync(message, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        private async Task HandleAsync(Message message, CancellationToken cancellationToken)
        {
            if (!TryReadEvent(message.Body ?? string.Empty, out var cloudTrailEvent, out var problem))
            {
                _notEvents++;
                await stderr.WriteLineAsync($"message {message.MessageId}: {problem}; left in the queue").ConfigureAwait(false);
                return;
            }

            IReadOnlyList<AuditRecord> records;
            try
            {
                records = await applier.ApplyAsync(cloudTrailEvent!, cancellationToken).ConfigureAwait(false);
            }
            catch (StepOutcomeUnknownException e)
            {
                // Neither failed nor done can be said: the record stays in progress, the message in the queue.
                _failed++;
                await stderr.WriteLineAsync($"message {message.MessageId} (event {cloudTrailEvent!.EventId}): {e.Message}; left in the queue, its record in progress").ConfigureAwait(false);
                return;
            }

            foreach (var record in records)
            {
                await stdout.WriteLineAsync(json ? AuditJson.ToJson(record) : AuditText.Line(record)).ConfigureAwait(false);
            }

            if (records.Any(r => r.Outcome is AuditOutcome.Failed or AuditOutcome.PartiallyApplied))
            {
                _failed++;
                await stderr.WriteLineAsync($"message {message.MessageId} (event {cloudTrailEvent!.EventId}): a change failed; left in the queue").ConfigureAwait(false);
                return;
            }

            await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = queueUrl, ReceiptHandle = message.ReceiptHandle }, cancellationToken).ConfigureAwait(false);
            _redriven++;
        }
    }
}
