using Remediator.Core;
using Remediator.Detectors.Iam;
using static Remediator.Detectors.Tests.Iam.IamTestSupport;

namespace Remediator.Detectors.Tests.Iam;

/// <summary>The checks on identity-based policies, each positive and negative, through PutRolePolicy.</summary>
public sealed class PermissionsChecksTests
{
    [Theory]
    [InlineData("\"*\"")]
    [InlineData("\"*:*\"")]
    [InlineData("[\"s3:GetObject\",\"*\"]")]
    public void Admin_wildcard_on_every_resource_is_reported_at_the_rule_severity(string action)
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy($$"""{"Effect":"Allow","Action":{{action}},"Resource":"*"}"""))));
        Assert.Equal(IamChecks.AdminWildcard, finding.Check);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(Concerns.IamBroadPermissions, finding.Concern);
        Assert.Equal(RuleId, finding.Rule);
    }

    [Fact]
    public void Admin_wildcard_on_named_resources_is_reported_one_step_lower()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket/*"}"""))));
        Assert.Equal(IamChecks.AdminWildcard, finding.Check);
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Theory]
    [InlineData("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}""")]
    [InlineData("""{"Effect":"Deny","Action":"*","Resource":"*"}""")]
    [InlineData("""{"Effect":"Allow","Action":["ec2:Describe*","s3:List*"],"Resource":"*"}""")]
    [InlineData("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app-*"}""")]
    [InlineData("""{"Effect":"Allow","Action":"lambda:CreateFunction","Resource":"*"}""")]
    public void Narrow_or_denying_statements_are_not_reported(string statement) =>
        Assert.Empty(Detect(PutRolePolicy(Policy(statement))));

    [Fact]
    public void A_condition_lowers_the_severity_one_step_but_does_not_hide_the_finding()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy(
            """{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"""))));
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Fact]
    public void Lowering_stops_at_low()
    {
        var finding = Assert.Single(Detect(
            PutRolePolicy(Policy("""{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}""")),
            severity: Severity.Low));
        Assert.Equal(Severity.Low, finding.Severity);
    }

    [Theory]
    [InlineData("s3:*")]
    [InlineData("S3:*")]
    [InlineData("dynamodb:**")]
    public void Service_wildcard_is_reported(string action)
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy($$"""{"Effect":"Allow","Action":"{{action}}","Resource":"arn:aws:s3:::bucket"}"""))));
        Assert.Equal(IamChecks.ServiceWildcard, finding.Check);
        Assert.Contains(finding.Evidence, line => line.Contains(action, StringComparison.Ordinal));
    }

    [Fact]
    public void Allowed_service_wildcards_are_accepted_case_insensitively()
    {
        var options = Options(("allowedServiceWildcards", new[] { "logs" }));
        Assert.Empty(Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":["logs:*","LOGS:*"],"Resource":"*"}""")), options));
        Assert.Single(Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":["logs:*","sqs:*"],"Resource":"*"}""")), options));
    }

    [Fact]
    public void Not_action_not_resource_are_reported_as_their_own_checks()
    {
        var findings = Detect(PutRolePolicy(Policy("""
            {"Effect":"Allow","NotAction":["iam:*","sts:*","lambda:*"],"Resource":"arn:aws:s3:::bucket/*"},
            {"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}
            """)));
        Assert.Equal([IamChecks.NotAction, IamChecks.NotResource], Checks(findings));
    }

    [Fact]
    public void Not_action_on_every_resource_leaves_escalation_actions_allowed()
    {
        var findings = Detect(PutRolePolicy(Policy("""{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}""")));
        Assert.Equal([IamChecks.NotAction, IamChecks.PrivilegeEscalation], Checks(findings));
        Assert.Contains(findings[1].Evidence, line => line.Contains("iam:PassRole", StringComparison.Ordinal));
    }

    [Fact]
    public void Deny_with_not_action_is_not_reported()
    {
        Assert.Empty(Detect(PutRolePolicy(Policy("""{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}"""))));
    }

    [Theory]
    [InlineData("iam:PassRole")]
    [InlineData("IAM:passrole")]
    [InlineData("iam:Put*")]
    [InlineData("iam:*Policy*")]
    [InlineData("iam:Attach?olePolicy")]
    [InlineData("sts:AssumeRole")]
    [InlineData("lambda:UpdateFunctionCode")]
    [InlineData("iam:DeleteUserPermissionsBoundary")]
    public void Escalation_actions_and_patterns_on_every_resource_are_reported(string action)
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy($$"""{"Sid":"Esc","Effect":"Allow","Action":"{{action}}","Resource":"*"}"""))));
        Assert.Equal(IamChecks.PrivilegeEscalation, finding.Check);
        Assert.Contains(finding.Evidence, line => line.StartsWith("statement #1 (Sid 'Esc'): {", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, line => line == "matched: Action " + action);
    }

    [Fact]
    public void Service_wildcard_on_iam_is_both_a_service_wildcard_and_an_escalation()
    {
        var findings = Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":"i?m:*","Resource":"*"}""")));
        Assert.Equal([IamChecks.ServiceWildcard, IamChecks.PrivilegeEscalation], Checks(findings));
    }

    [Fact]
    public void Combinations_across_statements_are_named_in_the_evidence()
    {
        var findings = Detect(PutRolePolicy(Policy("""
            {"Sid":"Pass","Effect":"Allow","Action":"iam:PassRole","Resource":"*"},
            {"Sid":"Run","Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}
            """)));
        // Both statements take part in the escalation, so both are reported, each naming the combination.
        Assert.Equal([IamChecks.PrivilegeEscalation, IamChecks.PrivilegeEscalation], Checks(findings));
        Assert.All(findings, finding =>
            Assert.Contains(finding.Evidence, line => line.StartsWith("combination: iam:PassRole + ec2:RunInstances", StringComparison.Ordinal)));
        Assert.Contains("ec2:RunInstances", findings[1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_granting_everything_counts_the_combinations_instead_of_listing_them()
    {
        var options = Options(("checks", new[] { "privilege-escalation" }));
        var finding = Assert.Single(Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":"*","Resource":"*"}""")), options));
        Assert.DoesNotContain(finding.Evidence, line => line.StartsWith("combination: ", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, line => line.StartsWith("combinations: the document also grants ", StringComparison.Ordinal));
    }

    [Fact]
    public void Admin_wildcard_subsumes_service_wildcard_and_escalation_for_the_same_statement()
    {
        var findings = Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":["*","iam:*"],"Resource":"*"}""")));
        Assert.Equal([IamChecks.AdminWildcard], Checks(findings));
    }

    [Fact]
    public void A_rule_that_picks_only_escalation_still_sees_it_under_an_admin_wildcard()
    {
        var options = Options(("checks", new[] { "privilege-escalation" }));
        var findings = Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":"*","Resource":"*"}""")), options);
        Assert.Equal([IamChecks.PrivilegeEscalation], Checks(findings));
    }

    [Fact]
    public void A_rule_that_picks_other_checks_reports_nothing_for_an_admin_wildcard()
    {
        var options = Options(("checks", new[] { "public-trust", "untrusted-account-trust" }));
        Assert.Empty(Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":"*","Resource":"*"}""")), options));
    }

    [Fact]
    public void Findings_come_one_per_check_and_statement_in_statement_then_check_order()
    {
        var policy = Policy("""
            {"Sid":"A","Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::x"},
            {"Sid":"B","Effect":"Allow","Action":"*","Resource":"*"},
            {"Sid":"C","Effect":"Allow","NotAction":"ec2:*","Resource":"arn:aws:s3:::y"}
            """);
        var findings = Detect(PutRolePolicy(policy));
        Assert.Equal(
            [IamChecks.ServiceWildcard, IamChecks.NotResource, IamChecks.AdminWildcard, IamChecks.NotAction],
            Checks(findings));
        Assert.Equal(Checks(findings), Checks(Detect(PutRolePolicy(policy))));
    }

    [Fact]
    public void Not_principal_with_allow_is_reported_in_any_policy()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy(
            """{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"""))));
        Assert.Equal(IamChecks.NotPrincipal, finding.Check);
    }
}
