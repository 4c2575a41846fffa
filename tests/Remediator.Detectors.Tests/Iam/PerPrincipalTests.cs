using Remediator.Core;
using Remediator.Core.Ports;
using Remediator.Detectors.Iam;
using static Remediator.Detectors.Tests.Iam.IamTestSupport;

namespace Remediator.Detectors.Tests.Iam;

/// <summary>Escalation judged on a principal's whole permission set, and documents missing from the event.</summary>
public sealed class PerPrincipalTests
{
    private const string PassRole = """{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/*"}""";
    private const string CreateAndInvoke = """{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}""";
    private static readonly IamBroadPolicyOptions EscalationOnly = Options(("checks", new[] { "privilege-escalation" }));

    [Fact]
    public void An_escalation_split_across_two_inline_policies_of_one_role_is_found_naming_both()
    {
        var port = new FakeIamStatePort();
        port.Principals[(IamPrincipalKind.Role, "app-role")] = new IamPrincipalPolicies(["pass", "compute"], [], []);
        port.InlinePolicies[(IamPrincipalKind.Role, "app-role", "pass")] = Policy(PassRole);
        var finding = Assert.Single(Detect(PutRolePolicy(Policy(CreateAndInvoke), policyName: "compute"), EscalationOnly, port));
        Assert.Contains(finding.Evidence, l => l.StartsWith("path lambda-001: ", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, l => l.StartsWith("these documents together make the path(s): ", StringComparison.Ordinal)
            && l.Contains("inline policy 'pass' of role 'app-role'", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, l => l == "per principal: judged with 1 other document(s) of role 'app-role' (2 IAM read(s))");
        // The changed policy itself is not read back: it is judged from the event.
        Assert.DoesNotContain(port.Calls, c => c == "GetInlinePolicy Role app-role compute");
    }

    [Fact]
    public void A_users_group_policy_completes_the_path_of_the_users_own_policy()
    {
        var port = new FakeIamStatePort();
        port.Principals[(IamPrincipalKind.User, "alice")] = new IamPrincipalPolicies(["own"], [], ["devs"]);
        port.Principals[(IamPrincipalKind.Group, "devs")] = new IamPrincipalPolicies([], ["arn:aws:iam::111122223333:policy/pass"], []);
        port.DefaultVersions["arn:aws:iam::111122223333:policy/pass"] = new IamPolicyVersion("arn:aws:iam::111122223333:policy/pass", "v1", Policy(PassRole));
        var e = Event("PutUserPolicy", $$"""{"userName":"alice","policyName":"own","policyDocument":{{Quote(Policy(CreateAndInvoke))}}}""");
        var finding = Assert.Single(Detect(e, EscalationOnly, port));
        Assert.Contains(finding.Evidence, l => l.Contains("managed policy arn:aws:iam::111122223333:policy/pass (v1) attached to group 'devs'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_path_made_only_by_the_other_policies_is_not_blamed_on_this_change()
    {
        var port = new FakeIamStatePort();
        port.Principals[(IamPrincipalKind.Role, "app-role")] = new IamPrincipalPolicies(["old"], [], []);
        port.InlinePolicies[(IamPrincipalKind.Role, "app-role", "old")] = Policy("""{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*"}""");
        Assert.Empty(Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}""")), EscalationOnly, port));
    }

    [Fact]
    public void Offline_the_change_is_judged_alone_and_the_evidence_says_what_could_not_be_read()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy(PassRole + "," + CreateAndInvoke)), EscalationOnly));
        Assert.Contains(finding.Evidence, l => l.StartsWith("per principal: could not read the other policies of role 'app-role'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_change_without_its_document_is_read_from_current_state()
    {
        var port = new FakeIamStatePort();
        port.InlinePolicies[(IamPrincipalKind.Role, "app-role", "inline")] = Policy("""{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"*"}""");
        var finding = Assert.Single(Detect(Event("PutRolePolicy", """{"roleName":"app-role","policyName":"inline"}"""), EscalationOnly, port));
        Assert.Equal(IamChecks.PrivilegeEscalation, finding.Check);
        Assert.Contains(finding.Evidence, l => l == "judged: the document as read now (the event does not carry it)");
    }

    [Fact]
    public void Offline_a_policy_change_without_its_document_is_reported_as_not_judged_never_clean()
    {
        var finding = Assert.Single(Detect(Event("PutRolePolicy", """{"roleName":"app-role","policyName":"inline"}""")));
        Assert.Equal(IamChecks.UnparseableDocument, finding.Check);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, l => l == "not judged: document not in the event");
    }

    [Fact]
    public void Trust_in_another_account_is_a_finding_by_default_and_trusted_accounts_are_accepted()
    {
        var trust = Policy("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"}""");
        var finding = Assert.Single(Detect(UpdateAssumeRolePolicy(trust), Options(("checks", new[] { "untrusted-account-trust" }))));
        Assert.Equal(IamChecks.UntrustedAccountTrust, finding.Check);
        Assert.Empty(Detect(UpdateAssumeRolePolicy(trust), Options(("checks", new[] { "untrusted-account-trust" }), ("trustedAccounts", new[] { "999988887777" }))));
    }
}
