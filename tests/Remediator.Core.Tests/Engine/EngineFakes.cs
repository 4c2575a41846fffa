using Microsoft.Extensions.Time.Testing;
using Remediator.Core;
using Remediator.Core.Detection;
using Remediator.Core.Ports;
using Remediator.Core.Ports.Offline;

namespace Remediator.Core.Tests.Engine;

/// <summary>Small hand-written stand-ins for the engine's collaborators (the engine is pure; these are its edges).</summary>
internal static class EngineFakes
{
    public static CloudTrailEvent Event(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CloudTrailEvent.TryCreate(document.RootElement, default, out var problem)
            ?? throw new InvalidOperationException(problem);
    }

    public static CloudTrailEvent PutRolePolicy(
        string eventId = "e-1",
        string actor = "arn:aws:iam::111122223333:user/alice",
        string? errorCode = null,
        string time = "2026-11-01T10:00:00Z",
        string region = "us-east-1",
        string account = "111122223333")
    {
        var error = errorCode is null ? string.Empty : $"\"errorCode\": \"{errorCode}\",";
        return Event($$$"""
            {"eventSource": "iam.amazonaws.com", "eventName": "PutRolePolicy", "eventID": "{{{eventId}}}", {{{error}}}
             "eventTime": "{{{time}}}", "awsRegion": "{{{region}}}", "recipientAccountId": "{{{account}}}",
             "userIdentity": {"type": "IAMUser", "arn": "{{{actor}}}"},
             "requestParameters": {"roleName": "app", "policyName": "p", "policyDocument": "{}"}}
            """);
    }

    public static Rule Rule(
        IDetector detector,
        RuleMode mode = RuleMode.Enforce,
        Exemptions? exempt = null,
        string id = "test-rule") =>
        new(
            id,
            "test",
            Concerns.IamBroadPermissions,
            Severity.High,
            mode,
            default,
            new DetectorUse(new DetectorDescriptor("fake", Concerns.IamBroadPermissions, "fake", [], _ => new object(), detector), new object()),
            exempt ?? Exemptions.None,
            [],
            new SourceLocation("test.yaml", 1, 1));

    public static ResourceStatePorts Ports(IReadOnlyDictionary<string, string>? tags = null) =>
        OfflineStatePorts.Create(tags: new FixedTags(tags));

    public static RuleEngine NewEngine(
        Rule rule,
        GuardOptions? options = null,
        IReadOnlyDictionary<string, string>? tags = null,
        IRemediationHistory? history = null,
        DateTimeOffset? now = null) =>
        new(new AllRules([rule]), new RevertPlanner(), Ports(tags), history ?? new InMemoryRemediationHistory(),
            options ?? new GuardOptions(), new FakeTimeProvider(now ?? DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));

    internal sealed class FindsOne(string resource = "arn:aws:iam::111122223333:role/app") : IDetector
    {
        public int Calls { get; private set; }

        public string? LastOrganizationId { get; private set; }

        public ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken)
        {
            Calls++;
            LastOrganizationId = context.OrganizationId;
            IReadOnlyList<Finding> findings =
            [
                new Finding(context.RuleId, Concerns.IamBroadPermissions, resource, "AWS::IAM::Role", context.RuleSeverity, "admin-wildcard", "Allow * on *", ["{}"])
                {
                    RevertSteps = [new PlannedAction(ActionNames.Revert, "iam:DeleteRolePolicy", resource, "delete it")],
                },
            ];
            return ValueTask.FromResult(findings);
        }
    }

    internal sealed class FindsTwoWithOneRevert : IDetector
    {
        public async ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken)
        {
            var one = (await new FindsOne().DetectAsync(context, cancellationToken))[0];
            return [one, one with { Check = "service-wildcard" }];
        }
    }

    internal sealed class Throws : IDetector
    {
        public ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class AllRules(IReadOnlyList<Rule> rules) : IRuleMatcher
    {
        public IReadOnlyList<Rule> Match(CloudTrailEvent cloudTrailEvent) => rules;
    }

    /// <summary>Revert steps then a notification; only the notification when notify-only.</summary>
    private sealed class RevertPlanner : IRemediationPlanner
    {
        public IReadOnlyList<PlannedAction> Plan(Rule rule, Finding finding, CloudTrailEvent cloudTrailEvent, bool notifyOnly)
        {
            var notify = new PlannedAction(ActionNames.Notify, "notify:slack", finding.Resource, "tell people");
            return notifyOnly ? [notify] : [.. finding.RevertSteps, notify];
        }
    }

    private sealed class FixedTags(IReadOnlyDictionary<string, string>? tags) : ITagStatePort
    {
        public ValueTask<IReadOnlyDictionary<string, string>?> GetTagsAsync(string resourceArn, string resourceType, CancellationToken cancellationToken) =>
            ValueTask.FromResult(tags);
    }

}
