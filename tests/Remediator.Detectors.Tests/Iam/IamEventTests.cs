using Remediator.Core;
using Remediator.Core.Ports;
using Remediator.Detectors.Iam;
using static Remediator.Detectors.Tests.Iam.IamTestSupport;

namespace Remediator.Detectors.Tests.Iam;

/// <summary>Every handled event type, on real records where one exists, with its revert plan.</summary>
public sealed class IamEventTests
{
    private const string AdminPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    // ---- Put{Role,User,Group}Policy ----

    [Fact]
    public void PutRolePolicy_with_admin_wildcard_plans_to_delete_it_keeping_the_document_for_undo()
    {
        var finding = Assert.Single(Detect(Fixture("synthetic/iam/PutRolePolicy__admin_wildcard.json")));
        Assert.Equal(IamChecks.AdminWildcard, finding.Check);
        Assert.Equal("arn:aws:iam::111122223333:role/app-role", finding.Resource);
        Assert.Equal("AWS::IAM::Role", finding.ResourceType);
        Assert.Contains(finding.Evidence, line => line.StartsWith("statement #1 (Sid 'All'): {\"Sid\":\"All\",\"Effect\":\"Allow\"", StringComparison.Ordinal));
        Assert.Empty(finding.QuarantineSteps);

        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("revert", step.Action);
        Assert.Equal("iam:DeleteRolePolicy", step.Operation);
        Assert.Equal(finding.Resource, step.Resource);
        Assert.Equal("app-role", (string?)step.Parameters["RoleName"]);
        Assert.Equal("everything", (string?)step.Parameters["PolicyName"]);
        Assert.Contains("\"Action\": \"*\"", (string?)step.Parameters["PolicyDocument"], StringComparison.Ordinal);
        Assert.Equal(["iam:DeleteRolePolicy"], step.Permissions);
    }

    [Fact]
    public void PutRolePolicy_restores_the_previous_document_when_the_port_knows_it()
    {
        var port = new FakeIamStatePort();
        var previous = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        port.PreviousInlinePolicies[(IamPrincipalKind.Role, "app-role", "everything")] = Uri.EscapeDataString(previous);

        var finding = Assert.Single(Detect(Fixture("synthetic/iam/PutRolePolicy__admin_wildcard.json"), port: port));
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("iam:PutRolePolicy", step.Operation);
        Assert.Equal(previous, (string?)step.Parameters["PolicyDocument"]);
        Assert.Equal(["iam:PutRolePolicy"], step.Permissions);
    }

    [Fact]
    public void PutUserPolicy_of_the_AWS_quarantine_is_a_deny_and_not_reported() =>
        Assert.Empty(Detect(Fixture("cloudtrail/iam/PutUserPolicy__1.json")));

    [Fact]
    public void PutUserPolicy_with_a_tab_indented_deny_all_is_not_reported() =>
        Assert.Empty(Detect(Fixture("cloudtrail/iam/PutUserPolicy__2.json")));

    [Fact]
    public void PutUserPolicy_with_null_request_parameters_is_reported_as_not_judged_never_clean()
    {
        // CloudTrail dropped the parameters of a successful call: nothing names the user, nothing can be read back.
        var finding = Assert.Single(Detect(Fixture("cloudtrail/iam/PutUserPolicy__3.json")));
        Assert.Equal(IamChecks.UnparseableDocument, finding.Check);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, l => l == "not judged: document not in the event");
    }

    [Fact]
    public void PutUserPolicy_plans_DeleteUserPolicy_with_the_user_name()
    {
        var e = Event("PutUserPolicy", $$"""{"userName":"bob","policyName":"p","policyDocument":{{Quote(AdminPolicy)}}}""");
        var finding = Assert.Single(Detect(e));
        Assert.Equal("arn:aws:iam::111122223333:user/bob", finding.Resource);
        Assert.Equal("AWS::IAM::User", finding.ResourceType);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("iam:DeleteUserPolicy", step.Operation);
        Assert.Equal("bob", (string?)step.Parameters["UserName"]);
    }

    [Fact]
    public void PutGroupPolicy_reports_the_service_wildcard_and_the_escalation_pattern_but_not_Describe()
    {
        var findings = Detect(Fixture("synthetic/iam/PutGroupPolicy__escalation_wildcards.json"));
        Assert.Equal([IamChecks.ServiceWildcard, IamChecks.PrivilegeEscalation], Checks(findings));
        Assert.Contains(findings[1].Evidence, line => line.StartsWith("path iam-011: iam:PutGroupPolicy", StringComparison.Ordinal));
        Assert.All(findings, f => Assert.Equal("arn:aws:iam::111122223333:group/developers", f.Resource));
        Assert.All(findings, f => Assert.Equal("AWS::IAM::Group", f.ResourceType));
        var step = Assert.Single(findings[0].RevertSteps);
        Assert.Equal("iam:DeleteGroupPolicy", step.Operation);
        Assert.Equal("developers", (string?)step.Parameters["GroupName"]);
        Assert.Equal("dev-tools", (string?)step.Parameters["PolicyName"]);
    }

    [Fact]
    public void PutGroupPolicy_with_logs_allowed_reports_only_the_escalation()
    {
        var findings = Detect(Fixture("synthetic/iam/PutGroupPolicy__escalation_wildcards.json"), Options(("allowedServiceWildcards", new[] { "logs" })));
        Assert.Equal([IamChecks.PrivilegeEscalation], Checks(findings));
    }

    [Fact]
    public void A_policy_document_given_as_an_object_is_judged_too()
    {
        var e = Event("PutRolePolicy", $$"""{"roleName":"r","policyName":"p","policyDocument":{{AdminPolicy}}}""");
        Assert.Equal([IamChecks.AdminWildcard], Checks(Detect(e)));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("true")]
    [InlineData("[1,2]")]
    [InlineData("\"{\"")]
    [InlineData("\"%7B%22Statement%22\"")]
    [InlineData("\"{\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":{\\\"x\\\":1},\\\"Resource\\\":\\\"*\\\"}}\"")]
    public void Malformed_policy_documents_are_an_unparseable_finding_one_step_lower(string document)
    {
        var e = Event("PutRolePolicy", $$"""{"roleName":"r","policyName":"p","policyDocument":{{document}}}""");
        var finding = Assert.Single(Detect(e));
        Assert.Equal(IamChecks.UnparseableDocument, finding.Check);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains(finding.Evidence, line => line.StartsWith("why: ", StringComparison.Ordinal));
    }

    // ---- CreatePolicy ----

    [Fact]
    public void CreatePolicy_with_a_truncated_document_is_unparseable_with_no_revert()
    {
        var finding = Assert.Single(Detect(Fixture("cloudtrail/iam/CreatePolicy__1.json")));
        Assert.Equal(IamChecks.UnparseableDocument, finding.Check);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("arn:aws:iam::000000000000:policy/service-role/your_policy_name", finding.Resource);
        Assert.Equal("AWS::IAM::ManagedPolicy", finding.ResourceType);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, line => line == "document: {");
    }

    [Fact]
    public void CreatePolicy_without_a_response_builds_the_ARN_from_path_and_name()
    {
        var e = Event("CreatePolicy", $$"""{"policyName":"wide","path":"/team/","policyDocument":{{Quote(AdminPolicy)}}}""");
        var finding = Assert.Single(Detect(e));
        Assert.Equal("arn:aws:iam::111122223333:policy/team/wide", finding.Resource);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line.StartsWith("no revert:", StringComparison.Ordinal));
    }

    // ---- CreatePolicyVersion ----

    [Fact]
    public void CreatePolicyVersion_with_a_sanitised_document_is_unparseable_and_says_why_there_is_no_revert()
    {
        var finding = Assert.Single(Detect(Fixture("cloudtrail/iam/CreatePolicyVersion__1.json")));
        Assert.Equal(IamChecks.UnparseableDocument, finding.Check);
        Assert.Equal("arn:aws:iam::000000000000:policy/test-policy", finding.Resource);
        Assert.Contains(finding.Evidence, line => line.Contains("no Statement", StringComparison.Ordinal));
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line.Contains("default before this one is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void CreatePolicyVersion_set_as_default_plans_to_restore_the_previous_default()
    {
        var port = new FakeIamStatePort();
        port.PreviousDefaultVersionIds["arn:aws:iam::111122223333:policy/p"] = "v1";
        var e = Event("CreatePolicyVersion",
            $$"""{"policyArn":"arn:aws:iam::111122223333:policy/p","policyDocument":{{Quote(AdminPolicy)}},"setAsDefault":true}""",
            """{"policyVersion":{"versionId":"v2","isDefaultVersion":true}}""");
        var finding = Assert.Single(Detect(e, port: port));
        Assert.Contains("(now the default)", finding.Summary, StringComparison.Ordinal);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("iam:SetDefaultPolicyVersion", step.Operation);
        Assert.Equal("arn:aws:iam::111122223333:policy/p", (string?)step.Parameters["PolicyArn"]);
        Assert.Equal("v1", (string?)step.Parameters["VersionId"]);
        Assert.Equal(["iam:SetDefaultPolicyVersion"], step.Permissions);
    }

    [Fact]
    public void CreatePolicyVersion_not_set_as_default_is_reported_without_revert()
    {
        var port = new FakeIamStatePort();
        var finding = Assert.Single(Detect(Fixture("synthetic/iam/CreatePolicyVersion__not_default_passrole.json"), port: port));
        Assert.Equal(IamChecks.PrivilegeEscalation, finding.Check);
        Assert.Contains("(not the default)", finding.Summary, StringComparison.Ordinal);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line.StartsWith("path ec2-001: iam:PassRole (to ec2.amazonaws.com) + ec2:RunInstances", StringComparison.Ordinal));
        Assert.DoesNotContain(port.Calls, c => c.StartsWith("GetPreviousDefaultVersionId", StringComparison.Ordinal));
    }

    // ---- SetDefaultPolicyVersion ----

    [Fact]
    public void SetDefaultPolicyVersion_cannot_be_judged_offline()
    {
        Assert.Empty(Detect(Fixture("synthetic/iam/SetDefaultPolicyVersion__customer_policy.json")));
    }

    [Fact]
    public void SetDefaultPolicyVersion_judges_the_current_default_read_through_the_port_and_plans_to_restore_the_previous()
    {
        const string Arn = "arn:aws:iam::111122223333:policy/app-policy";
        var port = new FakeIamStatePort();
        port.DefaultVersions[Arn] = new IamPolicyVersion(Arn, "v3", Uri.EscapeDataString(AdminPolicy));
        port.PreviousDefaultVersionIds[Arn] = "v2";

        var finding = Assert.Single(Detect(Fixture("synthetic/iam/SetDefaultPolicyVersion__customer_policy.json"), port: port));
        Assert.Equal(IamChecks.AdminWildcard, finding.Check);
        Assert.Equal(Arn, finding.Resource);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("iam:SetDefaultPolicyVersion", step.Operation);
        Assert.Equal("v2", (string?)step.Parameters["VersionId"]);
        Assert.Contains($"GetPreviousDefaultVersionId {Arn} 2025-03-04T12:00:00.0000000+00:00", port.Calls);
    }

    [Fact]
    public void SetDefaultPolicyVersion_without_a_known_previous_default_has_no_revert_and_says_so()
    {
        const string Arn = "arn:aws:iam::111122223333:policy/app-policy";
        var port = new FakeIamStatePort();
        port.DefaultVersions[Arn] = new IamPolicyVersion(Arn, "v4", AdminPolicy);

        var finding = Assert.Single(Detect(Fixture("synthetic/iam/SetDefaultPolicyVersion__customer_policy.json"), port: port));
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line.Contains("has changed since to v4", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, line => line.StartsWith("no revert:", StringComparison.Ordinal));
    }

    [Fact]
    public void SetDefaultPolicyVersion_to_a_narrow_version_is_not_reported()
    {
        const string Arn = "arn:aws:iam::111122223333:policy/app-policy";
        var port = new FakeIamStatePort();
        port.DefaultVersions[Arn] = new IamPolicyVersion(Arn, "v3",
            """{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""");
        Assert.Empty(Detect(Fixture("synthetic/iam/SetDefaultPolicyVersion__customer_policy.json"), port: port));
    }

    // ---- Attach{Role,User,Group}Policy ----

    [Fact]
    public void AttachUserPolicy_of_AdministratorAccess_is_reported_by_name_and_content_with_a_detach()
    {
        var findings = Detect(Fixture("cloudtrail/iam/AttachUserPolicy__1.json"));
        Assert.Equal([IamChecks.ManagedPolicy, IamChecks.AdminWildcard], Checks(findings));
        Assert.All(findings, f => Assert.Equal("arn:aws:iam::229654561268:user/malicious-iam-user", f.Resource));
        var step = Assert.Single(findings[0].RevertSteps);
        Assert.Equal("iam:DetachUserPolicy", step.Operation);
        Assert.Equal("malicious-iam-user", (string?)step.Parameters["UserName"]);
        Assert.Equal("arn:aws:iam::aws:policy/AdministratorAccess", (string?)step.Parameters["PolicyArn"]);
        Assert.Equal(["iam:DetachUserPolicy"], step.Permissions);
    }

    [Fact]
    public void AttachRolePolicy_of_AdministratorAccess_plans_DetachRolePolicy()
    {
        var findings = Detect(Fixture("cloudtrail/iam/AttachRolePolicy__1.json"));
        Assert.Equal([IamChecks.ManagedPolicy, IamChecks.AdminWildcard], Checks(findings));
        Assert.Equal("arn:aws:iam::609418236337:role/stratus-red-team-malicious-iam-role", findings[0].Resource);
        var step = Assert.Single(findings[0].RevertSteps);
        Assert.Equal("iam:DetachRolePolicy", step.Operation);
        Assert.Equal("stratus-red-team-malicious-iam-role", (string?)step.Parameters["RoleName"]);
    }

    [Fact]
    public void AttachUserPolicy_of_the_AWS_quarantine_policy_is_ignored()
    {
        var port = new FakeIamStatePort();
        Assert.Empty(Detect(Fixture("cloudtrail/iam/AttachUserPolicy__2.json"), port: port));
        Assert.Empty(port.Calls);
    }

    [Fact]
    public void A_failed_attach_is_never_judged() =>
        Assert.Empty(Detect(Fixture("cloudtrail/iam/AttachRolePolicy__2.json")));

    [Fact]
    public void AttachRolePolicy_of_an_unknown_customer_policy_reports_nothing_offline() =>
        Assert.Empty(Detect(Fixture("cloudtrail/iam/AttachRolePolicy__3.json")));

    [Fact]
    public void AttachRolePolicy_from_an_envelope_judges_the_customer_policy_read_through_the_port()
    {
        var port = new FakeIamStatePort();
        port.DefaultVersions["arn:aws:iam::123456789012:policy/1"] = new IamPolicyVersion("arn:aws:iam::123456789012:policy/1", "v1", AdminPolicy);
        var finding = Assert.Single(Detect(Fixture("cloudtrail/iam/AttachRolePolicy__3.json"), port: port));
        Assert.Equal(IamChecks.AdminWildcard, finding.Check);
        Assert.Equal("arn:aws:iam::123456789012:role/role1", finding.Resource);
        Assert.Equal("iam:DetachRolePolicy", Assert.Single(finding.RevertSteps).Operation);
    }

    [Fact]
    public void Attaching_a_broad_AWS_policy_the_port_cannot_read_is_judged_by_its_name_alone()
    {
        var findings = Detect(Fixture("cloudtrail/iam/AttachUserPolicy__1.json"), port: new FakeIamStatePort());
        var finding = Assert.Single(findings);
        Assert.Equal(IamChecks.ManagedPolicy, finding.Check);
        Assert.Contains(finding.Evidence, line => line.Contains("judged by its name alone", StringComparison.Ordinal));
    }

    [Fact]
    public void AttachGroupPolicy_of_IAMFullAccess_is_a_managed_policy_a_service_wildcard_and_an_escalation()
    {
        var findings = Detect(Fixture("synthetic/iam/AttachGroupPolicy__iam_full_access.json"));
        Assert.Equal([IamChecks.ManagedPolicy, IamChecks.ServiceWildcard, IamChecks.PrivilegeEscalation], Checks(findings));
        Assert.Equal("iam:DetachGroupPolicy", Assert.Single(findings[0].RevertSteps).Operation);
        Assert.Equal("developers", (string?)findings[0].RevertSteps[0].Parameters["GroupName"]);
    }

    [Fact]
    public void Attaching_PowerUserAccess_is_reported_for_its_NotAction_and_the_escalations_it_leaves()
    {
        var e = Event("AttachRolePolicy", """{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/PowerUserAccess"}""");
        Assert.Equal([IamChecks.ManagedPolicy, IamChecks.NotAction, IamChecks.PrivilegeEscalation], Checks(Detect(e)));
    }

    [Fact]
    public void A_rule_may_ignore_more_policies_by_pattern()
    {
        var e = Event("AttachRolePolicy", """{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/PowerUserAccess"}""");
        Assert.Empty(Detect(e, Options(("ignoredPolicyArns", new[] { "arn:aws:iam::aws:policy/Power*" }))));
    }

    // ---- CreateRole ----

    [Fact]
    public void CreateRole_trusting_another_account_is_untrusted_account_trust_on_the_response_ARN_without_revert()
    {
        var finding = Assert.Single(Detect(Fixture("cloudtrail/iam/CreateRole__1.json")));
        Assert.Equal(IamChecks.UntrustedAccountTrust, finding.Check);
        Assert.Equal("arn:aws:iam::609418236337:role/stratus-red-team-malicious-iam-role", finding.Resource);
        Assert.Contains("193672423079", finding.Summary, StringComparison.Ordinal);
        Assert.Empty(finding.RevertSteps);
        Assert.Empty(finding.QuarantineSteps);
        Assert.Contains(finding.Evidence, line => line.StartsWith("no revert:", StringComparison.Ordinal));
    }

    [Fact]
    public void CreateRole_trusting_a_listed_account_is_not_reported() =>
        Assert.Empty(Detect(Fixture("cloudtrail/iam/CreateRole__1.json"), Options(("trustedAccounts", new[] { "193672423079" }))));

    [Fact]
    public void CreateRole_from_the_AWS_documentation_is_judged_on_the_request_document()
    {
        var finding = Assert.Single(Detect(Fixture("cloudtrail/iam/CreateRole__3.json")));
        Assert.Equal(IamChecks.UntrustedAccountTrust, finding.Check);
        Assert.Contains("210987654321", finding.Summary, StringComparison.Ordinal);
        Assert.Equal("arn:aws:iam::123456789012:role/TestRole", finding.Resource);
    }

    [Fact]
    public void CreateRole_falls_back_to_the_url_encoded_response_document()
    {
        var encoded = Uri.EscapeDataString("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""");
        var e = Event("CreateRole", """{"roleName":"open"}""",
            $$$"""{"role":{"roleName":"open","arn":"arn:aws:iam::111122223333:role/open","assumeRolePolicyDocument":"{{{encoded}}}"}}""");
        var finding = Assert.Single(Detect(e));
        Assert.Equal(IamChecks.PublicTrust, finding.Check);
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Fact]
    public void CreateRole_with_a_sanitised_trust_policy_is_unparseable() =>
        Assert.Equal([IamChecks.UnparseableDocument], Checks(Detect(Fixture("cloudtrail/iam/CreateRole__2.json"))));

    // ---- UpdateAssumeRolePolicy ----

    [Fact]
    public void UpdateAssumeRolePolicy_adding_another_account_reports_only_that_statement()
    {
        var finding = Assert.Single(Detect(Fixture("cloudtrail/iam/UpdateAssumeRolePolicy__1.json")));
        Assert.Equal(IamChecks.UntrustedAccountTrust, finding.Check);
        Assert.Contains(finding.Evidence, line => line.StartsWith("statement #2: ", StringComparison.Ordinal));
        Assert.Equal("arn:aws:iam::751203476945:role/stratus-red-team-backdoor-r-role", finding.Resource);
    }

    [Fact]
    public void UpdateAssumeRolePolicy_to_public_with_external_id_is_public_trust_at_full_severity_on_an_unknown_role()
    {
        var finding = Assert.Single(Detect(Fixture("cloudtrail/iam/UpdateAssumeRolePolicy__2.json")));
        Assert.Equal(IamChecks.PublicTrust, finding.Check);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(IamTarget.UnknownName, finding.Resource);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line == "no revert: the event does not name the role");
    }

    [Fact]
    public void UpdateAssumeRolePolicy_from_an_envelope_without_known_previous_policy_has_no_revert()
    {
        var finding = Assert.Single(Detect(Fixture("synthetic/iam/UpdateAssumeRolePolicy__public_trust_envelope.json")));
        Assert.Equal(IamChecks.PublicTrust, finding.Check);
        Assert.Contains(finding.Evidence, line => line.StartsWith("statement #2 (Sid 'Anyone')", StringComparison.Ordinal));
        Assert.Equal("arn:aws:iam::111122223333:role/app-role", finding.Resource);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, line => line == "no revert: the previous trust policy is unknown");
    }

    [Fact]
    public void UpdateAssumeRolePolicy_restores_the_previous_trust_policy_when_the_port_knows_it()
    {
        const string Previous = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        var port = new FakeIamStatePort();
        port.PreviousTrustPolicies["app-role"] = Uri.EscapeDataString(Previous);
        var finding = Assert.Single(Detect(Fixture("synthetic/iam/UpdateAssumeRolePolicy__public_trust_envelope.json"), port: port));
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("iam:UpdateAssumeRolePolicy", step.Operation);
        Assert.Equal("app-role", (string?)step.Parameters["RoleName"]);
        Assert.Equal(Previous, (string?)step.Parameters["PolicyDocument"]);
        Assert.Equal(["iam:UpdateAssumeRolePolicy"], step.Permissions);
    }

    // ---- everything else ----

    [Theory]
    [InlineData("CreateUser", """{"userName":"u"}""")]
    [InlineData("TagRole", """{"roleName":"r","tags":[]}""")]
    [InlineData("DeletePolicy", """{"policyArn":"arn:aws:iam::111122223333:policy/p"}""")]
    public void Other_IAM_events_have_no_findings(string eventName, string request) =>
        Assert.Empty(Detect(Event(eventName, request)));

    [Fact]
    public void Events_of_other_services_have_no_findings()
    {
        var e = FromJson($$$"""{"eventSource":"lambda.amazonaws.com","eventName":"PutRolePolicy","requestParameters":{"roleName":"r","policyName":"p","policyDocument":{{{Quote(AdminPolicy)}}}}}""");
        Assert.Empty(Detect(e));
    }

}
