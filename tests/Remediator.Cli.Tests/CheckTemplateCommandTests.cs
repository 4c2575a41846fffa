using Remediator.Testing;

namespace Remediator.Cli.Tests;

public sealed class CheckTemplateCommandTests : IDisposable
{
    private const string LambdaTrust = """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("remediator-check-template-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_guards_own_template_passes_its_own_rules()
    {
        var run = await CliRun.RunAsync("check-template", RepositoryPaths.InRoot("serverless.template"), "--rules", RepositoryPaths.Rules);

        Assert.True(run.ExitCode == ExitCodes.Clean, run.Stdout + run.Stderr);
        Assert.Contains("0 finding(s)", run.Stderr, StringComparison.Ordinal);
        // Every role, inline policy, function and the audit table were looked at, not skipped.
        Assert.Contains("19 judged as 28 CloudTrail event(s)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_us_east_1_the_iam_guard_and_its_role_do_not_exist()
    {
        var run = await CliRun.RunAsync("check-template", RepositoryPaths.InRoot("serverless.template"), "--rules", RepositoryPaths.Rules, "--region", "eu-west-1");

        Assert.Equal(ExitCodes.Clean, run.ExitCode);
        Assert.Contains("17 judged as 25 CloudTrail event(s)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_with_action_star_is_found_by_its_logical_id()
    {
        var template = Write("""
            {"Resources": {"AdminRole": {"Type": "AWS::IAM::Role", "Properties": {
              "AssumeRolePolicyDocument": @LambdaTrust@,
              "Policies": [{"PolicyName": "admin", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}}}}
            """.Replace("@LambdaTrust@", LambdaTrust, StringComparison.Ordinal));

        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("AdminRole (AWS::IAM::Role) PutRolePolicy: critical iam-admin-wildcard admin-wildcard", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_wildcard_in_a_managed_policy_is_found()
    {
        var template = Write("""
            {"Resources": {"S3Everything": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
              "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::bucket/*"}}]}}}}}
            """);

        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("S3Everything (AWS::IAM::ManagedPolicy) CreatePolicy:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("service-wildcard", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWS::Lambda::Function", "\"Code\": {\"ZipFile\": \"x\"}, \"Runtime\": \"python3.12\", \"Handler\": \"a.b\"")]
    [InlineData("AWS::Serverless::Function", "\"CodeUri\": \"src/\", \"Runtime\": \"python3.12\", \"Handler\": \"a.b\"")]
    public async Task A_function_without_a_timeout_is_found(string type, string properties)
    {
        var template = Write("""{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Worker": {"Type": "@type@", "Properties": { @properties@ }}}}""".Replace("@type@", type, StringComparison.Ordinal).Replace("@properties@", properties, StringComparison.Ordinal));

        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains($"Worker ({type}) CreateFunction20150331: medium lambda-timeout default-timeout", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_from_sam_globals_counts_and_one_above_the_maximum_is_found()
    {
        var template = Write("""
            {"Transform": "AWS::Serverless-2016-10-31", "Globals": {"Function": {"Timeout": 20}},
             "Resources": {
               "Inherits": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "a/", "Runtime": "python3.12", "Handler": "a.b"}},
               "TooLong": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "b/", "Runtime": "python3.12", "Handler": "a.b", "Timeout": 900}}}}
            """);

        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.DoesNotContain("Inherits", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("TooLong (AWS::Serverless::Function) CreateFunction20150331: medium lambda-timeout timeout-above-maximum", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(", \"SSESpecification\": {\"SSEEnabled\": false}")]
    public async Task A_table_without_kms_encryption_is_found(string sse)
    {
        var template = Write("""
            {"Resources": {"Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {
              "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}] @sse@ }}}}
            """.Replace("@sse@", sse, StringComparison.Ordinal));

        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("Orders (AWS::DynamoDB::Table) CreateTable: high dynamodb-table-kms aws-owned-key", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"StatementId": "open", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"}}}""")]
    [InlineData("""{"StatementId": "open", "Action": "events:PutEvents", "Principal": "*"}""")]
    public async Task A_public_bus_policy_is_found_in_both_forms(string properties)
    {
        var template = Write("""{"Resources": {"OpenBus": {"Type": "AWS::Events::EventBusPolicy", "Properties": @properties@ }}}""".Replace("@properties@", properties, StringComparison.Ordinal));

        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("OpenBus (AWS::Events::EventBusPolicy) PutPermission: critical public-event-bus public-statement", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_gateway_integrations_at_the_service_maximum_are_found()
    {
        var template = Write("""
            {"Resources": {
              "Method": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": "abc123", "ResourceId": "res1", "HttpMethod": "GET", "AuthorizationType": "NONE",
                         "Integration": {"Type": "HTTP_PROXY", "IntegrationHttpMethod": "GET", "Uri": "https://example.com", "TimeoutInMillis": 29000}}},
              "HttpIntegration": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": "api1", "IntegrationType": "HTTP_PROXY", "TimeoutInMillis": 30000}},
              "ShortIntegration": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": "api1", "IntegrationType": "HTTP_PROXY", "TimeoutInMillis": 5000}}}}
            """);

        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("Method (AWS::ApiGateway::Method) PutIntegration:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("HttpIntegration (AWS::ApiGatewayV2::Integration) CreateIntegration:", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ShortIntegration", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_organization_bus_policy_passes_with_the_guards_organization_and_not_with_another()
    {
        var template = RepositoryPaths.InRoot("deploy", "organization.template");

        // The guard hands its OrganizationId parameter to rules that name none; so does the check.
        var ours = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules, "--parameter", "Role=central", "--parameter", "OrganizationId=o-a1b2c3d4e5");
        var member = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules, "--parameter", "Role=member", "--parameter", "CentralAccountId=210987654321");
        // Without it, the rule cannot tell your organization from any other: the statement stays public.
        var unknown = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules, "--parameter", "Role=central");
        var invalid = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules, "--parameter", "OrganizationId=acme");

        Assert.True(ours.ExitCode == ExitCodes.Clean, ours.Stdout);
        Assert.True(member.ExitCode == ExitCodes.Clean, member.Stdout);
        Assert.Equal(ExitCodes.Findings, unknown.ExitCode);
        Assert.Contains("CentralBusPolicy", unknown.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, invalid.ExitCode);
        Assert.Contains("not an AWS Organizations id", invalid.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_named_like_the_guards_is_judged_and_only_the_guards_exact_role_is_exempt()
    {
        // The guard's role and two lookalikes, each holding an escalation path (PassRole + lambda:CreateFunction + Invoke).
        const string escalation = """
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
              {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]}}]
            """;
        const string trust = "\"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
        var template = Write("""
            {"Resources": {
              "IamGuardRole": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/remediator/", @trust@, @escalation@}},
              "Lookalike": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x-IamGuardRole-y", @trust@, @escalation@}},
              "MemberNameHere": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/remediator/", "RoleName": "remediator-iam-broad-permissions", @trust@, @escalation@}},
              "Guard": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "bootstrap", "Runtime": "provided.al2023", "Timeout": 30,
                        "Role": {"Fn::GetAtt": ["IamGuardRole", "Arn"]}, "Code": {"ZipFile": "x"},
                        "Environment": {"Variables": {"REMEDIATOR_GUARD_ROLES": {"Fn::Join": [",", [{"Fn::GetAtt": ["IamGuardRole", "Arn"]}]]}}}}}}}
            """.Replace("@trust@", trust, StringComparison.Ordinal).Replace("@escalation@", escalation, StringComparison.Ordinal));

        var run = await CliRun.RunAsync("check-template", template, "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Matches(@"Lookalike \(AWS::IAM::Role\) PutRolePolicy: \w+ iam-privilege-escalation privilege-escalation", run.Stdout);
        // The member-account role's name in the guard's own account is anyone's to take: judged.
        Assert.Matches(@"MemberNameHere \(AWS::IAM::Role\) PutRolePolicy: \w+ iam-privilege-escalation privilege-escalation", run.Stdout);
        Assert.DoesNotMatch(@"IamGuardRole \(AWS::IAM::Role\) PutRolePolicy: \w+ iam-privilege-escalation privilege-escalation", run.Stdout);
        Assert.Contains("IamGuardRole (AWS::IAM::Role) PutRolePolicy: iam-privilege-escalation: resource is one of the guard's own roles", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", ".json:1:2: JSON syntax error")]
    [InlineData("{}", "not a CloudFormation template")]
    [InlineData("{\"AWSTemplateFormatVersion\": \"2010-09-09\"}", "the template has no Resources section")]
    [InlineData("{\"Resources\": {}}", "Resources must be a mapping with at least one resource")]
    public async Task Malformed_and_empty_templates_are_bad_input_with_a_position(string text, string expected)
    {
        var run = await CliRun.RunAsync("check-template", Write(text), "--rules", RepositoryPaths.Rules);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }

    private string Write(string text)
    {
        var path = Path.Combine(_dir, $"template-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }
}
