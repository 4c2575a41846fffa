using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS;
using Remediator.Approvals;
using Remediator.Approvals.Queue;
using Remediator.Approvals.Slack;
using Remediator.Aws.Audit;
using Remediator.Aws.DynamoDb;
using Remediator.Aws.Sqs;
using Remediator.Aws.Ssm;
using Remediator.Operations;
using Remediator.Aws.Iam;
using Remediator.Aws.State;
using Remediator.Core.Approvals;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Rules;
using Remediator.Detectors.Actions;
using Remediator.Composition.Planning;

namespace Remediator.Guard.Tests;

/// <summary>
/// The role split of approvals, checked against behaviour: the always-on IAM guard holds no call that puts a document
/// back; the approval worker's role holds every action the worker calls when it applies and undoes an approved fix;
/// the Slack endpoint's role holds exactly what verifying, deciding and queueing call, and nothing that acts on IAM.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ApprovalPermissionsTests(MotoServer moto) : GuardMotoTests(moto)
{
    private const string Approver = "U0APPROVER";
    private const string Admin = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    [Fact]
    public void The_catalogue_names_every_call_that_writes_an_access_document()
    {
        // Pinned: a new operation that writes a policy must say so in its entry, or the guards' roles could hold it.
        Assert.Equal(["events:PutPermission", "iam:PutGroupPolicy", "iam:PutRolePolicy", "iam:PutUserPolicy", "iam:UpdateAssumeRolePolicy"],
            RemediationPlanner.DocumentPuts.Order(StringComparer.Ordinal));
        Assert.All(OperationCatalogue.All.Where(o => o.WritesDocument), o => Assert.All(o.Permissions, p => Assert.Contains(p, RemediationPlanner.DocumentPuts)));
    }

    [Theory]
    [InlineData("serverless.template")]
    [InlineData("deploy/organization.template")]
    public void No_role_but_the_approval_workers_can_write_an_access_document(string template)
    {
        // The guards, the sweep and the member accounts' roles parse or act on attacker-influenced input, always on.
        var holders = TemplateRoles.Roles(template)
            .Where(role => TemplateRoles.GrantedActions(role, template).Overlaps(RemediationPlanner.DocumentPuts))
            .ToList();

        Assert.Equal(template == "serverless.template" ? ["ApprovalWorkerRole"] : [], holders);
    }

    [Fact]
    public void The_iam_guard_cannot_put_a_document_back_and_the_worker_can()
    {
        var guard = TemplateRoles.GrantedActions("IamGuardRole");
        var worker = TemplateRoles.GrantedActions("ApprovalWorkerRole");
        var endpoint = TemplateRoles.GrantedActions("SlackActionsRole");
        Assert.All(RemediationPlanner.DocumentPuts, put => Assert.DoesNotContain(put, guard));
        Assert.All(RemediationPlanner.DocumentPuts, put => Assert.Contains(put, worker));
        Assert.DoesNotContain(endpoint, a => a.StartsWith("iam:", StringComparison.Ordinal));
        // Still the narrowing calls: delete, detach, previous default version, the deny-all quarantine.
        Assert.Subset(guard, new HashSet<string>(StringComparer.Ordinal) { "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:SetDefaultPolicyVersion", "iam:AttachRolePolicy" });
    }

    [Fact]
    public async Task The_enforcing_iam_guard_reverts_a_widened_inline_policy_without_any_document_put()
    {
        using var aws = new AwsClients(new AwsClientOptions { Region = Region, EndpointUrl = Moto.Endpoint }, new AwsTransportSettings { Credentials = GuardTestSupport.Credentials, Environment = _ => null }, MotoDynamoDb(Moto.Endpoint));
        const string narrow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        await aws.Iam.CreateRoleAsync("changed", TrustLambda);
        await aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("changed"), "p", narrow);
        // The document was widened. Re-putting the narrow one is not the guard's to do (the planner's tests show it
        // contains instead when it knows the previous document); here it deletes the inline policy.
        await aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("changed"), "p", Admin);
        var recorder = new PermissionRecorder();
        var overrides = Overrides(Moto) with { InnerHandler = recorder.Handler(), DynamoDb = MotoDynamoDb(Moto.Endpoint, recorder.Observe) };
        using (var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), overrides))
        {
            var envelope = Envelope("PutRolePolicy", new JsonObject { ["roleName"] = "changed", ["policyName"] = "p", ["policyDocument"] = Admin });
            await guard.HandleAsync(Encoding.UTF8.GetBytes(envelope), Invocation().Invocation, default);
        }

        Assert.DoesNotContain(recorder.Actions, a => RemediationPlanner.DocumentPuts.Contains(a));
        Assert.All(recorder.Actions, a => Assert.Contains(a, TemplateRoles.GrantedActions("IamGuardRole")));
    }

    [Fact]
    public async Task Every_action_the_approval_worker_calls_is_granted_to_its_role()
    {
        using (var setup = new AwsClients(new AwsClientOptions { Region = Region, EndpointUrl = Moto.Endpoint }, new AwsTransportSettings { Credentials = GuardTestSupport.Credentials, Environment = _ => null }, MotoDynamoDb(Moto.Endpoint)))
        {
            await setup.Iam.CreateRoleAsync("app", TrustLambda);
            await setup.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", Admin);
        }

        var pending = await PendingRecordAsync("app");

        // From here on every request is the worker's: recorded.
        var recorder = new PermissionRecorder();
        using var aws = new AwsClients(new AwsClientOptions { Region = Region, EndpointUrl = Moto.Endpoint },
            new AwsTransportSettings { Credentials = GuardTestSupport.Credentials, Environment = _ => null, InnerHandler = recorder.Handler() }, MotoDynamoDb(Moto.Endpoint, recorder.Observe));

        var store = new DynamoDbAuditStore(aws.DynamoDb, AuditTable);
        var executor = new AwsStepExecutor(aws);
        var service = new DecisionService(store, executor, new UndoService(store, executor, new UndoPlanner(OperationCatalogue.Index), TimeProvider.System), new TagExemptionPlanner("remediator:exempt"), TimeProvider.System);

        var apply = await service.BeginAsync(new DecisionRequest(pending.Id, DecisionVerb.Apply, Approver));
        Assert.True(apply.Begun, apply.Detail);
        Assert.Equal(AuditOutcome.Applied, (await service.CarryOutAsync(apply.Decision!.Id))!.Outcome);
        var undo = await service.BeginAsync(new DecisionRequest(apply.Decision.Id, DecisionVerb.Undo, Approver));
        Assert.True(undo.Begun, undo.Detail);
        Assert.Equal(AuditOutcome.Applied, (await service.CarryOutAsync(undo.Decision!.Id))!.Outcome);

        Assert.Contains("iam:DeleteRolePolicy", recorder.Actions);
        Assert.Contains("iam:PutRolePolicy", recorder.Actions);
        var granted = TemplateRoles.GrantedActions("ApprovalWorkerRole");
        Assert.All(recorder.Actions, action => Assert.True(granted.Contains(action), $"ApprovalWorkerRole lacks {action}, which the worker calls"));
    }

    [Fact]
    public async Task Every_action_the_slack_endpoint_calls_is_granted_to_its_role_and_nothing_else()
    {
        using var aws = new AwsClients(new AwsClientOptions { Region = Region, EndpointUrl = Moto.Endpoint }, new AwsTransportSettings { Credentials = GuardTestSupport.Credentials, Environment = _ => null }, MotoDynamoDb(Moto.Endpoint));
        await aws.Iam.CreateRoleAsync("app", TrustLambda);
        await aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", Admin);
        var pending = await PendingRecordAsync("app");

        var recorder = new PermissionRecorder();
        var secret = "permissions-test-signing-secret-01"u8.ToArray();
        // The endpoint's clients as SlackFunction composes them (signed), each request recorded below the signer.
        var options = new AwsClientOptions { Region = Region, EndpointUrl = Moto.Endpoint };
        AwsTransportSettings Recorded() => new() { Credentials = GuardTestSupport.Credentials, Environment = _ => null, InnerHandler = recorder.Handler() };
        using var ssm = new SsmClient(options, Recorded());
        using var sqs = new SqsClient(options, Recorded());
        using var dynamoDb = new DynamoDbClient(options, Recorded());
        using (var setup = new AmazonSimpleSystemsManagementClient(GuardTestSupport.Credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = Region }))
        {
            await setup.PutParameterAsync(new PutParameterRequest { Name = "/remediator/slack-signing-secret", Type = ParameterType.SecureString, Value = Encoding.UTF8.GetString(secret) });
        }

        string queueUrl;
        using (var setup = new AmazonSQSClient(GuardTestSupport.Credentials, new AmazonSQSConfig { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = Region }))
        {
            queueUrl = (await setup.CreateQueueAsync("decisions")).QueueUrl;
        }

        var store = new DynamoDbDecisionLedger(dynamoDb, AuditTable);
        var refusing = new AwsStepExecutor(new AwsClients(new AwsClientOptions { Region = Region, EndpointUrl = new Uri("http://127.0.0.1:9") }, new AwsTransportSettings { Credentials = GuardTestSupport.Credentials, Environment = _ => null }));
        var decisions = new DecisionService(store, refusing, new UndoService(store, refusing, new UndoPlanner(OperationCatalogue.Index), TimeProvider.System), new TagExemptionPlanner("remediator:exempt"), TimeProvider.System);
        var endpoint = new SlackActionsEndpoint(new SsmSigningSecretSource(ssm, "/remediator/slack-signing-secret", TimeSpan.FromMinutes(5), TimeProvider.System), decisions, new SqsDecisionQueue(sqs, queueUrl), TimeProvider.System);

        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = Approver },
            ["actions"] = new JsonArray(new JsonObject { ["value"] = "apply|" + pending.Id }),
            ["response_url"] = "https://hooks.slack.com/actions/T0/1/x",
        }.ToJsonString();
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Encoding.ASCII.GetString(SlackSignature.Sign(secret, timestamp, body));
        var request = new JsonObject
        {
            ["headers"] = new JsonObject { ["x-slack-request-timestamp"] = timestamp, ["x-slack-signature"] = signature },
            ["body"] = Encoding.UTF8.GetString(body),
            ["isBase64Encoded"] = false,
        }.ToJsonString();

        var result = await endpoint.HandleAsync(Encoding.UTF8.GetBytes(request), default);
        Assert.Equal(200, result.Response.StatusCode);
        Assert.Equal(["dynamodb:GetItem", "dynamodb:PutItem", "sqs:SendMessage", "ssm:GetParameter"], recorder.Actions);
        var granted = TemplateRoles.GrantedActions("SlackActionsRole");
        Assert.Equal(granted.Where(a => !a.StartsWith("logs:", StringComparison.Ordinal) && !a.StartsWith("kms:", StringComparison.Ordinal)).Order(StringComparer.Ordinal), recorder.Actions);
    }

    [Fact]
    public async Task The_slack_endpoint_reads_the_optional_bot_token_with_GetParameter_granted_on_that_parameter_only_when_configured()
    {
        // The code path: the bot token is one GetParameter (with decryption), like the signing secret.
        var recorder = new PermissionRecorder();
        using (var setup = new AmazonSimpleSystemsManagementClient(GuardTestSupport.Credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = Region }))
        {
            await setup.PutParameterAsync(new PutParameterRequest { Name = "/remediator/slack-bot-token", Type = ParameterType.SecureString, Value = "xoxb-permissions-test", Overwrite = true });
        }

        using var ssm = new SsmClient(new AwsClientOptions { Region = Region, EndpointUrl = Moto.Endpoint }, new AwsTransportSettings { Credentials = GuardTestSupport.Credentials, Environment = _ => null, InnerHandler = recorder.Handler() });
        var token = new SsmSecureString(ssm, "/remediator/slack-bot-token", "Slack bot token", v => v.StartsWith("xox", StringComparison.Ordinal), TimeSpan.FromMinutes(5), TimeProvider.System);
        Assert.Equal("xoxb-permissions-test", await token.GetAsync(default));
        Assert.Equal(["ssm:GetParameter"], recorder.Actions);

        // The template: GetParameter and the SSM-bound decrypt name the signing secret and, under HasSlackBotToken only,
        // the bot token parameter; the function gets the parameter's name under the same condition, never a value.
        var template = JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot("serverless.template")))!;
        var statements = template["Resources"]!["SlackActionsRole"]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        var read = statements.Single(s => s!["Action"]!.ToJsonString().Contains("ssm:GetParameter", StringComparison.Ordinal))!;
        var resources = read["Resource"]!.AsArray().Select(r => r!.ToJsonString()).ToList();
        Assert.Equal(2, resources.Count);
        Assert.Contains("parameter${SlackSigningSecretParameterName}", resources[0], StringComparison.Ordinal);
        Assert.Contains("\"Fn::If\":[\"HasSlackBotToken\"", resources[1], StringComparison.Ordinal);
        Assert.Contains("parameter${SlackBotTokenParameterName}", resources[1], StringComparison.Ordinal);
        var decrypt = statements.Single(s => (string?)s!["Sid"] == "DecryptTheseParametersThroughSsmOnly")!;
        Assert.Contains("parameter${SlackBotTokenParameterName}", decrypt["Condition"]!.ToJsonString(), StringComparison.Ordinal);
        var variable = template["Resources"]!["SlackActionsFunction"]!["Properties"]!["Environment"]!["Variables"]![SlackFunctionSettings.BotTokenParameterVariable]!.ToJsonString();
        Assert.Equal("""{"Fn::If":["HasSlackBotToken",{"Ref":"SlackBotTokenParameterName"},{"Ref":"AWS::NoValue"}]}""", variable);
        Assert.Equal(string.Empty, template["Parameters"]!["SlackBotTokenParameterName"]!["Default"]!.GetValue<string>());
    }

    /// <summary>Runs the IAM guard with the admin-wildcard rule in approve mode; returns the pending record.</summary>
    private async Task<AuditRecord> PendingRecordAsync(string role)
    {
        var rules = EnforcedBuiltInRules()
            .Where(r => r.Concern == Concerns.IamBroadPermissions)
            .Select(r => r with { Mode = RuleMode.Approve, Approval = new ApprovalPolicy([Approver], TimeSpan.FromHours(24), ExpiryOutcome.Notify, false) })
            .ToList();
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(Moto) with { Rules = rules });
        var envelope = Envelope("PutRolePolicy", new JsonObject { ["roleName"] = role, ["policyName"] = "admin", ["policyDocument"] = Admin });
        var result = await guard.HandleAsync(Encoding.UTF8.GetBytes(envelope), Invocation().Invocation, default);
        var id = Assert.Single(result.Records, r => r.Outcome == "pending").Id;
        using var dynamo = MotoDynamoDb(Moto.Endpoint);
        return (await new DynamoDbAuditStore(dynamo, AuditTable).GetAsync(id))!;
    }

    private static string Envelope(string name, JsonObject request) => CloudTrailEnvelopes.IamCall(name, request, DateTimeOffset.UtcNow, Region);
}
