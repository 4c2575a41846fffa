using System.Text;
using System.Text.Json.Nodes;
using Remediator.Core;
using Remediator.Core.Audit;
using Remediator.Core.Rules;
using Remediator.Notifier.Stream;

namespace Remediator.Notifier.Tests.Support;

/// <summary>Audit records and stream events for tests, written the way the store writes them.</summary>
public static class Records
{
    public const string Account = "111122223333";
    public const string Region = "us-east-1";
    public const string StreamArn = $"arn:aws:dynamodb:{Region}:{Account}:table/remediator-audit/stream/2026-11-01T09:00:00.000";
    public const string Actor = $"arn:aws:sts::{Account}:assumed-role/DevOps/alice@example.com";
    public static readonly DateTimeOffset Time = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    public static AuditRecord Applied(string eventId = "e-1", string rule = "iam-admin-wildcard", string role = "app-admin", params string[] channels) =>
        Record(eventId, rule, role, AuditOutcome.Applied, RuleMode.Enforce, ActionOutcome.Done, channels.Length == 0 ? ["slack"] : channels);

    public static AuditRecord Record(
        string eventId, string rule, string role, AuditOutcome outcome, RuleMode mode, ActionOutcome revertOutcome, IEnumerable<string> channels, string? error = null)
    {
        var resource = $"arn:aws:iam::{Account}:role/{role}";
        var actions = new List<AuditAction>
        {
            new()
            {
                Action = "revert",
                Operation = "iam:DeleteRolePolicy",
                Resource = resource,
                Description = $"Delete inline policy 'admin-all' from role {role}.",
                Parameters = new JsonObject { ["RoleName"] = role, ["PolicyName"] = "admin-all" },
                Outcome = revertOutcome,
                Error = error,
            },
        };
        actions.AddRange(channels.Select(channel => new AuditAction
        {
            Action = "notify",
            Operation = "notify:" + channel,
            Resource = resource,
            Description = $"Tell {channel}: high iam on {resource}.",
        }));
        return new AuditRecord
        {
            Id = AuditRecord.IdFor(eventId, rule),
            EventId = eventId,
            EventTime = Time,
            Account = Account,
            Region = Region,
            Actor = Actor,
            Rule = rule,
            Concern = "iam",
            Resource = resource,
            ResourceType = "AWS::IAM::Role",
            Severity = Severity.High,
            Summary = $"Role {role} grants Action * on Resource * through inline policy 'admin-all'.",
            Mode = mode,
            Outcome = outcome,
            Actions = actions,
            RecordedAt = Time,
            UpdatedAt = Time,
        };
    }

    /// <summary>An item image as the store writes it: keys, the record's JSON, and the outcome beside it.</summary>
    public static JsonObject Image(AuditRecord record)
    {
        var slash = record.Id.IndexOf('/', StringComparison.Ordinal);
        return new JsonObject
        {
            ["pk"] = S("EVENT#" + record.Id[..slash]),
            ["sk"] = S("RULE#" + record.Id[(slash + 1)..]),
            ["id"] = S(record.Id),
            ["record"] = S(AuditJson.ToJson(record)),
            ["outcome"] = S(record.Outcome.ToName()),
            ["rule"] = S(record.Rule),
        };
    }

    public static JsonObject StreamRecord(string eventName, string sequenceNumber, AuditRecord? newRecord, AuditRecord? oldRecord = null)
    {
        var keyed = newRecord ?? oldRecord ?? throw new ArgumentException("an image is needed");
        var image = Image(keyed);
        var dynamodb = new JsonObject
        {
            ["Keys"] = new JsonObject { ["pk"] = image["pk"]!.DeepClone(), ["sk"] = image["sk"]!.DeepClone() },
            ["SequenceNumber"] = sequenceNumber,
            ["StreamViewType"] = "NEW_AND_OLD_IMAGES",
        };
        if (newRecord is not null)
        {
            dynamodb["NewImage"] = Image(newRecord);
        }

        if (oldRecord is not null)
        {
            dynamodb["OldImage"] = Image(oldRecord);
        }

        return new JsonObject
        {
            ["eventID"] = "id-" + sequenceNumber,
            ["eventName"] = eventName,
            ["eventSource"] = "aws:dynamodb",
            ["awsRegion"] = Region,
            ["dynamodb"] = dynamodb,
            ["eventSourceARN"] = StreamArn,
        };
    }

    public static ReadOnlyMemory<byte> Batch(params JsonObject[] records)
    {
        var array = new JsonArray();
        foreach (var record in records)
        {
            array.Add(record);
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = array }.ToJsonString());
    }

    /// <summary>INSERT of the given records, sequence numbers 1, 2, 3...</summary>
    public static ReadOnlyMemory<byte> Inserts(params AuditRecord[] records) =>
        Batch(records.Select((r, i) => StreamRecord("INSERT", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), r)).ToArray());

    public static AuditNotification Notification(AuditRecord record, Uri? link = null) =>
        new(record, NotificationPolicy.ChannelsOf(record), link);

    public static string FixturePath(string name) =>
        Path.Combine(AppContext.BaseDirectory, "fixtures", "synthetic", "dynamodbstreams", name);

    private static JsonObject S(string value) => new() { ["S"] = value };
}
