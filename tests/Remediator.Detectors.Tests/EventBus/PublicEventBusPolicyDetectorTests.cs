using System.Text.Json.Nodes;
using Remediator.Core;
using Remediator.Core.Ports;
using Remediator.Detectors.EventBus;
using Remediator.Detectors.Tests.Actions;

namespace Remediator.Detectors.Tests.EventBus;

public sealed class PublicEventBusPolicyDetectorTests
{
    private static readonly Remediator.Core.Registry.DetectorDescriptor Descriptor = PublicEventBusPolicyDetector.Descriptor;
    private const string OrdersArn = "arn:aws:events:eu-west-1:111122223333:event-bus/orders";

    private static object Options(string? organizationId = null, params string[] trusted) =>
        DetectorHarness.Bind(Descriptor, ("organizationId", organizationId), ("trustedAccounts", (IReadOnlyList<string>)trusted));

    [Fact]
    public async Task Simple_form_with_principal_star_is_public_and_reverted_by_RemovePermission()
    {
        var findings = await DetectorHarness.DetectAsync(Descriptor, "synthetic/eventbridge/PutPermission_simple_public.json");

        var finding = Assert.Single(findings);
        Assert.Equal(Concerns.PublicEventBus, finding.Concern);
        Assert.Equal(PublicEventBusPolicyDetector.CheckPublicStatement, finding.Check);
        Assert.Equal(OrdersArn, finding.Resource);
        Assert.Equal("AWS::Events::EventBus", finding.ResourceType);
        Assert.Equal(Severity.High, finding.Severity);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("revert", step.Action);
        Assert.Equal("events:RemovePermission", step.Operation);
        Assert.Equal("orders", (string?)step.Parameters["EventBusName"]);
        Assert.Equal("AllowEveryone", (string?)step.Parameters["StatementId"]);
        Assert.Contains("\"Principal\":\"*\"", (string?)step.Parameters["PreviousStatement"], StringComparison.Ordinal);
        Assert.Equal(["events:RemovePermission"], step.Permissions);
    }

    [Fact]
    public async Task Org_condition_equal_to_the_configured_organization_is_private()
    {
        var findings = await DetectorHarness.DetectAsync(
            Descriptor, "synthetic/eventbridge/PutPermission_simple_org_condition.json", Options("o-abcde12345"));

        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("o-zzzzzzzzzz")]
    [InlineData(null)]
    public async Task Org_condition_naming_another_or_no_configured_organization_is_still_public_one_step_lower(string? configured)
    {
        var findings = await DetectorHarness.DetectAsync(
            Descriptor, "synthetic/eventbridge/PutPermission_simple_org_condition.json", Options(configured));

        var finding = Assert.Single(findings);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains("condition that does not pin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Single_account_principal_on_the_default_bus_is_not_public()
    {
        var findings = await DetectorHarness.DetectAsync(Descriptor, "synthetic/eventbridge/PutPermission_simple_default_bus_account.json");

        Assert.Empty(findings);
    }

    [Fact]
    public async Task Omitted_bus_name_means_the_default_bus()
    {
        var ev = DetectorHarness.Parse("""
            {"eventSource":"events.amazonaws.com","eventName":"PutPermission","awsRegion":"eu-west-1","recipientAccountId":"111122223333",
             "requestParameters":{"action":"events:PutEvents","principal":"*","statementId":"Open"}}
            """);

        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, ev));

        Assert.Equal("arn:aws:events:eu-west-1:111122223333:event-bus/default", finding.Resource);
        Assert.Equal("default", (string?)finding.RevertSteps[0].Parameters["EventBusName"]);
    }

    [Fact]
    public async Task Policy_form_statement_without_sid_is_reverted_by_rewriting_the_policy_without_it()
    {
        var findings = await DetectorHarness.DetectAsync(Descriptor, "synthetic/eventbridge/PutPermission_policy_public_without_sid.json");

        var finding = Assert.Single(findings);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("events:PutPermission", step.Operation);
        Assert.Equal(["events:PutPermission"], step.Permissions);
        var policy = JsonNode.Parse((string)step.Parameters["Policy"]!)!.AsObject();
        var remaining = Assert.Single(policy["Statement"]!.AsArray());
        Assert.Equal("AllowPartner", (string?)remaining!["Sid"]);
        var previous = JsonNode.Parse((string)step.Parameters["PreviousPolicy"]!)!;
        Assert.Equal(2, previous["Statement"]!.AsArray().Count);
    }

    [Fact]
    public async Task CreateEventBus_with_a_public_policy_object_is_found_on_the_new_bus()
    {
        var findings = await DetectorHarness.DetectAsync(Descriptor, "synthetic/eventbridge/CreateEventBus_with_public_policy.json");

        var finding = Assert.Single(findings);
        Assert.Equal("arn:aws:events:eu-west-1:111122223333:event-bus/audit", finding.Resource);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("events:RemovePermission", step.Operation);
        Assert.Equal("audit", (string?)step.Parameters["EventBusName"]);
        Assert.Equal("OpenToAll", (string?)step.Parameters["StatementId"]);
        Assert.NotNull(step.Parameters["PreviousPolicy"]);
    }

    [Fact]
    public async Task The_current_policy_read_through_the_port_is_judged_instead_of_the_event()
    {
        // The event grants one account, but the bus's policy now also holds a public statement from elsewhere.
        var port = new FixedPolicyPort("""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"AllowPartner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"events:PutEvents","Resource":"*"},
              {"Sid":"Legacy","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:root","arn:aws:iam::*:root"]},"Action":"events:PutEvents","Resource":"*"}]}
            """);

        var findings = await DetectorHarness.DetectAsync(
            Descriptor, "synthetic/eventbridge/PutPermission_simple_default_bus_account.json", ports: DetectorHarness.Ports(eventBus: port));

        var finding = Assert.Single(findings);
        Assert.Contains(finding.Evidence, e => e.Contains("current policy", StringComparison.Ordinal));
        Assert.Equal("Legacy", (string?)Assert.Single(finding.RevertSteps).Parameters["StatementId"]);
        Assert.Equal("default", port.AskedFor);
    }

    [Fact]
    public async Task A_bus_with_no_policy_now_has_nothing_to_revert()
    {
        var findings = await DetectorHarness.DetectAsync(
            Descriptor, "synthetic/eventbridge/PutPermission_simple_public.json", ports: DetectorHarness.Ports(eventBus: new FixedPolicyPort(null)));

        Assert.Empty(findings);
    }

    [Fact]
    public async Task Every_statement_public_and_one_without_sid_removes_all_permissions()
    {
        var port = new FixedPolicyPort("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"*"},
              {"Sid":"B","Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"events:PutEvents","Resource":"*"}]}
            """);

        var findings = await DetectorHarness.DetectAsync(
            Descriptor, "synthetic/eventbridge/PutPermission_simple_public.json", ports: DetectorHarness.Ports(eventBus: port));

        var step = Assert.Single(Assert.Single(findings).RevertSteps);
        Assert.Equal("events:RemovePermission", step.Operation);
        Assert.True((bool)step.Parameters["RemoveAllPermissions"]!);
        Assert.Contains("NotPrincipal", (string?)step.Parameters["PreviousPolicy"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"StringEquals":{"aws:SourceAccount":"444455556666"}}""", false)]
    [InlineData("""{"StringEquals":{"aws:PrincipalAccount":["444455556666","999999999999"]}}""", true)]
    [InlineData("""{"ArnLike":{"aws:SourceArn":"arn:aws:events:eu-west-1:444455556666:rule/*"}}""", false)]
    [InlineData("""{"ArnLike":{"aws:SourceArn":"arn:aws:events:eu-west-1:*:rule/*"}}""", true)]
    [InlineData("""{"StringEqualsIfExists":{"aws:SourceAccount":"444455556666"}}""", true)]
    [InlineData("""{"StringEquals":{"aws:SourceAccount":"111122223333"}}""", false)]
    public async Task Conditions_pin_callers_only_to_trusted_accounts_or_the_owner(string condition, bool isPublic)
    {
        var port = new FixedPolicyPort($$"""
            {"Statement":[{"Sid":"S","Effect":"Allow","Principal":{"AWS":"*"},"Action":"events:PutEvents","Resource":"*","Condition":{{condition}}}]}
            """);

        var findings = await DetectorHarness.DetectAsync(
            Descriptor, "synthetic/eventbridge/PutPermission_simple_public.json", Options(null, "444455556666"), DetectorHarness.Ports(eventBus: port));

        Assert.Equal(isPublic, findings.Count == 1);
    }

    [Fact]
    public async Task Deny_and_service_principals_are_not_public()
    {
        var port = new FixedPolicyPort("""
            {"Statement":[{"Sid":"D","Effect":"Deny","Principal":"*","Action":"events:PutEvents","Resource":"*"},
                          {"Sid":"S","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"events:PutEvents","Resource":"*"}]}
            """);

        var findings = await DetectorHarness.DetectAsync(
            Descriptor, "synthetic/eventbridge/PutPermission_simple_public.json", ports: DetectorHarness.Ports(eventBus: port));

        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("""{"eventBusName":"b","policy":"{not json"}""", PublicEventBusPolicyDetector.CheckUnreadablePolicy)]
    [InlineData("""{"eventBusName":"b","policy":42}""", PublicEventBusPolicyDetector.CheckUnreadablePolicy)]
    [InlineData("""{"eventBusName":"b","policy":"null"}""", null)]
    [InlineData("""{"eventBusName":"b","principal":"null","statementId":"x"}""", null)]
    [InlineData("""{"eventBusName":7,"principal":["*"],"condition":"odd"}""", null)]
    [InlineData("""{"principal":"*","condition":{"type":5}}""", PublicEventBusPolicyDetector.CheckPublicStatement)]
    [InlineData("""null""", null)]
    [InlineData("""[]""", null)]
    public async Task Odd_requests_never_throw(string requestParameters, string? expectedCheck)
    {
        var ev = DetectorHarness.Parse($$"""
            {"eventSource":"events.amazonaws.com","eventName":"PutPermission","awsRegion":"-","recipientAccountId":"XXXX","requestParameters":{{requestParameters}}}
            """);

        var findings = await DetectorHarness.DetectAsync(Descriptor, ev);

        Assert.Equal(expectedCheck, findings.SingleOrDefault()?.Check);
    }

    [Fact]
    public async Task Simple_form_without_statement_id_is_found_but_not_reverted_blindly()
    {
        var ev = DetectorHarness.Parse("""
            {"eventSource":"events.amazonaws.com","eventName":"PutPermission","requestParameters":{"eventBusName":"b","principal":"*"}}
            """);

        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, ev));

        Assert.Equal("b", finding.Resource); // no region or account to build an ARN from
        Assert.Empty(finding.RevertSteps);
    }

    [Theory]
    [InlineData("lambda.amazonaws.com", "PutPermission", null)]
    [InlineData("events.amazonaws.com", "PutRule", null)]
    [InlineData("events.amazonaws.com", "PutPermission", "AccessDeniedException")]
    public async Task Other_sources_names_and_failed_calls_are_ignored(string source, string name, string? errorCode)
    {
        var error = errorCode is null ? string.Empty : $",\"errorCode\":\"{errorCode}\"";
        var ev = DetectorHarness.Parse($$"""
            {"eventSource":"{{source}}","eventName":"{{name}}","requestParameters":{"principal":"*","statementId":"x"}{{error}}}
            """);

        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, ev));
    }

    [Fact]
    public void Options_default_to_no_organization_and_no_trusted_accounts()
    {
        var options = Assert.IsType<PublicEventBusPolicyOptions>(DetectorHarness.Bind(Descriptor));

        Assert.Null(options.OrganizationId);
        Assert.Empty(options.TrustedAccounts);
    }

    [Theory]
    [InlineData("organizationId", "o-short", "organizationId")]
    [InlineData("organizationId", "O-ABCDEFGHIJ", "organizationId")]
    [InlineData("trustedAccounts", "12345", "trustedAccounts")]
    public void Bad_option_values_are_rejected_with_the_option_named(string name, string value, string expectedInMessage)
    {
        object boxed = name == "trustedAccounts" ? new List<string> { value } : value;

        var error = Assert.Throws<ArgumentException>(() => DetectorHarness.Bind(Descriptor, (name, boxed)));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registered_under_its_name_and_concern()
    {
        var registry = new Remediator.Core.Registry.ElementRegistry().AddEventBusDetectors();

        Assert.True(registry.TryGetDetector("public-event-bus-policy", out var descriptor));
        Assert.Equal(Concerns.PublicEventBus, descriptor.Concern);
        Assert.Equal(["organizationId", "trustedAccounts"], descriptor.Options.Select(o => o.Name));
    }

    private sealed class FixedPolicyPort(string? policy) : IEventBusStatePort
    {
        public string? AskedFor { get; private set; }

        public ValueTask<EventBusPolicyState?> GetPolicyAsync(string eventBusNameOrArn, CancellationToken cancellationToken)
        {
            AskedFor = eventBusNameOrArn;
            return ValueTask.FromResult<EventBusPolicyState?>(new EventBusPolicyState(policy));
        }
    }
}
