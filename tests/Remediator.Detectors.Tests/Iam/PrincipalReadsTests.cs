using Remediator.Core;
using Remediator.Core.Ports;
using Remediator.Detectors.Iam;
using static Remediator.Detectors.Tests.Iam.IamTestSupport;

namespace Remediator.Detectors.Tests.Iam;

/// <summary>Groups judged as a whole, and trust-policy changes whose document CloudTrail left out.</summary>
public sealed class PrincipalReadsTests
{
    private const string PublicTrust = """{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}""";
    private static readonly IamBroadPolicyOptions PublicTrustOnly = Options(("checks", new[] { "public-trust" }));
    private static readonly IamBroadPolicyOptions CrossAccountOnly = Options(("checks", new[] { "untrusted-account-trust" }));

    [Fact]
    public void A_group_change_is_judged_with_the_groups_other_policies_and_says_members_inherit_it()
    {
        var port = new FakeIamStatePort();
        port.Principals[(IamPrincipalKind.Group, "devs")] = new IamPrincipalPolicies(["pass"], [], []);
        port.InlinePolicies[(IamPrincipalKind.Group, "devs", "pass")] =
            Policy("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/*"}""");
        var compute = Policy("""{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}""");
        var e = Event("PutGroupPolicy", $$"""{"groupName":"devs","policyName":"compute","policyDocument":{{Quote(compute)}}}""");

        var finding = Assert.Single(Detect(e, Options(("checks", new[] { "privilege-escalation" })), port));

        Assert.Equal("arn:aws:iam::111122223333:group/devs", finding.Resource);
        Assert.Contains(finding.Evidence, l => l.Contains("inline policy 'pass' of group 'devs'", StringComparison.Ordinal));
        Assert.Contains("per principal: every member of group 'devs' inherits these permissions", finding.Evidence);
    }

    [Fact]
    public void A_trust_change_without_its_document_is_read_from_the_role_and_judged()
    {
        var port = new FakeIamStatePort();
        port.TrustPolicies["app-role"] = Policy(PublicTrust);

        var finding = Assert.Single(Detect(Event("UpdateAssumeRolePolicy", """{"roleName":"app-role"}"""), PublicTrustOnly, port));

        Assert.Equal(IamChecks.PublicTrust, finding.Check);
        Assert.Contains("judged: the trust policy as read now (GetRole; the event does not carry it)", finding.Evidence);
        Assert.Contains("GetAssumeRolePolicy app-role", port.Calls);
    }

    [Fact]
    public void A_trust_change_with_its_document_is_not_read_back()
    {
        var port = new FakeIamStatePort();
        port.TrustPolicies["app-role"] = Policy("""{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}""");

        Assert.Single(Detect(UpdateAssumeRolePolicy(Policy(PublicTrust)), PublicTrustOnly, port));
        Assert.DoesNotContain(port.Calls, c => c.StartsWith("GetAssumeRolePolicy", StringComparison.Ordinal));
    }

    [Fact]
    public void A_clean_trust_read_back_gives_no_finding()
    {
        var port = new FakeIamStatePort();
        port.TrustPolicies["app-role"] = Policy("""{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}""");

        Assert.Empty(Detect(Event("UpdateAssumeRolePolicy", """{"roleName":"app-role"}"""), PublicTrustOnly, port));
    }

    [Fact]
    public void Offline_a_trust_change_without_its_document_is_not_judged_never_clean_and_reported_once()
    {
        var e = Event("UpdateAssumeRolePolicy", """{"roleName":"app-role"}""");

        var finding = Assert.Single(Detect(e, PublicTrustOnly));

        Assert.Equal(IamChecks.UnparseableDocument, finding.Check);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains("not judged: document not in the event", finding.Evidence);
        // The cross-account rule matches the same event: it leaves the report to the public-trust rule (one cause, one finding).
        Assert.Empty(Detect(e, CrossAccountOnly));
    }

    [Fact]
    public void A_new_role_whose_trust_is_missing_from_the_event_is_read_back_or_reported_not_judged()
    {
        var e = Event("CreateRole", """{"roleName":"app-role"}""", """{"role":{"roleName":"app-role","arn":"arn:aws:iam::111122223333:role/app-role"}}""");
        var port = new FakeIamStatePort();
        port.TrustPolicies["app-role"] = Policy(PublicTrust);

        Assert.Equal(IamChecks.PublicTrust, Assert.Single(Detect(e, PublicTrustOnly, port)).Check);
        Assert.Equal(IamChecks.UnparseableDocument, Assert.Single(Detect(e, PublicTrustOnly)).Check);
    }
}
