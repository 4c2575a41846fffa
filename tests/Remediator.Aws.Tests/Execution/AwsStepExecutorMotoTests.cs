using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediator.Aws.ApiGateway;
using Remediator.Aws.EventBridge;
using Remediator.Operations;
using Remediator.Aws.Iam;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.Execution;

/// <summary>
/// Every step operation against a real offending resource on moto: executed, the new state read through the API,
/// then undone from the recorded before-state and the old state read back.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AwsStepExecutorMotoTests(MotoServer moto) : MotoTests(moto)
{
    private IamClient Iam => Aws.Iam;

    private AwsStepExecutor Executor => new(Aws);

    private async Task<AuditAction> RunAsync(AuditAction step, ActionOutcome expected = ActionOutcome.Verified)
    {
        var result = await Executor.ExecuteAsync(step, default);
        Succeeded(result, expected);
        return result;
    }

    private async Task UndoAsync(AuditAction done)
    {
        foreach (var result in await RunAllAsync(Executor, UndoOf(done)))
        {
            Succeeded(result);
        }
    }

    [Fact]
    public async Task Inline_admin_policy_on_a_role_is_deleted_then_put_back_by_undo()
    {
        var role = await Iam.CreateRoleAsync("app", TrustLambda);
        await Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", AdminInline);

        var done = await RunAsync(Step("iam:DeleteRolePolicy", role.Arn, new() { ["RoleName"] = "app", ["PolicyName"] = "admin" }));

        Assert.Empty(await Iam.ListRolePoliciesAsync("app"));
        Assert.True(StepStates.TryReadString(done.Before, StepStates.PolicyDocument, out var before));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(AdminInline), JsonNode.Parse(before!)));
        await UndoAsync(done);
        var restored = await Iam.GetInlinePolicyAsync(IamPrincipal.Role("app"), "admin");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(AdminInline), JsonNode.Parse(restored.Document)));
    }

    [Fact]
    public async Task Deleting_an_inline_policy_that_is_already_gone_is_done_with_a_note()
    {
        var role = await Iam.CreateRoleAsync("app", TrustLambda);

        var done = await RunAsync(Step("iam:DeleteRolePolicy", role.Arn, new() { ["RoleName"] = "app", ["PolicyName"] = "admin" }));

        Assert.Null(done.Error);
        Assert.Contains("already gone", done.After, StringComparison.Ordinal);
        Assert.Empty(UndoOf(done));
    }

    [Fact]
    public async Task Inline_policy_is_put_back_to_an_earlier_document_and_undo_restores_the_offending_one()
    {
        var user = await Iam.CreateUserAsync("alice");
        await Iam.PutInlinePolicyAsync(IamPrincipal.User("alice"), "p", AdminInline);

        var done = await RunAsync(Step("iam:PutUserPolicy", user.Arn, new() { ["UserName"] = "alice", ["PolicyName"] = "p", ["PolicyDocument"] = DenyAll }));

        Assert.Contains("Deny", (await Iam.GetInlinePolicyAsync(IamPrincipal.User("alice"), "p")).Document, StringComparison.Ordinal);
        await UndoAsync(done);
        Assert.Contains("Allow", (await Iam.GetInlinePolicyAsync(IamPrincipal.User("alice"), "p")).Document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdministratorAccess_is_detached_from_a_role_and_attached_again_by_undo()
    {
        var role = await Iam.CreateRoleAsync("app", TrustLambda);
        await Iam.AttachPolicyAsync(IamPrincipal.Role("app"), AdministratorAccess);

        var done = await RunAsync(Step("iam:DetachRolePolicy", role.Arn, new() { ["RoleName"] = "app", ["PolicyArn"] = AdministratorAccess }));

        Assert.Empty(await Iam.ListAttachedPoliciesAsync(IamPrincipal.Role("app")));
        await UndoAsync(done);
        Assert.Equal([AdministratorAccess], (await Iam.ListAttachedPoliciesAsync(IamPrincipal.Role("app"))).Select(p => p.PolicyArn));
    }

    [Theory]
    [InlineData("User")]
    [InlineData("Group")]
    public async Task Quarantine_policy_is_attached_to_a_user_or_group_and_detached_by_undo(string kind)
    {
        var quarantine = await Iam.CreatePolicyAsync("deny-all", DenyAll);
        var principal = kind == "User" ? IamPrincipal.User("x") : IamPrincipal.Group("x");
        var arn = kind == "User" ? (await Iam.CreateUserAsync("x")).Arn : (await Iam.CreateGroupAsync("x")).Arn;

        var done = await RunAsync(Step($"iam:Attach{kind}Policy", arn, new() { [kind + "Name"] = "x", ["PolicyArn"] = quarantine.Arn }, ActionNames.Quarantine));

        Assert.Equal([quarantine.Arn], (await Iam.ListAttachedPoliciesAsync(principal)).Select(p => p.PolicyArn));
        await UndoAsync(done);
        Assert.Empty(await Iam.ListAttachedPoliciesAsync(principal));
    }

    [Fact]
    public async Task Role_permissions_boundary_is_set_and_removed_by_undo()
    {
        var quarantine = await Iam.CreatePolicyAsync("deny-all", DenyAll);
        var role = await Iam.CreateRoleAsync("app", TrustLambda);

        var done = await RunAsync(Step("iam:PutRolePermissionsBoundary", role.Arn, new() { ["RoleName"] = "app", ["PermissionsBoundary"] = quarantine.Arn }, ActionNames.Quarantine));

        Assert.Equal(quarantine.Arn, (await Iam.GetRoleAsync("app")).PermissionsBoundaryArn);
        await UndoAsync(done);
        Assert.Null((await Iam.GetRoleAsync("app")).PermissionsBoundaryArn);
    }

    [Fact]
    public async Task User_permissions_boundary_moto_lacks_it_so_the_signed_request_is_checked_against_botocore()
    {
        // moto 5.2.1 does not implement PutUserPermissionsBoundary: that one call is answered here and checked
        // against the model; the reads around it go to moto, which still shows no boundary, so the step is done, not verified.
        var handler = new InterceptingHandler((_, body) => body.Contains("Action=PutUserPermissionsBoundary", StringComparison.Ordinal),
            "<PutUserPermissionsBoundaryResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutUserPermissionsBoundaryResponse>");
        using var aws = Clients(Moto.Endpoint, handler);
        var user = await aws.Iam.CreateUserAsync("alice");

        var result = await new AwsStepExecutor(aws).ExecuteAsync(
            Step("iam:PutUserPermissionsBoundary", user.Arn, new() { ["UserName"] = "alice", ["PermissionsBoundary"] = "arn:aws:iam::123456789012:policy/deny-all" }, ActionNames.Quarantine), default);

        var request = Assert.Single(handler.Intercepted);
        ModelContract.AssertMatches(BotocoreModel.Load("iam"), "PutUserPermissionsBoundary", request, signingRegion: "us-east-1");
        Assert.Equal(ActionOutcome.Done, result.Outcome);
        Assert.True(StepStates.TryReadString(result.Before, StepStates.PermissionsBoundary, out var before));
        Assert.Null(before);
        Assert.Equal("iam:DeleteUserPermissionsBoundary", Assert.Single(UndoOf(result)).Operation);
    }

    [Fact]
    public async Task Default_policy_version_is_set_back_and_undo_makes_the_offending_one_default_again()
    {
        var policy = await Iam.CreatePolicyAsync("app", DenyAll);
        await Iam.CreatePolicyVersionAsync(policy.Arn, AdminInline, setAsDefault: true);

        var done = await RunAsync(Step("iam:SetDefaultPolicyVersion", policy.Arn, new() { ["PolicyArn"] = policy.Arn, ["VersionId"] = "v1" }));

        Assert.Equal("v1", (await Iam.GetPolicyAsync(policy.Arn)).DefaultVersionId);
        await UndoAsync(done);
        Assert.Equal("v2", (await Iam.GetPolicyAsync(policy.Arn)).DefaultVersionId);
    }

    [Fact]
    public async Task Public_trust_policy_is_replaced_and_undo_restores_it()
    {
        var role = await Iam.CreateRoleAsync("app", TrustAnyone);

        var done = await RunAsync(Step("iam:UpdateAssumeRolePolicy", role.Arn, new() { ["RoleName"] = "app", ["PolicyDocument"] = TrustLambda }));

        Assert.Contains("lambda.amazonaws.com", (await Iam.GetRoleAsync("app")).AssumeRolePolicyDocument, StringComparison.Ordinal);
        await UndoAsync(done);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(TrustAnyone), JsonNode.Parse((await Iam.GetRoleAsync("app")).AssumeRolePolicyDocument)));
    }

    [Fact]
    public async Task Role_tag_is_written_and_removed_by_undo_keeping_the_others()
    {
        var role = await Iam.CreateRoleAsync("app", TrustLambda);
        await Iam.TagRoleAsync("app", new Dictionary<string, string> { ["owner"] = "team-a" });

        var done = await RunAsync(Step("iam:TagRole", role.Arn,
            new() { ["RoleName"] = "app", ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "remediator:finding", ["Value"] = "admin" }) }, ActionNames.Tag));

        Assert.Equal("admin", (await Iam.ListRoleTagsAsync("app"))["remediator:finding"]);
        await UndoAsync(done);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a" }, await Iam.ListRoleTagsAsync("app"));
    }

    [Fact]
    public async Task Public_bus_statement_is_removed_and_undo_puts_the_policy_back()
    {
        var busArn = await Aws.EventBridge.CreateEventBusAsync("orders");
        await Aws.EventBridge.PutPermissionAsync("orders", new EventBusPermission("public", "*"));
        await Aws.EventBridge.PutPermissionAsync("orders", new EventBusPermission("partner", "111122223333"));

        var done = await RunAsync(Step("events:RemovePermission", busArn, new() { ["EventBusName"] = "orders", ["StatementId"] = "public" }));

        var policy = (await Aws.EventBridge.DescribeEventBusAsync("orders")).Policy;
        Assert.DoesNotContain("\"public\"", policy, StringComparison.Ordinal);
        Assert.Contains("\"partner\"", policy, StringComparison.Ordinal);
        await UndoAsync(done);
        Assert.Contains("\"public\"", (await Aws.EventBridge.DescribeEventBusAsync("orders")).Policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bus_policy_form_moto_lacks_it_so_the_signed_request_is_checked_and_the_step_is_not_claimed_verified()
    {
        // moto merges a PutPermission policy into the existing statements instead of replacing the policy: that call
        // is answered here and checked against the model; moto still shows the public statement, so the step is done, not verified.
        var handler = new InterceptingHandler(
            (request, body) => request.Headers.TryGetValues("X-Amz-Target", out var target) && target.Single() == "AWSEvents.PutPermission" && body.Contains("\"Policy\"", StringComparison.Ordinal),
            "{}");
        using var aws = Clients(Moto.Endpoint, handler);
        var busArn = await aws.EventBridge.CreateEventBusAsync("orders");
        await aws.EventBridge.PutPermissionAsync("orders", new EventBusPermission("public", "*"));
        var safe = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"events:PutEvents","Resource":"{{busArn}}"}]}""";

        var result = await new AwsStepExecutor(aws).ExecuteAsync(Step("events:PutPermission", busArn, new() { ["EventBusName"] = "orders", ["Policy"] = safe }), default);

        var request = Assert.Single(handler.Intercepted);
        ModelContract.AssertMatches(BotocoreModel.Load("events"), "PutPermission", request, TestAws.Region);
        Assert.Contains("partner", request.Body, StringComparison.Ordinal);
        Assert.Equal(ActionOutcome.Done, result.Outcome);
        Assert.True(StepStates.TryReadString(result.Before, StepStates.Policy, out var before));
        Assert.Contains("\"public\"", before, StringComparison.Ordinal);
        var undo = Assert.Single(UndoOf(result));
        Assert.Equal(("events:PutPermission", before), (undo.Operation, StepParameters.String(undo.Parameters, "Policy")));
    }

    [Fact]
    public async Task Removing_every_statement_of_a_bus_then_undo_restores_them()
    {
        var busArn = await Aws.EventBridge.CreateEventBusAsync("orders");
        await Aws.EventBridge.PutPermissionAsync("orders", new EventBusPermission("public", "*"));

        var done = await RunAsync(Step("events:RemovePermission", busArn, new() { ["EventBusName"] = "orders", ["RemoveAllPermissions"] = true }));

        Assert.Null((await Aws.EventBridge.DescribeEventBusAsync("orders")).Policy);
        await UndoAsync(done);
        Assert.Contains("\"public\"", (await Aws.EventBridge.DescribeEventBusAsync("orders")).Policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bus_tag_is_written_and_removed_by_undo()
    {
        var busArn = await Aws.EventBridge.CreateEventBusAsync("orders");

        var done = await RunAsync(Step("events:TagResource", busArn,
            new() { ["ResourceARN"] = busArn, ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "remediated", ["Value"] = "yes" }) }, ActionNames.Tag));

        Assert.Equal("yes", (await Aws.EventBridge.ListTagsForResourceAsync(busArn))["remediated"]);
        await UndoAsync(done);
        Assert.Empty(await Aws.EventBridge.ListTagsForResourceAsync(busArn));
    }

    [Fact]
    public async Task Lambda_timeout_of_900_is_lowered_and_undo_sets_it_back()
    {
        var role = await Iam.CreateRoleAsync("fn-role", TrustLambda);
        var function = await Aws.Lambda.CreateFunctionAsync("orders", role.Arn, "python3.12", "index.handler", Zip("index.py", "def handler(e, c):\n    return e\n"), 900);

        var done = await RunAsync(Step("lambda:UpdateFunctionConfiguration", function.FunctionArn, new() { ["FunctionName"] = function.FunctionArn, ["Timeout"] = 30 }));

        Assert.Equal(30, (await Aws.Lambda.GetFunctionConfigurationAsync("orders")).Timeout);
        await UndoAsync(done);
        Assert.Equal(900, (await Aws.Lambda.GetFunctionConfigurationAsync("orders")).Timeout);
    }

    [Fact]
    public async Task Lambda_tag_is_written_and_removed_by_undo()
    {
        var role = await Iam.CreateRoleAsync("fn-role", TrustLambda);
        var function = await Aws.Lambda.CreateFunctionAsync("orders", role.Arn, "python3.12", "index.handler", Zip("index.py", "x = 1\n"), 3);

        var done = await RunAsync(Step("lambda:TagResource", function.FunctionArn,
            new() { ["Resource"] = function.FunctionArn, ["Tags"] = new JsonObject { ["remediated"] = "yes" } }, ActionNames.Tag));

        Assert.Equal("yes", (await Aws.Lambda.ListTagsAsync(function.FunctionArn))["remediated"]);
        await UndoAsync(done);
        Assert.False((await Aws.Lambda.ListTagsAsync(function.FunctionArn)).ContainsKey("remediated"));
    }

    [Fact]
    public async Task Http_api_integration_timeout_is_lowered_and_undo_sets_it_back()
    {
        var api = await Aws.ApiGatewayV2.CreateApiAsync("orders");
        var integration = await Aws.ApiGatewayV2.CreateIntegrationAsync(api.ApiId, "https://example.com/", 30000);

        var done = await RunAsync(Step("apigateway:UpdateIntegration", $"arn:aws:apigateway:{TestAws.Region}::/apis/{api.ApiId}/integrations/{integration.IntegrationId}",
            new() { ["ApiId"] = api.ApiId, ["IntegrationId"] = integration.IntegrationId, ["TimeoutInMillis"] = 10000, ["PreviousTimeoutInMillis"] = 30000 }));

        Assert.Equal(10000, (await Aws.ApiGatewayV2.GetIntegrationAsync(api.ApiId, integration.IntegrationId)).TimeoutInMillis);
        await UndoAsync(done);
        Assert.Equal(30000, (await Aws.ApiGatewayV2.GetIntegrationAsync(api.ApiId, integration.IntegrationId)).TimeoutInMillis);
    }

    [Fact]
    public async Task Rest_update_integration_moto_lacks_it_so_the_signed_request_is_checked_and_the_redeploy_runs_on_moto()
    {
        // moto answers REST update-integration with 500: that call is answered here and checked against the model.
        var handler = new InterceptingHandler((request, _) => request.Method == HttpMethod.Patch, "{}");
        using var aws = Clients(Moto.Endpoint, handler);
        var api = await aws.ApiGateway.CreateRestApiAsync("orders");
        var root = api.RootResourceId!;
        await aws.ApiGateway.PutMethodAsync(api.Id, root, "GET");
        await aws.ApiGateway.PutIntegrationAsync(api.Id, root, "GET", "https://example.com/", 29000);
        await aws.ApiGateway.CreateDeploymentAsync(api.Id, "prod");
        var executor = new AwsStepExecutor(aws);
        var update = Step("apigateway:UpdateIntegration", $"arn:aws:apigateway:{TestAws.Region}::/restapis/{api.Id}/resources/{root}/methods/GET/integration", new()
        {
            ["restApiId"] = api.Id,
            ["resourceId"] = root,
            ["httpMethod"] = "GET",
            ["patchOperations"] = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/timeoutInMillis", ["value"] = "10000" }),
        });
        var deploy = Step("apigateway:CreateDeployment", $"arn:aws:apigateway:{TestAws.Region}::/restapis/{api.Id}/deployments", new() { ["restApiId"] = api.Id, ["stageName"] = null });

        var results = await RunAllAsync(executor, [update, deploy]);

        ModelContract.AssertMatches(BotocoreModel.Load("apigateway"), "UpdateIntegration", Assert.Single(handler.Intercepted), TestAws.Region);
        Assert.Equal(ActionOutcome.Done, results[0].Outcome);
        Assert.True(StepStates.TryReadInt(results[0].Before, StepStates.TimeoutInMillis, out var before));
        Assert.Equal(29000, before);
        Succeeded(results[1]);
        Assert.True(StepStates.TryReadMap(results[1].After, StepStates.Stages, out var stages));
        Assert.Equal(["prod"], stages.Keys);
        Assert.Equal(["apigateway:UpdateIntegration", "apigateway:CreateDeployment"], UndoOf(results.ToArray()).Select(s => s.Operation));
    }

    [Fact]
    public async Task Table_encryption_moto_lacks_it_so_the_step_is_done_not_verified_and_undo_plans_the_aws_owned_key()
    {
        // moto accepts UpdateTable's SSESpecification and ignores it: the executor must not claim it took.
        await Aws.DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = "orders",
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        var tableArn = (await Aws.DynamoDb.DescribeTableAsync("orders")).Table.TableArn;

        var result = await Executor.ExecuteAsync(Step("dynamodb:UpdateTable", tableArn, new()
        {
            ["TableName"] = "orders",
            ["SSESpecification"] = new JsonObject { ["Enabled"] = true, ["SSEType"] = "KMS", ["KMSMasterKeyId"] = "alias/aws/dynamodb" },
        }), default);

        Assert.Equal(ActionOutcome.Done, result.Outcome);
        Assert.Contains("asynchronously", result.After, StringComparison.Ordinal);
        Assert.True(StepStates.TryRead(result.Before, StepStates.SseDescription, out var before));
        Assert.Null(before);
        var undo = Assert.Single(UndoOf(result));
        Assert.Equal("""{"Enabled":false}""", undo.Parameters["SSESpecification"]!.ToJsonString());
        Succeeded(await Executor.ExecuteAsync(undo, default), ActionOutcome.Verified);
    }

    [Fact]
    public async Task Table_tag_is_written_and_removed_by_undo()
    {
        await Aws.DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = "orders",
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        var tableArn = (await Aws.DynamoDb.DescribeTableAsync("orders")).Table.TableArn;

        var done = await RunAsync(Step("dynamodb:TagResource", tableArn,
            new() { ["ResourceArn"] = tableArn, ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "remediated", ["Value"] = "yes" }) }, ActionNames.Tag));

        Assert.Contains((await Aws.DynamoDb.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = tableArn })).Tags, t => t.Key == "remediated");
        await UndoAsync(done);
        Assert.Empty((await Aws.DynamoDb.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = tableArn })).Tags ?? []);
    }

    [Fact]
    public async Task A_refused_call_is_a_failed_step_naming_operation_and_resource()
    {
        var result = await Executor.ExecuteAsync(Step("iam:DetachRolePolicy", "arn:aws:iam::123456789012:role/missing", new() { ["RoleName"] = "missing", ["PolicyArn"] = AdministratorAccess }), default);

        Assert.Equal(ActionOutcome.Failed, result.Outcome);
        Assert.Contains("role/missing", result.Error, StringComparison.Ordinal);
        Assert.Contains("NoSuchEntity", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_operations_and_missing_parameters_fail_clearly_and_notifications_stay_planned()
    {
        var unknown = await Executor.ExecuteAsync(Step("s3:PutBucketPolicy", "arn:aws:s3:::b", []), default);
        var missing = await Executor.ExecuteAsync(Step("lambda:UpdateFunctionConfiguration", "f", new() { ["FunctionName"] = "f" }), default);
        var notify = await Executor.ExecuteAsync(Step("notify:slack", "r", [], ActionNames.Notify), default);

        Assert.Equal(ActionOutcome.Failed, unknown.Outcome);
        Assert.StartsWith("s3:PutBucketPolicy on arn:aws:s3:::b: unknown operation", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ActionOutcome.Failed, missing.Outcome);
        Assert.Contains("parameter 'Timeout'", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ActionOutcome.Planned, notify.Outcome);
    }

    [Fact]
    public async Task A_cancelled_token_is_thrown_not_recorded()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Executor.ExecuteAsync(Step("iam:DeleteRolePolicy", "r", new() { ["RoleName"] = "app", ["PolicyName"] = "p" }), cancelled.Token));
    }
}
