using System.CommandLine;
using System.Globalization;
using Remediator.Cli.Output;
using Remediator.Core.Audit;

namespace Remediator.Cli.Commands;

/// <summary><c>remediator audit</c>: what the guard decided and did, newest first, from the audit trail.</summary>
public static class AuditCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var since = new Option<string>("--since")
        {
            Description = "How far back: a duration (30m, 24h, 7d) or an ISO date/time. Default: 24h.",
            DefaultValueFactory = _ => "24h",
        };
        var resource = new Option<string?>("--resource") { Description = "Only records about this resource (ARN, as the findings name it)." };
        var rule = new Option<string?>("--rule") { Description = "Only records of this rule id." };
        var limit = new Option<int>("--limit") { Description = "At most this many records (1-1000). Default: 100.", DefaultValueFactory = _ => 100 };
        var format = new Option<string>("--format")
        {
            Description = "table (for people) or json (a JSON array of records: id, eventId, rule, concern, resource, mode, actions, outcome, ...).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        var aws = new AwsCommandOptions();
        var command = new Command(
            "audit",
            "Show the audit trail: every decision of the guard (applied, dry-run, exempt, skipped, failed, undone) with each " +
            "action's before and after state. Undo an automatic change with `remediator undo <id>`.\n" +
            "  remediator audit --since 7d --rule iam-admin-wildcard\n" +
            "  remediator audit --audit-table remediator-audit --region us-east-1 --format json")
        {
            since, resource, rule, limit, format,
        };
        aws.AddTo(command);
        command.SetAction((parse, cancel) => RunAsync(parse, stdout, stderr, since, resource, rule, limit, format, aws, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, Option<string> since, Option<string?> resource, Option<string?> rule, Option<int> limit, Option<string> format, AwsCommandOptions aws, CancellationToken cancel)
    {
        AuditQuery query;
        IAuditStore store;
        try
        {
            query = new AuditQuery(Since(parse.GetValue(since)!, DateTimeOffset.UtcNow), parse.GetValue(resource), parse.GetValue(rule), parse.GetValue(limit)).Validated();
            store = aws.Store(parse, () => aws.ClientOptions(parse));
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"remediator audit: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var records = await store.QueryAsync(query, cancel).ConfigureAwait(false);
        if (parse.GetValue(format) == "json")
        {
            await stdout.WriteLineAsync(AuditJson.ToJsonArray(records)).ConfigureAwait(false);
        }
        else
        {
            foreach (var record in records)
            {
                await stdout.WriteLineAsync(AuditText.Block(record) + "\n").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync($"{records.Count} record(s) since {query.Since:u}.").ConfigureAwait(false);
        }

        return ExitCodes.Clean;
    }

    /// <summary>"30m", "24h", "7d", or an ISO date or time.</summary>
    public static DateTimeOffset Since(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = text[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } duration)
            {
                return now - duration;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        throw new ArgumentException($"--since '{text}' is neither a duration (30m, 24h, 7d) nor a date/time.");
    }
}
