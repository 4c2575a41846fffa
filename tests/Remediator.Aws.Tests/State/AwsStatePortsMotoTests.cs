using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CreateKeyRequest = Amazon.KeyManagementService.Model.CreateKeyRequest;
using Remediator.Aws.EventBridge;
using Remediator.Aws.Iam;
using Remediator.Core.Ports;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.State;

/// <summary>Every state port on moto: live values, null for what does not exist, other errors propagated.</summary>
[Collection(MotoCollection.Name)]
public sealed class AwsStatePortsMotoTests(MotoServer moto) : MotoTests(moto)
{
    private ResourceStatePorts? _ports;

    private ResourceStatePorts Ports => _ports ??= AwsStatePorts.Create(Aws);

    private async Task<string> CreateTableAsync(string name, SSESpecification? sse = null)
    {
        await Aws.DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
            SSESpecification = sse,
        });
        return (await Aws.DynamoDb.DescribeTableAsync(name)).Table.TableArn;
    }

    [Fact]
    public async Task Iam_default_version_of_an_aws_managed_policy_is_read_and_decoded()
    {
        var version = await Ports.Iam.GetPolicyDefaultVersionAsync(AdministratorAccess, default);

        Assert.NotNull(version);
        Assert.Equal(AdministratorAccess, version.PolicyArn);
        Assert.Contains("\"Action\"", version.Document, StringComparison.Ordinal);
        Assert.DoesNotContain("%22", version.Document, StringComparison.Ordinal);
        Assert.Null(await Ports.Iam.GetPolicyDefaultVersionAsync("arn:aws:iam::123456789012:policy/missing", default));
    }

    [Fact]
    public async Task Iam_previous_default_version_is_answered_only_when_certain()
    {
        var two = await Aws.Iam.CreatePolicyAsync("two", DenyAll);
        await Aws.Iam.CreatePolicyVersionAsync(two.Arn, AdminInline, setAsDefault: true);
        var three = await Aws.Iam.CreatePolicyAsync("three", DenyAll);
        await Aws.Iam.CreatePolicyVersionAsync(three.Arn, DenyAll, setAsDefault: false);
        await Aws.Iam.CreatePolicyVersionAsync(three.Arn, AdminInline, setAsDefault: true);
        var later = DateTimeOffset.UtcNow.AddMinutes(5);

        Assert.Equal("v1", await Ports.Iam.GetPreviousDefaultVersionIdAsync(two.Arn, later, default));
        Assert.Null(await Ports.Iam.GetPreviousDefaultVersionIdAsync(two.Arn, DateTimeOffset.UtcNow.AddDays(-1), default));
        Assert.Null(await Ports.Iam.GetPreviousDefaultVersionIdAsync(two.Arn, null, default));
        Assert.Null(await Ports.Iam.GetPreviousDefaultVersionIdAsync(three.Arn, later, default));
        Assert.Null(await Ports.Iam.GetPreviousDefaultVersionIdAsync("arn:aws:iam::123456789012:policy/missing", later, default));
    }

    [Fact]
    public async Task Iam_keeps_no_history_of_inline_or_trust_documents_so_those_are_unknown()
    {
        await Aws.Iam.CreateRoleAsync("app", TrustAnyone);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "p", AdminInline);

        Assert.Null(await Ports.Iam.GetPreviousInlinePolicyAsync(Core.Ports.IamPrincipalKind.Role, "app", "p", DateTimeOffset.UtcNow, default));
        Assert.Null(await Ports.Iam.GetPreviousAssumeRolePolicyAsync("app", DateTimeOffset.UtcNow, default));
    }

    [Fact]
    public async Task Iam_a_users_inline_and_attached_policies_and_groups_are_listed_and_a_groups_own()
    {
        var managed = await Aws.Iam.CreatePolicyAsync("compute", DenyAll);
        await Aws.Iam.CreateUserAsync("alice");
        await Aws.Iam.CreateGroupAsync("devs");
        await Aws.Iam.CreateGroupAsync("ops");
        await Aws.Iam.AddUserToGroupAsync("devs", "alice");
        await Aws.Iam.AddUserToGroupAsync("ops", "alice");
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.User("alice"), "own", AdminInline);
        await Aws.Iam.AttachPolicyAsync(IamPrincipal.User("alice"), AdministratorAccess);
        await Aws.Iam.PutInlinePolicyAsync(IamPrincipal.Group("devs"), "team", DenyAll);
        await Aws.Iam.AttachPolicyAsync(IamPrincipal.Group("devs"), managed.Arn);

        var user = await Ports.Iam.GetPrincipalPoliciesAsync(Core.Ports.IamPrincipalKind.User, "alice", default);
        var group = await Ports.Iam.GetPrincipalPoliciesAsync(Core.Ports.IamPrincipalKind.Group, "devs", default);

        Assert.NotNull(user);
        Assert.Equal(["own"], user.InlinePolicyNames);
        Assert.Equal([AdministratorAccess], user.AttachedPolicyArns);
        Assert.Equal(["devs", "ops"], user.Groups.Order(StringComparer.Ordinal));
        Assert.NotNull(group);
        Assert.Equal(["team"], group.InlinePolicyNames);
        Assert.Equal([managed.Arn], group.AttachedPolicyArns);
        Assert.Empty(group.Groups);
        Assert.Contains("\"Deny\"", await Ports.Iam.GetInlinePolicyAsync(Core.Ports.IamPrincipalKind.Group, "devs", "team", default), StringComparison.Ordinal);
        // A principal that does not exist is unknown, never "has no policies".
        Assert.Null(await Ports.Iam.GetPrincipalPoliciesAsync(Core.Ports.IamPrincipalKind.User, "nobody", default));
        Assert.Null(await Ports.Iam.GetPrincipalPoliciesAsync(Core.Ports.IamPrincipalKind.Group, "nobody", default));
    }

    [Fact]
    public async Task Iam_current_trust_policy_is_read_decoded_and_null_for_a_missing_role()
    {
        await Aws.Iam.CreateRoleAsync("app", TrustAnyone);

        var trust = await Ports.Iam.GetAssumeRolePolicyAsync("app", default);

        Assert.NotNull(trust);
        Assert.Contains("\"Principal\"", trust, StringComparison.Ordinal);
        Assert.DoesNotContain("%22", trust, StringComparison.Ordinal);
        Assert.Null(await Ports.Iam.GetAssumeRolePolicyAsync("missing", default));
    }

    [Fact]
    public async Task Event_bus_policy_is_read_none_when_absent_and_null_for_a_missing_bus()
    {
        await Aws.EventBridge.CreateEventBusAsync("orders");
        var without = await Ports.EventBus.GetPolicyAsync("orders", default);
        await Aws.EventBridge.PutPermissionAsync("orders", new EventBusPermission("public", "*"));

        var with = await Ports.EventBus.GetPolicyAsync("orders", default);

        Assert.NotNull(without);
        Assert.Null(without.PolicyDocument);
        Assert.Contains("\"public\"", with!.PolicyDocument, StringComparison.Ordinal);
        Assert.Null(await Ports.EventBus.GetPolicyAsync("missing", default));
    }

    [Fact]
    public async Task Lambda_timeout_is_read_and_null_for_a_missing_function()
    {
        var role = await Aws.Iam.CreateRoleAsync("fn-role", TrustLambda);
        var function = await Aws.Lambda.CreateFunctionAsync("orders", role.Arn, "python3.12", "index.handler", Zip("index.py", "x = 1\n"), 900);

        Assert.Equal(900, await Ports.Lambda.GetFunctionTimeoutAsync(function.FunctionArn, default));
        Assert.Null(await Ports.Lambda.GetFunctionTimeoutAsync("missing", default));
    }

    [Fact]
    public async Task Api_gateway_stages_and_both_integration_timeouts_are_read()
    {
        var api = await Aws.ApiGateway.CreateRestApiAsync("orders");
        await Aws.ApiGateway.PutMethodAsync(api.Id, api.RootResourceId!, "GET");
        await Aws.ApiGateway.PutIntegrationAsync(api.Id, api.RootResourceId!, "GET", "https://example.com/", 29000);
        await Aws.ApiGateway.CreateDeploymentAsync(api.Id, "prod");
        var http = await Aws.ApiGatewayV2.CreateApiAsync("orders-http");
        var integration = await Aws.ApiGatewayV2.CreateIntegrationAsync(http.ApiId, "https://example.com/", 30000);

        Assert.Equal(["prod"], await Ports.ApiGateway.GetStagesAsync(api.Id, default));
        Assert.Equal(29000, await Ports.ApiGateway.GetRestIntegrationTimeoutAsync(api.Id, api.RootResourceId!, "GET", default));
        Assert.Equal(30000, await Ports.ApiGateway.GetHttpIntegrationTimeoutAsync(http.ApiId, integration.IntegrationId, default));
        Assert.Null(await Ports.ApiGateway.GetHttpIntegrationTimeoutAsync(http.ApiId, "missing", default));
    }

    [Fact]
    public async Task Table_without_sse_uses_the_aws_owned_key_and_a_missing_table_is_null()
    {
        await CreateTableAsync("plain");

        Assert.Equal(TableEncryptionState.AwsOwnedKey, await Ports.DynamoDb.GetEncryptionAsync("plain", default));
        Assert.Null(await Ports.DynamoDb.GetEncryptionAsync("missing", default));
    }

    [Fact]
    public async Task Table_with_a_customer_key_reads_kms_and_describe_key_says_it_is_not_aws_managed()
    {
        var key = (await Aws.KeyManagement.CreateKeyAsync(new CreateKeyRequest { Description = "orders" })).KeyMetadata;
        await CreateTableAsync("orders", new SSESpecification { Enabled = true, SSEType = SSEType.KMS, KMSMasterKeyId = key.Arn });

        var state = await Ports.DynamoDb.GetEncryptionAsync("orders", default);

        Assert.NotNull(state);
        Assert.Equal(("KMS", key.Arn, (bool?)false), (state.SseType, state.KmsMasterKeyArn, state.KeyIsAwsManaged));
    }

    [Fact]
    public async Task Tags_are_read_per_resource_type_and_unknown_types_or_missing_resources_are_null()
    {
        var role = await Aws.Iam.CreateRoleAsync("app", TrustLambda);
        await Aws.Iam.TagRoleAsync("app", new Dictionary<string, string> { ["remediator:exempt"] = "2030-01-01" });
        var user = await Aws.Iam.CreateUserAsync("alice");
        var busArn = await Aws.EventBridge.CreateEventBusAsync("orders");
        await Aws.EventBridge.TagResourceAsync(busArn, new Dictionary<string, string> { ["owner"] = "team-a" });
        var function = await Aws.Lambda.CreateFunctionAsync("orders", role.Arn, "python3.12", "index.handler", Zip("index.py", "x = 1\n"), 3);
        await Aws.Lambda.TagResourceAsync(function.FunctionArn, new Dictionary<string, string> { ["owner"] = "team-b" });
        var tableArn = await CreateTableAsync("orders");
        await Aws.DynamoDb.TagResourceAsync(new TagResourceRequest { ResourceArn = tableArn, Tags = [new Tag { Key = "owner", Value = "team-c" }] });

        Assert.Equal("2030-01-01", (await Ports.Tags.GetTagsAsync(role.Arn, "AWS::IAM::Role", default))!["remediator:exempt"]);
        Assert.Empty((await Ports.Tags.GetTagsAsync(user.Arn, "AWS::IAM::User", default))!);
        Assert.Equal("team-a", (await Ports.Tags.GetTagsAsync(busArn, "AWS::Events::EventBus", default))!["owner"]);
        Assert.Equal("team-b", (await Ports.Tags.GetTagsAsync(function.FunctionArn, "AWS::Lambda::Function", default))!["owner"]);
        Assert.Equal("team-c", (await Ports.Tags.GetTagsAsync(tableArn, "AWS::DynamoDB::Table", default))!["owner"]);
        Assert.Null(await Ports.Tags.GetTagsAsync("arn:aws:iam::123456789012:role/missing", "AWS::IAM::Role", default));
        Assert.Null(await Ports.Tags.GetTagsAsync("arn:aws:s3:::bucket", "AWS::S3::Bucket", default));
    }

    [Fact]
    public async Task Errors_other_than_not_found_propagate()
    {
        // An endpoint that answers 403 AccessDenied for everything.
        using var server = new LoopbackServer(_ => (System.Net.HttpStatusCode.Forbidden,
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>", null));
        using var denied = new AwsClients(TestAws.Options(server.Endpoint, maxAttempts: 1), TestAws.Settings());

        var error = await Assert.ThrowsAsync<AwsServiceException>(async () => await AwsStatePorts.Create(denied).Tags.GetTagsAsync("arn:aws:iam::123456789012:role/app", "AWS::IAM::Role", default));

        Assert.Equal("AccessDenied", error.ErrorCode);
    }

    [Fact]
    public void Options_are_validated_when_the_clients_are_built()
    {
        Assert.Throws<ArgumentException>(() => new AwsClients(TestAws.Options() with { Region = "Not A Region" }, TestAws.Settings()));
    }
}
