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
    public void A_narrowing_condition_lowers_the_severity_one_step_and_plans_no_revert()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy(
            """{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"""))));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line == "condition narrows the grant: IpAddress aws:SourceIp");
    }

    [Theory]
    [InlineData("""{"Bool":{"aws:SecureTransport":"true"}}""")]
    [InlineData("""{"Bool":{"aws:MultiFactorAuthPresent":"true"}}""")]
    [InlineData("""{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}""")]
    public void A_condition_that_restricts_no_attacker_keeps_the_full_severity(string condition)
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy(
            $$"""{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{condition}}}"""))));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.NotEmpty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line.StartsWith("condition restricts no attacker: ", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_condition_key_is_reported_as_unknown_lowered_and_not_reverted()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy(
            """{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"example:Made-Up":"x"}}}"""))));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line == "condition not judged (unknown key or operator): StringEquals example:Made-Up");
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
        Assert.Contains(findings[1].Evidence, line => line.Contains("iam:AttachUserPolicy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("iam:AttachUserPolicy", "*", "iam-008")]
    [InlineData("IAM:attachuserpolicy", "*", "iam-008")]
    [InlineData("iam:Put*", "*", "iam-007")]
    [InlineData("iam:*Policy*", "*", "iam-008")]
    [InlineData("iam:Attach?olePolicy", "*", "iam-009")]
    [InlineData("sts:AssumeRole", "*", "sts-001")]
    [InlineData("lambda:UpdateFunctionCode", "*", "lambda-003")]
    [InlineData("iam:DeleteUserPermissionsBoundary", "*", "iam-026")]
    [InlineData("iam:DeleteRolePermissionsBoundary", "*", "iam-024")]
    [InlineData("iam:PutRolePermissionsBoundary", "*", "iam-023")]
    [InlineData("ssm:SendCommand", "*", "ssm-002")]
    [InlineData("ssm:StartSession", "*", "ssm-001")]
    [InlineData("codebuild:StartBuild", "*", "codebuild-002")]
    [InlineData("glue:UpdateDevEndpoint", "*", "glue-002")]
    [InlineData("ecs:ExecuteCommand", "*", "ecs-006")]
    [InlineData("apprunner:UpdateService", "*", "apprunner-002")]
    [InlineData("cloudformation:UpdateStack", "*", "cloudformation-002")]
    [InlineData("ec2-instance-connect:SendSSHPublicKey", "*", "ec2instanceconnect-003")]
    [InlineData("sagemaker:CreatePresignedNotebookInstanceUrl", "*", "sagemaker-004")]
    // Resources written as ARN patterns that cover every resource of the action's type are "every resource".
    [InlineData("iam:AttachUserPolicy", "arn:aws:iam::*:user/*", "iam-008")]
    [InlineData("iam:CreatePolicyVersion", "arn:aws:iam::111122223333:policy/*", "iam-001")]
    [InlineData("iam:PutUserPolicy", "arn:*:iam::*:user/*", "iam-007")]
    [InlineData("lambda:UpdateFunctionCode", "arn:aws:lambda:*:*:function:*", "lambda-003")]
    public void Escalation_paths_are_found_on_every_resource_however_it_is_written(string action, string resource, string pathId)
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy($$"""{"Sid":"Esc","Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}"""))));
        Assert.Equal(IamChecks.PrivilegeEscalation, finding.Check);
        Assert.Contains(finding.Evidence, line => line.StartsWith($"path {pathId}: ", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, line => line.Contains("inline policy 'inline' of role 'app-role', statement #1 (Sid 'Esc'): {", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("iam:AttachUserPolicy", "arn:aws:iam::111122223333:user/alice")]
    [InlineData("iam:AttachUserPolicy", "arn:aws:iam::*:user/team/*")]
    [InlineData("iam:AttachUserPolicy", "arn:aws:iam::*:role/*")]
    [InlineData("iam:PassRole", "arn:aws:iam::*:role/lambda-exec")]
    [InlineData("lambda:UpdateFunctionCode", "arn:aws:lambda:*:*:function:my-fn")]
    public void A_target_action_on_named_resources_or_another_type_is_not_an_escalation(string action, string resource) =>
        Assert.Empty(Detect(PutRolePolicy(Policy($$"""{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}"""))));

    [Fact]
    public void Service_wildcard_on_iam_is_both_a_service_wildcard_and_an_escalation()
    {
        var findings = Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":"i?m:*","Resource":"*"}""")));
        Assert.Equal([IamChecks.ServiceWildcard, IamChecks.PrivilegeEscalation], Checks(findings));
    }

    [Fact]
    public void A_path_split_across_statements_is_one_finding_naming_both_statements()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy("""
            {"Sid":"Pass","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*"},
            {"Sid":"Run","Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}
            """))));
        Assert.Equal(IamChecks.PrivilegeEscalation, finding.Check);
        Assert.Contains(finding.Evidence, line => line.StartsWith("path ec2-001: iam:PassRole (to ec2.amazonaws.com) + ec2:RunInstances", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, line => line.Contains("statement #1 (Sid 'Pass')", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, line => line.Contains("statement #2 (Sid 'Run')", StringComparison.Ordinal));
        // Borrowing a role through compute is one step below IAM write on everything.
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Theory]
    [InlineData("""{"Effect":"Deny","Action":"iam:AttachUserPolicy","Resource":"*"}""")]
    [InlineData("""{"Effect":"Deny","Action":"iam:*","Resource":"*"}""")]
    [InlineData("""{"Effect":"Deny","Action":"*","Resource":"*"}""")]
    [InlineData("""{"Effect":"Deny","Action":"iam:Attach*","Resource":"arn:aws:iam::*:user/*"}""")]
    public void An_explicit_deny_takes_the_escalation_away(string deny) =>
        Assert.Empty(Detect(PutRolePolicy(Policy($$"""{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*"},{{deny}}"""))));

    [Fact]
    public void A_conditional_deny_does_not_take_the_escalation_away()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy("""
            {"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*"},
            {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}
            """))));
        Assert.Equal(IamChecks.PrivilegeEscalation, finding.Check);
    }

    [Theory]
    [InlineData("cloudtrail.amazonaws.com")]
    [InlineData("application-autoscaling.amazonaws.com")]
    public void PassRole_limited_to_services_that_run_no_caller_code_is_a_low_notice_without_revert(string service)
    {
        var passRole = """{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"SERVICE"}}}"""
            .Replace("SERVICE", service, StringComparison.Ordinal);
        var finding = Assert.Single(Detect(PutRolePolicy(Policy(passRole + ""","""
            + """{"Effect":"Allow","Action":["ec2:RunInstances","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}"""))));
        Assert.Equal(IamChecks.PrivilegeEscalation, finding.Check);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line.Contains("which run no caller code", StringComparison.Ordinal));
    }

    [Fact]
    public void PassRole_limited_to_the_compute_service_of_the_path_is_still_the_escalation()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy("""
            {"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}},
            {"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}
            """))));
        Assert.Contains(finding.Evidence, line => line.StartsWith("path lambda-001: ", StringComparison.Ordinal));
        Assert.NotEmpty(finding.RevertSteps);
    }

    [Fact]
    public void A_read_only_service_wildcard_is_a_low_notice()
    {
        var finding = Assert.Single(Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":"pricing:*","Resource":"*"}"""))));
        Assert.Equal(IamChecks.ServiceWildcard, finding.Check);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Empty(finding.RevertSteps);
    }

    [Fact]
    public void Admin_wildcard_subsumes_service_wildcard_and_escalation_for_the_same_statement()
    {
        var findings = Detect(PutRolePolicy(Policy("""{"Effect":"Allow","Action":["*","iam:*"],"Resource":"*"}""")));
        Assert.Equal([IamChecks.AdminWildcard], Checks(findings));
    }

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("\"arn:*:*:*:*:*\"")]
    [InlineData("\"arn:*\"")]
    public void Everything_on_everything_is_one_cause_the_admin_wildcard_not_an_escalation_too(string resource)
    {
        var policy = PutRolePolicy(Policy($$"""{"Effect":"Allow","Action":"*","Resource":{{resource}}}"""));
        var finding = Assert.Single(Detect(policy));
        Assert.Equal(IamChecks.AdminWildcard, finding.Check);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Empty(Detect(policy, Options(("checks", new[] { "privilege-escalation" }))));
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
