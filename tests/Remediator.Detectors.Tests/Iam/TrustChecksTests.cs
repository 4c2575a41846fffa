using Remediator.Core;
using Remediator.Detectors.Iam;
using static Remediator.Detectors.Tests.Iam.IamTestSupport;

namespace Remediator.Detectors.Tests.Iam;

/// <summary>The checks on trust policies, through UpdateAssumeRolePolicy in account 111122223333.</summary>
public sealed class TrustChecksTests
{
    private const string Other = "444455556666";

    private static string Trust(string principal, string condition = "") =>
        Policy($$"""{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"{{(condition.Length > 0 ? ",\"Condition\":" + condition : "")}}}""");

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("{\"AWS\":\"*\"}")]
    [InlineData("{\"AWS\":[\"*\"]}")]
    [InlineData("{\"AWS\":\"arn:aws:iam::*:root\"}")]
    [InlineData("{\"AWS\":[\"arn:aws:iam::111122223333:root\",\"*\"]}")]
    public void Anyone_as_principal_is_public_trust(string principal)
    {
        var finding = Assert.Single(Detect(UpdateAssumeRolePolicy(Trust(principal))));
        Assert.Equal(IamChecks.PublicTrust, finding.Check);
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Theory]
    [InlineData("{\"Service\":\"lambda.amazonaws.com\"}")]
    [InlineData("{\"Service\":[\"ec2.amazonaws.com\",\"ecs-tasks.amazonaws.com\"]}")]
    [InlineData("{\"Federated\":\"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\"}")]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:role/admin\"}")]
    [InlineData("{\"AWS\":\"111122223333\"}")]
    public void Service_federated_and_own_account_principals_are_not_findings(string principal) =>
        Assert.Empty(Detect(UpdateAssumeRolePolicy(Trust(principal))));

    [Fact]
    public void External_id_does_not_protect_a_public_trust_and_does_not_lower_it()
    {
        var finding = Assert.Single(Detect(UpdateAssumeRolePolicy(Trust("\"*\"", """{"StringEquals":{"sts:ExternalId":"12345"}}"""))));
        Assert.Equal(IamChecks.PublicTrust, finding.Check);
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Fact]
    public void Principal_org_id_of_the_configured_organization_makes_a_public_trust_acceptable()
    {
        var options = Options(("organizationId", "o-abcdef1234"));
        Assert.Empty(Detect(UpdateAssumeRolePolicy(Trust("{\"AWS\":\"*\"}", """{"StringEquals":{"aws:PrincipalOrgID":"o-abcdef1234"}}""")), options));

        var other = Assert.Single(Detect(UpdateAssumeRolePolicy(Trust("{\"AWS\":\"*\"}", """{"StringEquals":{"aws:PrincipalOrgID":"o-zzzzzz9999"}}""")), options));
        Assert.Equal(Severity.Medium, other.Severity);

        // Without a configured organization the id cannot be checked: reported, lowered.
        Assert.Single(Detect(UpdateAssumeRolePolicy(Trust("{\"AWS\":\"*\"}", """{"StringEquals":{"aws:PrincipalOrgID":"o-abcdef1234"}}"""))));
    }

    [Fact]
    public void Principal_account_among_trusted_accounts_makes_a_public_trust_acceptable()
    {
        var options = Options(("trustedAccounts", new[] { Other }));
        Assert.Empty(Detect(UpdateAssumeRolePolicy(Trust("\"*\"", $$$"""{"StringEquals":{"aws:PrincipalAccount":["{{{Other}}}","111122223333"]}}""")), options));
        Assert.Single(Detect(UpdateAssumeRolePolicy(Trust("\"*\"", """{"StringEquals":{"aws:PrincipalAccount":["999999999999"]}}""")), options));
    }

    [Fact]
    public void If_exists_and_negated_operators_do_not_pin_callers()
    {
        var options = Options(("organizationId", "o-abcdef1234"));
        var findings = Detect(UpdateAssumeRolePolicy(Trust("\"*\"", """{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-abcdef1234"}}""")), options);
        Assert.Equal(IamChecks.PublicTrust, Assert.Single(findings).Check);
    }

    [Fact]
    public void Another_account_not_trusted_is_untrusted_account_trust()
    {
        var finding = Assert.Single(Detect(UpdateAssumeRolePolicy(Trust($$"""{"AWS":"arn:aws:iam::{{Other}}:root"}"""))));
        Assert.Equal(IamChecks.UntrustedAccountTrust, finding.Check);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains(Other, finding.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"StringEquals":{"sts:ExternalId":"a-shared-secret"}}""")]
    [InlineData("""{"StringEquals":{"aws:PrincipalOrgID":"o-abcdef1234"}}""")]
    public void External_id_or_organization_pins_a_cross_account_trust(string condition)
    {
        var options = Options(("organizationId", "o-abcdef1234"));
        Assert.Empty(Detect(UpdateAssumeRolePolicy(Trust($$"""{"AWS":"{{Other}}"}""", condition)), options));
    }

    [Fact]
    public void A_trusted_account_is_accepted()
    {
        var options = Options(("trustedAccounts", new[] { Other }));
        Assert.Empty(Detect(UpdateAssumeRolePolicy(Trust($$"""{"AWS":"arn:aws:iam::{{Other}}:role/ci"}""")), options));
    }

    [Fact]
    public void An_unrelated_condition_lowers_an_untrusted_account_trust()
    {
        var finding = Assert.Single(Detect(UpdateAssumeRolePolicy(Trust($$"""{"AWS":"{{Other}}"}""", """{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"""))));
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Fact]
    public void Not_principal_with_allow_in_a_trust_policy_is_reported()
    {
        var findings = Detect(UpdateAssumeRolePolicy(Policy("""{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}""")));
        Assert.Equal([IamChecks.NotPrincipal], Checks(findings));
    }

    [Fact]
    public void Deny_statements_in_trust_policies_are_not_findings() =>
        Assert.Empty(Detect(UpdateAssumeRolePolicy(Policy("""{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}"""))));

    [Fact]
    public void A_rule_may_pick_only_public_trust()
    {
        var options = Options(("checks", new[] { "public-trust" }));
        Assert.Empty(Detect(UpdateAssumeRolePolicy(Trust($$"""{"AWS":"{{Other}}"}""")), options));
        Assert.Single(Detect(UpdateAssumeRolePolicy(Trust("\"*\"")), options));
    }
}
