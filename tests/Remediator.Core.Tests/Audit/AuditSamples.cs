using System.Globalization;
using Remediator.Core.Detection;

namespace Remediator.Core.Tests.Audit;

/// <summary>Hand-built evaluations and records: the audit model is tested without running the engine.</summary>
internal static class AuditSamples
{
    public const string RoleArn = "arn:aws:iam::111122223333:role/app";
    public const string Alice = "arn:aws:iam::111122223333:user/alice";

    public static DateTimeOffset T(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static Rule Rule(string id = "iam-no-admin") => EngineFakes.Rule(new EngineFakes.FindsOne(), id: id);

    public static Finding Finding(string rule = "iam-no-admin", string resource = RoleArn) =>
        new(rule, Concerns.IamBroadPermissions, resource, "AWS::IAM::Role", Severity.High, "admin-wildcard",
            "Allow * on *", ["""{"Effect":"Allow","Action":"*","Resource":"*"}"""]);

    public static PlannedAction Revert(string resource = RoleArn) =>
        new(ActionNames.Revert, "iam:DeleteRolePolicy", resource, "delete the new inline policy")
        {
            Parameters = new JsonObject { ["RoleName"] = "app", ["PolicyName"] = "p" },
            Permissions = ["iam:DeleteRolePolicy"],
        };

    public static PlannedAction Notify(string resource = RoleArn) =>
        new(ActionNames.Notify, "notify:slack", resource, "tell the channel");

    public static FindingDecision Decision(
        FindingOutcome outcome = FindingOutcome.Planned,
        RuleMode mode = RuleMode.Enforce,
        string? reason = null,
        Finding? finding = null,
        IReadOnlyList<PlannedAction>? actions = null) =>
        new(finding ?? Finding(), mode, outcome, reason, actions ?? [Revert(), Notify()]);

    public static EventEvaluation Evaluation(CloudTrailEvent e, params RuleEvaluation[] rules) => new(e, null, rules);

    public static RuleEvaluation RuleWith(params FindingDecision[] decisions) => new(Rule(), RuleMode.Enforce, null, decisions);

    /// <summary>A complete record with every field set, as an executor would complete it.</summary>
    public static AuditRecord Full(string eventId = "e-1", string rule = "iam-no-admin", string resource = RoleArn, string recordedAt = "2026-11-01T10:00:01Z") =>
        new()
        {
            Id = AuditRecord.IdFor(eventId, rule),
            EventId = eventId,
            EventTime = T("2026-11-01T10:00:00Z"),
            Account = "111122223333",
            Region = "us-east-1",
            Actor = Alice,
            Rule = rule,
            Concern = Concerns.IamBroadPermissions,
            Resource = resource,
            ResourceType = "AWS::IAM::Role",
            Severity = Severity.High,
            Check = "admin-wildcard",
            Summary = "Allow * on * \"quoted\" ünïcode",
            Evidence = ["""{"Effect":"Allow","Action":"*"}""", "line two"],
            Mode = RuleMode.Enforce,
            Outcome = AuditOutcome.PartiallyApplied,
            Reason = null,
            Actions =
            [
                new AuditAction
                {
                    Action = ActionNames.Revert,
                    Operation = "iam:DeleteRolePolicy",
                    Resource = resource,
                    Description = "delete it",
                    Parameters = new JsonObject { ["RoleName"] = "app", ["Nested"] = new JsonObject { ["N"] = 3 } },
                    Before = """{"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"*"}]}}""",
                    After = """{"exists":false}""",
                    Outcome = ActionOutcome.Done,
                    StartedAt = T("2026-11-01T10:00:01.1234567Z"),
                    EndedAt = T("2026-11-01T10:00:02Z"),
                },
                new AuditAction
                {
                    Action = ActionNames.Tag,
                    Operation = "iam:TagRole",
                    Resource = resource,
                    Outcome = ActionOutcome.Failed,
                    Error = "AccessDenied: not allowed",
                },
            ],
            RecordedAt = T(recordedAt),
            UpdatedAt = T(recordedAt).AddSeconds(2),
            UndoOf = null,
            UndoneBy = null,
            ExpiresAt = T("2027-11-01T10:00:01Z"),
        };
}
