using System.Text.Json;
using Remediator.Core;
using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Ports;
using Remediator.Core.Ports.Offline;
using Remediator.Core.Registry;
using Remediator.Detectors.Iam;

namespace Remediator.Detectors.Tests.Iam;

/// <summary>Builds events and runs the detector the way the engine does.</summary>
internal static class IamTestSupport
{
    public const string Account = "111122223333";
    public const string RuleId = "iam-test-rule";

    public static CloudTrailEvent FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var e = root.TryGetProperty("detail", out var detail)
            ? CloudTrailEvent.TryCreate(detail, root, out var problem)
            : CloudTrailEvent.TryCreate(root, default, out problem);
        return e ?? throw new InvalidOperationException(problem);
    }

    /// <summary>A record from tests/fixtures, e.g. <c>cloudtrail/iam/CreateRole__1.json</c>.</summary>
    public static CloudTrailEvent Fixture(string relativePath) =>
        FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", relativePath)));

    /// <summary>A minimal raw IAM record with the given requestParameters (and responseElements) JSON.</summary>
    public static CloudTrailEvent Event(string eventName, string requestParameters, string responseElements = "null") =>
        FromJson($$"""
            {
              "eventVersion": "1.09",
              "userIdentity": { "type": "IAMUser", "arn": "arn:aws:iam::{{Account}}:user/alice", "accountId": "{{Account}}", "userName": "alice" },
              "eventTime": "2025-03-04T10:15:00Z",
              "eventSource": "iam.amazonaws.com",
              "eventName": "{{eventName}}",
              "awsRegion": "us-east-1",
              "requestParameters": {{requestParameters}},
              "responseElements": {{responseElements}},
              "eventID": "00000000-0000-4000-8000-000000000001",
              "recipientAccountId": "{{Account}}"
            }
            """);

    /// <summary>requestParameters of Put{Kind}Policy with <paramref name="policy"/> as the policyDocument string.</summary>
    public static CloudTrailEvent PutRolePolicy(string policy, string roleName = "app-role", string policyName = "inline") =>
        Event("PutRolePolicy", $$"""{"roleName":"{{roleName}}","policyName":"{{policyName}}","policyDocument":{{Quote(policy)}}}""");

    public static CloudTrailEvent UpdateAssumeRolePolicy(string policy, string roleName = "app-role") =>
        Event("UpdateAssumeRolePolicy", $$"""{"roleName":"{{roleName}}","policyDocument":{{Quote(policy)}}}""");

    /// <summary>A policy with the given statements (JSON objects, comma-separated).</summary>
    public static string Policy(string statements) => $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""";

    public static IReadOnlyList<Finding> Detect(
        CloudTrailEvent e,
        IamBroadPolicyOptions? options = null,
        IIamStatePort? port = null,
        Severity severity = Severity.High)
    {
        var context = new DetectionContext(e, RuleId, severity, options ?? IamBroadPolicyOptions.Default, Ports(port ?? new OfflineIamStatePort()));
        return new IamBroadPolicyDetector().DetectAsync(context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    public static IamBroadPolicyOptions Options(params (string Name, object? Value)[] values) =>
        IamBroadPolicyOptions.Bind(new OptionValues(values.ToDictionary(v => v.Name, v => v.Value)));

    public static IReadOnlyList<string> Checks(IEnumerable<Finding> findings) => findings.Select(f => f.Check).ToList();

    public static ResourceStatePorts Ports(IIamStatePort iam) =>
        OfflineStatePorts.Create(iam);

    /// <summary>The text as a JSON string literal.</summary>
    public static string Quote(string text)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStringValue(text);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <summary>An IAM port that knows what a test tells it, and records what it was asked.</summary>
internal sealed class FakeIamStatePort : IIamStatePort
{
    public Dictionary<string, IamPolicyVersion> DefaultVersions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> PreviousDefaultVersionIds { get; } = new(StringComparer.Ordinal);

    public Dictionary<(IamPrincipalKind, string, string), string> PreviousInlinePolicies { get; } = [];

    public Dictionary<string, string> PreviousTrustPolicies { get; } = new(StringComparer.Ordinal);

    /// <summary>Current trust policies by role name (GetRole's AssumeRolePolicyDocument).</summary>
    public Dictionary<string, string> TrustPolicies { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    public ValueTask<IamPolicyVersion?> GetPolicyDefaultVersionAsync(string policyArn, CancellationToken cancellationToken)
    {
        Calls.Add($"GetPolicyDefaultVersion {policyArn}");
        return ValueTask.FromResult(DefaultVersions.GetValueOrDefault(policyArn));
    }

    public ValueTask<string?> GetPreviousDefaultVersionIdAsync(string policyArn, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        Calls.Add($"GetPreviousDefaultVersionId {policyArn} {before:O}");
        return ValueTask.FromResult(PreviousDefaultVersionIds.GetValueOrDefault(policyArn));
    }

    public ValueTask<string?> GetPreviousInlinePolicyAsync(
        IamPrincipalKind kind, string principalName, string policyName, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        Calls.Add($"GetPreviousInlinePolicy {kind} {principalName} {policyName}");
        return ValueTask.FromResult(PreviousInlinePolicies.GetValueOrDefault((kind, principalName, policyName)));
    }

    public ValueTask<string?> GetPreviousAssumeRolePolicyAsync(string roleName, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        Calls.Add($"GetPreviousAssumeRolePolicy {roleName}");
        return ValueTask.FromResult(PreviousTrustPolicies.GetValueOrDefault(roleName));
    }

    public ValueTask<string?> GetAssumeRolePolicyAsync(string roleName, CancellationToken cancellationToken)
    {
        Calls.Add($"GetAssumeRolePolicy {roleName}");
        return ValueTask.FromResult(TrustPolicies.GetValueOrDefault(roleName));
    }

    /// <summary>Principals whose policies this fake knows; others answer null (unknown).</summary>
    public Dictionary<(IamPrincipalKind, string), IamPrincipalPolicies> Principals { get; } = [];

    public Dictionary<(IamPrincipalKind, string, string), string> InlinePolicies { get; } = [];

    public ValueTask<IamPrincipalPolicies?> GetPrincipalPoliciesAsync(IamPrincipalKind kind, string principalName, CancellationToken cancellationToken)
    {
        Calls.Add($"GetPrincipalPolicies {kind} {principalName}");
        return ValueTask.FromResult(Principals.GetValueOrDefault((kind, principalName)));
    }

    public ValueTask<string?> GetInlinePolicyAsync(IamPrincipalKind kind, string principalName, string policyName, CancellationToken cancellationToken)
    {
        Calls.Add($"GetInlinePolicy {kind} {principalName} {policyName}");
        return ValueTask.FromResult(InlinePolicies.GetValueOrDefault((kind, principalName, policyName)));
    }
}
