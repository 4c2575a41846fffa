using Remediator.Core;
using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Ports;
using Remediator.Core.Rules;
using Remediator.Composition;
using Remediator.Composition.Planning;
using Remediator.Core.Registry;
using Remediator.Detectors.Iam;
using Remediator.Detectors.Tests.Iam.Corpus;

namespace Remediator.Detectors.Tests.Iam;

/// <summary>
/// One cause, one finding, across the SHIPPED IAM rules (rules/iam-*.yaml, as built into the binary): every rule whose
/// match names the event runs its own detector options on it, with the current state a guard would read (the managed
/// policy documents from moto's AWS managed-policy set). Ownership: attaching a named broad AWS-managed policy belongs
/// to iam-admin-managed-policy-attached; a document granting everything belongs to iam-admin-wildcard; escalation
/// belongs to iam-privilege-escalation only when the document does not already grant everything.
/// </summary>
public sealed class OneFindingPerCauseTests
{
    private static readonly Lazy<IReadOnlyList<Rule>> IamRules = new(() =>
        BuiltInRules.Load(new RuleLoader(BuiltInElements.CreateRegistry(), new EventPatternValidator())).Rules
            .Where(r => r.Detect.Options is IamBroadPolicyOptions)
            .ToList());

    [Theory]
    [InlineData("AdministratorAccess")]
    [InlineData("PowerUserAccess")]
    [InlineData("IAMFullAccess")]
    public void Attaching_a_named_broad_managed_policy_is_one_finding_of_the_managed_policy_rule(string name)
    {
        var arn = $"arn:aws:iam::aws:policy/{name}";
        var port = new FakeIamStatePort();
        port.DefaultVersions[arn] = new IamPolicyVersion(arn, "v1", IamCorpus.ManagedPolicies[name]);
        var e = IamTestSupport.Event("AttachRolePolicy", $$"""{"roleName":"app-role","policyArn":"{{arn}}"}""");

        var findings = DetectWithShippedRules(e, port);

        var finding = Assert.Single(findings);
        Assert.Equal("iam-admin-managed-policy-attached", finding.Rule);
        Assert.Equal(IamChecks.ManagedPolicy, finding.Check);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.NotEmpty(finding.RevertSteps);
    }

    [Fact]
    public void A_customer_managed_admin_policy_attached_is_still_judged_by_its_content()
    {
        // The exemption is for the three AWS-managed names only: the same content under another ARN is found.
        const string arn = "arn:aws:iam::111122223333:policy/my-admin";
        var port = new FakeIamStatePort();
        port.DefaultVersions[arn] = new IamPolicyVersion(arn, "v1", IamCorpus.ManagedPolicies["AdministratorAccess"]);
        var e = IamTestSupport.Event("AttachRolePolicy", $$"""{"roleName":"app-role","policyArn":"{{arn}}"}""");

        var finding = Assert.Single(DetectWithShippedRules(e, port));
        Assert.Equal("iam-admin-wildcard", finding.Rule);
    }

    [Fact]
    public void An_inline_admin_wildcard_is_one_finding_not_also_escalation_or_service_wildcard()
    {
        var e = IamTestSupport.PutRolePolicy(IamTestSupport.Policy("""{"Effect":"Allow","Action":["*","iam:*"],"Resource":"*"}"""));

        var finding = Assert.Single(DetectWithShippedRules(e, new FakeIamStatePort()));
        Assert.Equal("iam-admin-wildcard", finding.Rule);
        Assert.Equal(IamChecks.AdminWildcard, finding.Check);
    }

    [Fact]
    public void Severity_follows_reach_across_the_shipped_rules()
    {
        Severity Of(string statement) =>
            Assert.Single(DetectWithShippedRules(IamTestSupport.PutRolePolicy(IamTestSupport.Policy(statement)), new FakeIamStatePort())).Severity;

        var everything = Of("""{"Effect":"Allow","Action":"*","Resource":"*"}""");
        var iamWrite = Of("""{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"*"}""");
        var compute = Of("""{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}""");
        var readOnly = Of("""{"Effect":"Allow","Action":"pricing:*","Resource":"*"}""");

        Assert.True(everything > iamWrite, $"{everything} > {iamWrite}");
        Assert.True(iamWrite > compute, $"{iamWrite} > {compute}");
        Assert.True(compute > readOnly, $"{compute} > {readOnly}");
        Assert.Equal(Severity.Low, readOnly);
    }

    [Theory]
    [InlineData("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"cloudtrail.amazonaws.com"}}}""")]
    [InlineData("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}""")]
    [InlineData("""{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"platform"}}}""")]
    public void A_low_confidence_verdict_is_reported_and_never_planned_for_deletion(string statement)
    {
        var e = IamTestSupport.PutRolePolicy(IamTestSupport.Policy(statement));
        var port = new FakeIamStatePort();

        var finding = Assert.Single(DetectWithShippedRules(e, port));

        Assert.Equal("iam-privilege-escalation", finding.Rule);
        Assert.True(finding.Severity < Severity.High, finding.Severity.ToString());
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line.StartsWith("no revert", StringComparison.Ordinal));
    }

    public static TheoryData<string> IamFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var directory in new[] { "cloudtrail/iam", "synthetic/iam" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", directory), "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(directory + "/" + Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IamFixtures))]
    public void Every_recorded_and_synthetic_iam_event_gives_at_most_one_finding_per_cause(string fixture)
    {
        var e = IamTestSupport.Fixture(fixture);
        var port = new FakeIamStatePort();
        foreach (var (name, document) in IamCorpus.ManagedPolicies)
        {
            var arn = $"arn:aws:iam::aws:policy/{name}";
            port.DefaultVersions[arn] = new IamPolicyVersion(arn, "v1", document);
        }

        var findings = DetectWithShippedRules(e, port);
        var checks = findings.Select(f => f.Check).ToList();

        // Each check belongs to one rule: a check twice would be one cause reported by two rules.
        Assert.Equal(checks.Count, checks.Distinct(StringComparer.Ordinal).Count());
        if (checks.Contains(IamChecks.ManagedPolicy))
        {
            Assert.Single(checks);
        }

        if (checks.Contains(IamChecks.AdminWildcard))
        {
            Assert.DoesNotContain(IamChecks.PrivilegeEscalation, checks);
            Assert.DoesNotContain(IamChecks.ServiceWildcard, checks);
        }
    }

    [Fact]
    public void A_passrole_notice_left_when_a_deny_removes_every_path_plans_only_tag_and_notify()
    {
        // Attacker/regression: the Deny takes the only compute action away, so what is left is the low PassRole notice.
        // The rule's revert has nothing to undo on a notice, and its fallback must not contain the role instead.
        var e = IamTestSupport.PutRolePolicy(IamTestSupport.Policy(
            """{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},"""
            + """{"Effect":"Deny","Action":"lambda:CreateFunction","Resource":"*"}"""));
        var rule = IamRules.Value.Single(r => r.Id == "iam-privilege-escalation") with { Mode = RuleMode.Enforce };

        var finding = Assert.Single(DetectWithShippedRules(e, new FakeIamStatePort()));
        var plan = new RemediationPlanner().Plan(rule, finding, e, notifyOnly: false);

        Assert.Equal(("iam-privilege-escalation", Severity.Low), (finding.Rule, finding.Severity));
        Assert.True(finding.IsNotice);
        Assert.Empty(finding.RevertSteps);
        Assert.DoesNotContain(plan, step => step.Action is ActionNames.Revert or ActionNames.Quarantine);
        Assert.Contains(plan, step => step.Action == ActionNames.Notify);
    }

    [Fact]
    public void A_notice_is_not_contained_even_by_a_rule_that_asks_for_quarantine()
    {
        var e = IamTestSupport.PutRolePolicy(IamTestSupport.Policy("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"""));
        var registry = BuiltInElements.CreateRegistry();
        var shipped = IamRules.Value.Single(r => r.Id == "iam-privilege-escalation");
        Assert.True(registry.TryGetAction(ActionNames.Quarantine, out var quarantine));
        var rule = shipped with
        {
            Mode = RuleMode.Enforce,
            Remediate = [new ActionUse(quarantine, quarantine.BindOptions(OptionValues.Defaults(quarantine.Options))), .. shipped.Remediate],
        };

        var finding = Assert.Single(DetectWithShippedRules(e, new FakeIamStatePort()));
        var plan = new RemediationPlanner().Plan(rule, finding, e, notifyOnly: false);

        Assert.True(finding.IsNotice);
        Assert.DoesNotContain(plan, step => step.Action is ActionNames.Revert or ActionNames.Quarantine);
    }

    [Fact]
    public void A_certain_escalation_is_not_a_notice_and_keeps_its_revert()
    {
        var e = IamTestSupport.PutRolePolicy(IamTestSupport.Policy("""{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}"""));
        var rule = IamRules.Value.Single(r => r.Id == "iam-privilege-escalation") with { Mode = RuleMode.Enforce };

        var finding = Assert.Single(DetectWithShippedRules(e, new FakeIamStatePort()));
        var plan = new RemediationPlanner().Plan(rule, finding, e, notifyOnly: false);

        Assert.False(finding.IsNotice);
        Assert.Contains(plan, step => step.Action == ActionNames.Revert);
    }

    private static List<Finding> DetectWithShippedRules(CloudTrailEvent e, IIamStatePort port)
    {
        var findings = new List<Finding>();
        foreach (var rule in IamRules.Value.Where(r => Matches(r, e)))
        {
            var context = new DetectionContext(e, rule.Id, rule.Severity, rule.Detect.Options, IamTestSupport.Ports(port));
            findings.AddRange(new IamBroadPolicyDetector().DetectAsync(context, CancellationToken.None).AsTask().GetAwaiter().GetResult());
        }

        return findings;
    }

    /// <summary>The rule's match names the event (every shipped IAM rule matches on eventSource and eventName).</summary>
    private static bool Matches(Rule rule, CloudTrailEvent e) =>
        rule.Match.GetProperty("detail").GetProperty("eventName").EnumerateArray().Any(n => n.GetString() == e.EventName);
}
