using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Remediator.Core.Approvals;

namespace Remediator.Core.Audit;

/// <summary>
/// The JSON form of audit records: one object per record, camelCase names, times as ISO 8601 UTC with seven
/// fractional digits (so that they sort as text: the DynamoDB sort keys rely on it), before/after states embedded as
/// JSON. Serialized by System.Text.Json source generation (<see cref="AuditJsonContext"/>, NativeAOT-safe) through the
/// stored shapes in AuditJsonShapes.cs; this class maps them to the domain records and refuses a bad record naming
/// the field. Used by the local store, the DynamoDB items and <c>remediator audit --format json</c>.
/// </summary>
public static class AuditJson
{
    private static readonly JsonSerializerOptions Compact = new(AuditJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    /// <summary>Sortable UTC text of a time: <c>2026-11-01T10:00:00.0000000Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>One record as compact (one line) or indented JSON.</summary>
    public static string ToJson(AuditRecord record, bool indented = false) =>
        JsonSerializer.Serialize(ToShape(record), RecordInfo(indented ? Indented : Compact));

    /// <summary>Records as one JSON array (the CLI's <c>--format json</c>).</summary>
    public static string ToJsonArray(IEnumerable<AuditRecord> records, bool indented = true) =>
        JsonSerializer.Serialize(records.Select(ToShape).ToList(), ListInfo(indented ? Indented : Compact));

    /// <summary>Reads one record; throws <see cref="FormatException"/> naming the field when it is not one.</summary>
    public static AuditRecord Parse(string json)
    {
        AuditRecordShape? shape;
        try
        {
            shape = JsonSerializer.Deserialize(json, RecordInfo(Compact));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a JSON audit record: {ex.Message}", ex);
        }

        return FromShape(shape ?? throw new FormatException("an audit record must be a JSON object"));
    }

    public static bool TryParse(string json, out AuditRecord? record, out string? problem)
    {
        try
        {
            record = Parse(json);
            problem = null;
            return true;
        }
        catch (FormatException ex)
        {
            record = null;
            problem = ex.Message;
            return false;
        }
    }

    private static JsonTypeInfo<AuditRecordShape> RecordInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<AuditRecordShape>)options.GetTypeInfo(typeof(AuditRecordShape));

    private static JsonTypeInfo<List<AuditRecordShape>> ListInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<List<AuditRecordShape>>)options.GetTypeInfo(typeof(List<AuditRecordShape>));

    private static AuditRecordShape ToShape(AuditRecord record) => new()
    {
        Id = record.Id,
        EventId = record.EventId,
        EventTime = Time(record.EventTime),
        Account = record.Account,
        Region = record.Region,
        Actor = record.Actor,
        Rule = record.Rule,
        Concern = record.Concern,
        Resource = record.Resource,
        ResourceType = record.ResourceType,
        Severity = record.Severity?.ToName(),
        Check = record.Check,
        Summary = record.Summary,
        Evidence = [.. record.Evidence],
        Mode = record.Mode.ToName(),
        Outcome = record.Outcome.ToName(),
        Reason = record.Reason,
        Actions = [.. record.Actions.Select(ToShape)],
        RecordedAt = FormatTime(record.RecordedAt),
        UpdatedAt = FormatTime(record.UpdatedAt),
        InProgressUntil = Time(record.InProgressUntil),
        UndoOf = record.UndoOf,
        UndoneBy = record.UndoneBy,
        Approval = record.Approval is { } approval
            ? new ApprovalShape
            {
                Approvers = [.. approval.Approvers],
                DecideBy = FormatTime(approval.DecideBy),
                OnExpiry = ApprovalPolicy.NameOf(approval.OnExpiry),
                Contain = approval.Contain,
            }
            : null,
        Decision = record.Decision is { } decision
            ? new DecisionShape
            {
                Verb = decision.Verb.ToName(),
                By = decision.By,
                At = FormatTime(decision.At),
                Reason = decision.Reason,
                ExemptDays = decision.ExemptDays,
            }
            : null,
        DecisionOf = record.DecisionOf,
        ExpiresAt = Time(record.ExpiresAt),
        MissedEvent = record.MissedEvent,
        Delivery = record.Delivery,
    };

    private static AuditActionShape ToShape(AuditAction action) => new()
    {
        Action = action.Action,
        Operation = action.Operation,
        Resource = action.Resource,
        Description = action.Description,
        Parameters = action.Parameters,
        Before = action.Before,
        After = action.After,
        Outcome = action.Outcome.ToName(),
        Error = action.Error,
        StartedAt = Time(action.StartedAt),
        EndedAt = Time(action.EndedAt),
    };

    private static AuditRecord FromShape(AuditRecordShape shape)
    {
        if (!AuditNames.TryParseMode(Required(shape.Mode, "mode"), out var mode))
        {
            throw new FormatException($"unknown mode '{shape.Mode}'");
        }

        if (!AuditNames.TryParseOutcome(Required(shape.Outcome, "outcome"), out var outcome))
        {
            throw new FormatException($"unknown outcome '{shape.Outcome}'");
        }

        Severity? severity = SeverityNames.TryParse(shape.Severity, out var s) ? s : null;
        return new AuditRecord
        {
            Id = Required(shape.Id, "id"),
            EventId = Required(shape.EventId, "eventId"),
            EventTime = OptionalTime(shape.EventTime, "eventTime"),
            Account = shape.Account,
            Region = shape.Region,
            Actor = shape.Actor,
            Rule = Required(shape.Rule, "rule"),
            Concern = shape.Concern ?? string.Empty,
            Resource = shape.Resource ?? string.Empty,
            ResourceType = shape.ResourceType ?? string.Empty,
            Severity = severity,
            Check = shape.Check,
            Summary = shape.Summary,
            Evidence = shape.Evidence ?? [],
            Mode = mode,
            Outcome = outcome,
            Reason = shape.Reason,
            Actions = shape.Actions?.Select(FromShape).ToList() ?? [],
            RecordedAt = OptionalTime(shape.RecordedAt, "recordedAt") ?? throw new FormatException("missing field 'recordedAt'"),
            UpdatedAt = OptionalTime(shape.UpdatedAt, "updatedAt") ?? throw new FormatException("missing field 'updatedAt'"),
            InProgressUntil = OptionalTime(shape.InProgressUntil, "inProgressUntil"),
            UndoOf = shape.UndoOf,
            UndoneBy = shape.UndoneBy,
            Approval = shape.Approval is { } approval ? FromShape(approval) : null,
            Decision = shape.Decision is { } decision ? FromShape(decision) : null,
            DecisionOf = shape.DecisionOf,
            ExpiresAt = OptionalTime(shape.ExpiresAt, "expiresAt"),
            MissedEvent = shape.MissedEvent,
            Delivery = shape.Delivery,
        };
    }

    private static AuditAction FromShape(AuditActionShape shape)
    {
        if (!AuditNames.TryParseActionOutcome(Required(shape.Outcome, "outcome"), out var outcome))
        {
            throw new FormatException($"unknown action outcome '{shape.Outcome}'");
        }

        return new AuditAction
        {
            Action = Required(shape.Action, "action"),
            Operation = Required(shape.Operation, "operation"),
            Resource = shape.Resource ?? throw new FormatException("missing field 'resource'"),
            Description = shape.Description,
            Parameters = shape.Parameters ?? [],
            Before = shape.Before,
            After = shape.After,
            Outcome = outcome,
            Error = shape.Error,
            StartedAt = OptionalTime(shape.StartedAt, "startedAt"),
            EndedAt = OptionalTime(shape.EndedAt, "endedAt"),
        };
    }

    private static ApprovalRequest FromShape(ApprovalShape shape) => new(
        shape.Approvers ?? [],
        LenientTime(shape.DecideBy) ?? throw new FormatException("approval without 'decideBy'"),
        ApprovalPolicy.TryParseExpiry(shape.OnExpiry, out var onExpiry) ? onExpiry : ExpiryOutcome.Notify,
        shape.Contain);

    private static DecisionTaken FromShape(DecisionShape shape)
    {
        if (!DecisionVerbs.TryParse(shape.Verb, out var verb))
        {
            throw new FormatException($"unknown decision '{shape.Verb}'");
        }

        return new DecisionTaken(
            verb,
            shape.By ?? throw new FormatException("decision without 'by'"),
            LenientTime(shape.At) ?? throw new FormatException("decision without 'at'"),
            shape.Reason)
        {
            ExemptDays = shape.ExemptDays,
        };
    }

    private static string? Time(DateTimeOffset? time) => time is null ? null : FormatTime(time.Value);

    private static string Required(string? value, string name) =>
        value is { Length: > 0 } ? value : throw new FormatException($"missing field '{name}'");

    private static DateTimeOffset? OptionalTime(string? text, string name) =>
        text is null
            ? null
            : LenientTime(text) ?? throw new FormatException($"field '{name}' is not a time: '{text}'");

    private static DateTimeOffset? LenientTime(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
