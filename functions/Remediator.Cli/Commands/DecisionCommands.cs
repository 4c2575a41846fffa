using System.CommandLine;
using Remediator.Operations;
using Remediator.Cli.Output;
using Remediator.Core;
using Remediator.Core.Approvals;
using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Execution;
using Remediator.Detectors.Actions;

namespace Remediator.Cli.Commands;

/// <summary>
/// <c>remediator pending</c>, <c>approve</c> and <c>deny</c>: the Slack buttons for people without Slack. The decision
/// goes through the same <see cref="DecisionService"/> as a click (approver check, exactly-once decision record), and
/// the CLI then carries it out itself with the caller's credentials. <c>--as</c> is recorded and checked against the
/// record's approvers, but taken on trust: whoever can write the audit table can claim any name.
/// </summary>
public static class DecisionCommands
{
    public static Command Pending(TextWriter stdout, TextWriter stderr)
    {
        var format = new Option<string>("--format") { Description = "table or json (an array of pending records).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var aws = new AwsCommandOptions();
        var command = new Command("pending",
            "List the decisions waiting for an approver (approve-mode rules), each with its id, rule, resource, approvers and deadline.\n" +
            "  remediator pending --audit-table remediator-audit --region us-east-1")
        {
            format,
        };
        aws.AddTo(command);
        command.SetAction((parse, cancel) => PendingAsync(parse, stdout, stderr, format, aws, cancel));
        return command;
    }

    private static async Task<int> PendingAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, Option<string> format, AwsCommandOptions aws, CancellationToken cancel)
    {
        IAuditStore store;
        try
        {
            store = aws.Store(parse, () => aws.ClientOptions(parse));
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"remediator pending: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var now = DateTimeOffset.UtcNow;
        var candidates = await store.QueryAsync(new AuditQuery(Since: now - ExpiryService.LookBack, Limit: 10_000), cancel).ConfigureAwait(false);
        var pending = new List<AuditRecord>();
        foreach (var record in candidates.Where(r => r.Outcome == AuditOutcome.Pending))
        {
            if (await store.GetAsync(DecisionService.DecisionIdFor(record.Id), cancel).ConfigureAwait(false) is null)
            {
                pending.Add(record);
            }
        }

        if (parse.GetValue(format) == "json")
        {
            await stdout.WriteLineAsync(AuditJson.ToJsonArray(pending)).ConfigureAwait(false);
            return ExitCodes.Clean;
        }

        if (pending.Count == 0)
        {
            await stdout.WriteLineAsync("No pending decisions.").ConfigureAwait(false);
        }

        foreach (var record in pending)
        {
            var approval = record.Approval!;
            await stdout.WriteLineAsync(
                $"{record.Id}\n  rule {record.Rule}, {record.Severity?.ToName() ?? "-"} on {record.Resource}\n  {record.Summary}\n" +
                $"  approvers {string.Join(", ", approval.Approvers)}; decide by {AuditJson.FormatTime(approval.DecideBy)}" +
                $"{(approval.DecideBy < now ? " (expired, awaiting the expiry run)" : string.Empty)}, then {ApprovalPolicy.NameOf(approval.OnExpiry)}").ConfigureAwait(false);
        }

        return ExitCodes.Clean;
    }

    public static Command Approve(TextWriter stdout, TextWriter stderr) => Decide("approve", DecisionVerb.Apply, stdout, stderr);

    public static Command Deny(TextWriter stdout, TextWriter stderr) => Decide("deny", DecisionVerb.Deny, stdout, stderr);

    private static Command Decide(string name, DecisionVerb verb, TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("audit-id") { Description = "The pending record's id (remediator pending shows it)." };
        var user = new Option<string>("--as") { Description = "Your Slack user id, as the rule's approvers list it. Recorded; checked against the approvers; taken on trust.", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the decision record).", Required = verb == DecisionVerb.Deny };
        var exemptionTag = new Option<string>("--exemption-tag") { Description = "The guard's exemption tag key.", DefaultValueFactory = _ => GuardOptions.DefaultExemptionTag };
        var aws = new AwsCommandOptions();
        var command = new Command(name,
            (verb == DecisionVerb.Apply
                ? "Approve a pending decision: carry out its planned fix now (re-reading the resource first) and record who approved it.\n" +
                  "  remediator approve 'e0b3.../iam-admin-wildcard' --as U0123ABCD --audit-table remediator-audit --region us-east-1"
                : "Deny a pending decision: change nothing and record who denied it and why.\n" +
                  "  remediator deny 'e0b3.../iam-admin-wildcard' --as U0123ABCD --reason 'break-glass role, reviewed' --audit-file .remediator/audit.jsonl") +
            "\nExit code: 0 done, 2 refused (unknown, not pending, already decided, expired, not an approver), 3 a step failed.")
        {
            id, user, reason, exemptionTag,
        };
        aws.AddTo(command);
        command.SetAction((parse, cancel) => DecideAsync(parse, name, verb, stdout, stderr, id, user, reason, exemptionTag, aws, cancel));
        return command;
    }

    private static async Task<int> DecideAsync(ParseResult parse, string name, DecisionVerb verb, TextWriter stdout, TextWriter stderr, Argument<string> id, Option<string> user, Option<string?> reason, Option<string> exemptionTag, AwsCommandOptions aws, CancellationToken cancel)
    {
        try
        {
            var options = aws.ClientOptions(parse);
            var store = aws.Store(parse, () => options);
            using var clients = await aws.ClientsAsync(parse, options, cancel).ConfigureAwait(false);
            var executor = AwsStepExecutor.Bound(clients, account: null);
            var service = new DecisionService(store, executor, new UndoService(store, executor, new UndoPlanner(OperationCatalogue.Index), TimeProvider.System),
                new TagExemptionPlanner(parse.GetValue(exemptionTag)!), TimeProvider.System);
            var begin = await service.BeginAsync(new DecisionRequest(parse.GetValue(id)!, verb, parse.GetValue(user)!, parse.GetValue(reason)), cancel).ConfigureAwait(false);
            if (!begin.Begun)
            {
                await stderr.WriteLineAsync($"remediator {name}: {begin.Detail}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var done = await service.CarryOutAsync(begin.Decision!.Id, cancel).ConfigureAwait(false);
            await stdout.WriteLineAsync(AuditText.Block(done!)).ConfigureAwait(false);
            return done!.Outcome is AuditOutcome.Applied or AuditOutcome.Decided ? ExitCodes.Clean : ExitCodes.RemediationFailed;
        }
        catch (Exception e) when (e is ArgumentException or Amazon.Runtime.AmazonServiceException)
        {
            await stderr.WriteLineAsync($"remediator {name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
    }
}
