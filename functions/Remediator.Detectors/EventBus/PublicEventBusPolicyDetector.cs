using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Operations;

namespace Remediator.Detectors.EventBus;

/// <summary>
/// Finds event bus policies that let any AWS account put events (PutPermission, CreateEventBus). Judges the bus's
/// current policy when the port can read it (the event only says where to look), else the event's own statement
/// or policy. One finding per bus, listing every offending statement.
/// </summary>
/// <remarks>
/// Revert, least blast radius first: when every offending statement has a Sid, one RemovePermission per Sid (each
/// undone by itself). When one has none, RemovePermission cannot name it, so a single PutPermission writes the whole
/// policy without every offending statement. Only when nothing would remain — EventBridge refuses an empty policy —
/// is RemoveAllPermissions used. Every step keeps the full previous policy (when known) for undo. The rewrite is the
/// exact revert, not what an always-on guard does: it writes a whole policy, so the planner has the guard make the bus
/// private instead and leaves the rewrite to a person's approval (<c>RemediationPlanner</c>).
/// </remarks>
public sealed class PublicEventBusPolicyDetector : ResourceDetector<PublicEventBusPolicyOptions>
{
    public const string Name = "public-event-bus-policy";
    public const string CheckPublicStatement = "public-statement";
    public const string CheckUnreadablePolicy = "unreadable-policy";
    public const string ResourceType = "AWS::Events::EventBus";
    private const string DefaultBus = "default";

    private PublicEventBusPolicyDetector()
        : base(Concerns.PublicEventBus, "events.amazonaws.com", "PutPermission", "CreateEventBus")
    {
    }

    public static DetectorDescriptor Descriptor { get; } = new PublicEventBusPolicyDetector().Describe(
        Name,
        "Flags event bus policy statements that allow any AWS account ('*', {\"AWS\":\"*\"}, arn:aws:iam::*:root, NotPrincipal) "
        + "without a condition pinning callers to the organization or trusted accounts; reverts by removing those statements.",
        PublicEventBusPolicyOptions.Specs,
        PublicEventBusPolicyOptions.Bind);

    protected override async ValueTask<IReadOnlyList<Finding>> JudgeAsync(DetectionContext context, PublicEventBusPolicyOptions options, CancellationToken cancellationToken)
    {
        var ev = context.Event;
        options = options.OrganizationId is null && context.OrganizationId is not null ? options with { OrganizationId = context.OrganizationId } : options;
        var request = ev.RequestParameters;
        var busName = EventValues.String(request, ev.OperationName == "CreateEventBus" ? "name" : "eventBusName") ?? DefaultBus;
        var busArn = ResourceArns.IsArn(busName)
            ? busName
            : ResourceArns.Build("events", ev.AwsRegion, ev.RecipientAccountId, "event-bus/" + busName) ?? busName;
        var ownerAccount = ResourceArns.IsArn(busName) ? ResourceArns.AccountOf(busName) : ev.RecipientAccountId;

        var current = await context.State.EventBus.GetPolicyAsync(busName, cancellationToken).ConfigureAwait(false);
        BusPolicy? policy;
        bool policyIsWhole;
        string source;
        if (current is not null)
        {
            if (current.PolicyDocument is null)
            {
                return []; // the bus has no policy now: whatever the event granted is gone already
            }

            policy = BusPolicy.From(current.PolicyDocument);
            policyIsWhole = true;
            source = "judged the bus's current policy (DescribeEventBus)";
        }
        else
        {
            (policy, policyIsWhole) = FromEvent(ev, request, busArn);
            source = "judged the event's own statement (current policy not readable)";
            if (policy is null && JsonText.MemberIgnoreCase(request, "policy").ValueKind == JsonValueKind.Undefined)
            {
                return []; // CreateEventBus without a policy, or a PutPermission without a usable principal: nothing to judge
            }
        }

        if (policy is null)
        {
            return [Unreadable(context, busName, busArn, source)];
        }

        var judge = new BusStatementJudge(options, ownerAccount);
        var offending = policy.Statements
            .Select(statement => (Statement: statement, Verdict: judge.Judge(statement)))
            .Where(x => x.Verdict.IsPublic)
            .ToList();
        if (offending.Count == 0)
        {
            return [];
        }

        var severity = offending.Any(x => !x.Verdict.HasCondition) ? context.RuleSeverity : context.RuleSeverity.Lowered();
        var evidence = new List<string> { source };
        evidence.AddRange(offending.Select(x => $"{Describe(x.Statement)}: {x.Verdict.Reason}: {x.Statement.ToJsonString()}"));

        return
        [
            Found(
                context,
                busArn,
                ResourceType,
                CheckPublicStatement,
                $"Event bus '{busName}' has {offending.Count} policy statement(s) that let {string.Join("; ", offending.Select(x => x.Verdict.Reach).Distinct(StringComparer.Ordinal))} put events on it.",
                evidence,
                PlanRevert(busName, busArn, policy, policyIsWhole, offending.Select(x => x.Statement).ToList()),
                severity),
        ];
    }

    /// <summary>
    /// The statements the event wrote. The policy form replaces the whole policy, so it is the whole policy; the
    /// simple form adds one statement to a policy we cannot see.
    /// </summary>
    private static (BusPolicy? Policy, bool IsWhole) FromEvent(CloudTrailEvent ev, JsonElement request, string busArn)
    {
        var policy = JsonText.MemberIgnoreCase(request, "policy");
        if (policy.ValueKind != JsonValueKind.Undefined)
        {
            return (BusPolicy.From(policy), true);
        }

        if (ev.OperationName != "PutPermission" || EventValues.String(request, "principal") is not { } principal)
        {
            return (null, false);
        }

        var statement = new JsonObject
        {
            ["Sid"] = EventValues.String(request, "statementId"),
            ["Effect"] = "Allow",
            ["Principal"] = principal == "*" ? "*" : new JsonObject { ["AWS"] = ResourceArns.IsAccountId(principal) ? $"arn:aws:iam::{principal}:root" : principal },
            ["Action"] = EventValues.String(request, "action") ?? "events:PutEvents",
            ["Resource"] = busArn,
        };
        var condition = JsonText.MemberIgnoreCase(request, "condition");
        if (EventValues.String(condition, "type") is { } type && EventValues.String(condition, "key") is { } key)
        {
            statement["Condition"] = new JsonObject { [type] = new JsonObject { [key] = EventValues.String(condition, "value") } };
        }

        return (BusPolicy.Single(statement), false);
    }

    private static List<PlannedAction> PlanRevert(string busName, string busArn, BusPolicy policy, bool policyIsWhole, List<JsonObject> offending)
    {
        string? previousPolicy = policyIsWhole ? policy.ToJsonText() : null;
        var sids = offending.Select(s => Sid(s)).ToList();
        if (sids.All(sid => sid is not null))
        {
            return offending.Select(statement =>
                OperationCatalogue.RemovePermission.Plan(ActionNames.Revert, busArn,
                    $"Remove statement '{Sid(statement)}' from the policy of event bus '{busName}'.",
                    new BusPermissionRemoval(busName, Sid(statement), PreviousStatement: statement.ToJsonString(), PreviousPolicy: previousPolicy))).ToList();
        }

        // A statement without a Sid: only the whole policy can be rewritten, and only when we know the whole policy
        // (a simple-form event without statementId is malformed: writing a policy over an unseen one would be worse).
        if (!policyIsWhole)
        {
            return [];
        }

        var remaining = policy.Statements.Count - offending.Count;
        if (remaining == 0)
        {
            return
            [
                OperationCatalogue.RemovePermission.Plan(ActionNames.Revert, busArn,
                    $"Remove every statement from the policy of event bus '{busName}': all of them are public and one has no Sid.",
                    new BusPermissionRemoval(busName, RemoveAllPermissions: true, PreviousPolicy: previousPolicy)),
            ];
        }

        return
        [
            OperationCatalogue.PutPermission.Plan(ActionNames.Revert, busArn,
                $"Rewrite the policy of event bus '{busName}' without its {offending.Count} public statement(s), keeping the other {remaining}.",
                new BusPolicyPut(busName, policy.Without(offending), previousPolicy)),
        ];
    }

    private Finding Unreadable(DetectionContext context, string busName, string busArn, string source) =>
        Found(context, busArn, ResourceType, CheckUnreadablePolicy,
            $"The policy of event bus '{busName}' could not be parsed, so it cannot be shown to be private.",
            [source], []);

    private static string? Sid(JsonObject statement) =>
        BusPolicy.FindIgnoreCase(statement, "Sid") is JsonValue v && v.TryGetValue<string>(out var sid) && !string.IsNullOrEmpty(sid) ? sid : null;

    private static string Describe(JsonObject statement) => Sid(statement) is { } sid ? $"Statement '{sid}'" : "Statement without Sid";
}
