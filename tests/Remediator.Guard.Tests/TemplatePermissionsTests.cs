using System.IO.Compression;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediator.Aws.EventBridge;
using Remediator.Aws.Iam;
using Remediator.Aws.State;
using Remediator.Aws.Audit;
using Remediator.Core.Audit;
using Remediator.Core.Operations;
using Remediator.Operations;

namespace Remediator.Guard.Tests;

/// <summary>
/// Least privilege, checked against behaviour: each guard remediates a real offending resource on moto while every
/// request it sends is recorded, and every IAM action behind those requests must be granted to that guard's own role
/// in serverless.template — and granted to no other guard's role unless that concern calls it too.
/// (Resource scoping of each grant is the template tests' business; this test is about the actions.)
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class TemplatePermissionsTests(MotoServer moto) : GuardMotoTests(moto)
{
    private const string Account = "123456789012";

    private static readonly Dictionary<string, string> RoleOf = new(StringComparer.Ordinal)
    {
        [Concerns.IamBroadPermissions] = "IamGuardRole",
        [Concerns.PublicEventBus] = "EventBusGuardRole",
        [Concerns.MissingTimeout] = "TimeoutGuardRole",
        [Concerns.UnencryptedTable] = "TableGuardRole",
    };

    [Theory]
    [InlineData(Concerns.IamBroadPermissions, "inline")]
    [InlineData(Concerns.IamBroadPermissions, "attached")]
    [InlineData(Concerns.IamBroadPermissions, "user")]
    [InlineData(Concerns.IamBroadPermissions, "trust-not-in-event")]
    [InlineData(Concerns.PublicEventBus, "")]
    [InlineData(Concerns.MissingTimeout, "")]
    [InlineData(Concerns.UnencryptedTable, "")]
    public async Task Every_action_a_guard_calls_is_granted_to_its_role(string concern, string variant)
    {
        var recorder = new PermissionRecorder();
        var envelope = await OffendingResourceAsync(concern, variant);
        var overrides = Overrides(Moto) with { InnerHandler = recorder.Handler(), DynamoDb = MotoDynamoDb(Moto.Endpoint, recorder.Observe) };
        GuardResult result;
        using (var guard = GuardFunction.Create(Settings(concern), overrides))
        {
            result = await guard.HandleAsync(Encoding.UTF8.GetBytes(envelope), Invocation().Invocation, default);
            if (variant == "trust-not-in-event")
            {
                // No revert exists (IAM keeps no earlier trust policy): the read-back itself is what is checked here.
                Assert.Contains(result.Records, r => r.Rule == "iam-public-trust");
                Assert.Contains("iam:GetRole", recorder.Actions);
            }
            else
            {
                Assert.Contains(result.Records, r => r.Outcome is "applied" or "partially-applied");
            }
        }

        var granted = TemplateRoles.GrantedActions(RoleOf[concern]);
        Assert.NotEmpty(recorder.Actions);
        Assert.All(recorder.Actions, action => Assert.True(granted.Contains(action), $"{RoleOf[concern]} lacks {action}, which the {concern} guard calls"));

        // The catalogue says the same: every operation the guard carried out has its permissions granted.
        using var dynamo = MotoDynamoDb(Moto.Endpoint);
        var store = new DynamoDbAuditStore(dynamo, AuditTable);
        var steps = new List<AuditAction>();
        foreach (var outcome in result.Records)
        {
            steps.AddRange((await store.GetAsync(outcome.Id))!.Actions.Where(a => !a.IsNotification));
        }

        Assert.True(steps.Count > 0 || variant == "trust-not-in-event");
        Assert.All(steps, step =>
        {
            var operation = OperationCatalogue.Find(step.Operation, step.Parameters);
            Assert.NotNull(operation);
            Assert.All(operation.Permissions.Concat(operation.ReadPermissions),
                action => Assert.True(granted.Contains(action), $"{RoleOf[concern]} lacks {action}, which the catalogue says {operation.Name} needs"));
        });
    }

    [Theory]
    [InlineData(Concerns.IamBroadPermissions, "inline")]
    [InlineData(Concerns.IamBroadPermissions, "attached")]
    [InlineData(Concerns.PublicEventBus, "")]
    [InlineData(Concerns.MissingTimeout, "")]
    [InlineData(Concerns.UnencryptedTable, "")]
    public async Task Every_action_the_sweep_calls_is_granted_to_its_role(string concern, string variant)
    {
        var recorder = new PermissionRecorder();
        await OffendingResourceAsync(concern, variant);
        var sqs = new Amazon.SQS.AmazonSQSClient(Credentials, new Amazon.SQS.AmazonSQSConfig { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = Region });
        var queue = (await sqs.CreateQueueAsync("sweep-units")).QueueUrl;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GuardSettings.AuditTableVariable] = AuditTable,
            [GuardSettings.RegionVariable] = Region,
            [SweepFunction.QueueUrlVariable] = queue,
            [GuardSettings.AccountIdVariable] = MotoServer.AccountId,
        };
        var overrides = Overrides(Moto) with { InnerHandler = recorder.Handler(), DynamoDb = MotoDynamoDb(Moto.Endpoint, recorder.Observe) };
        using (var sweep = SweepFunction.Create(name => environment.GetValueOrDefault(name), overrides, sqs))
        {
            var body = System.Text.Json.JsonSerializer.Serialize($$"""{"account":0,"concern":"{{concern}}","startAt":0}""");
            var unit = $$"""{"Records":[{"body":{{body}}}]}""";
            var reply = System.Text.Json.JsonDocument.Parse(await sweep.HandleAsync(Encoding.UTF8.GetBytes(unit), Invocation().Invocation, default));
            Assert.True(reply.RootElement[0].GetProperty("applied").GetInt32() >= 1, reply.RootElement.ToString());
        }

        var granted = TemplateRoles.GrantedActions("SweepRole");
        Assert.NotEmpty(recorder.Actions);
        Assert.All(recorder.Actions, action => Assert.True(granted.Contains(action), $"SweepRole lacks {action}, which the sweep of {concern} calls"));
    }

    /// <summary>Creates the offending resource on moto and returns the CloudTrail envelope of the change.</summary>
    private async Task<string> OffendingResourceAsync(string concern, string variant)
    {
        using var aws = new AwsClients(new AwsClientOptions { Region = Region, EndpointUrl = Moto.Endpoint }, new AwsTransportSettings { Credentials = Credentials, Environment = _ => null }, MotoDynamoDb(Moto.Endpoint));
        const string admin = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
        switch (concern)
        {
            case Concerns.IamBroadPermissions when variant == "attached":
                const string administrator = "arn:aws:iam::aws:policy/AdministratorAccess";
                await aws.Iam.CreateRoleAsync("app", TrustLambda);
                await aws.Iam.AttachPolicyAsync(IamPrincipal.Role("app"), administrator);
                return Envelope("iam", "AttachRolePolicy", new JsonObject { ["roleName"] = "app", ["policyArn"] = administrator });
            case Concerns.IamBroadPermissions when variant == "user":
                // A user judged as a whole: its own policies and its group's inline and attached ones are read.
                await aws.Iam.CreateUserAsync("alice");
                await aws.Iam.CreateGroupAsync("devs");
                await aws.Iam.AddUserToGroupAsync("devs", "alice");
                await aws.Iam.PutInlinePolicyAsync(IamPrincipal.Group("devs"), "team", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""");
                await aws.Iam.AttachPolicyAsync(IamPrincipal.Group("devs"), "arn:aws:iam::aws:policy/ReadOnlyAccess");
                await aws.Iam.PutInlinePolicyAsync(IamPrincipal.User("alice"), "admin", admin);
                return Envelope("iam", "PutUserPolicy", new JsonObject { ["userName"] = "alice", ["policyName"] = "admin", ["policyDocument"] = admin });
            case Concerns.IamBroadPermissions when variant == "trust-not-in-event":
                const string trustAnyone = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""";
                await aws.Iam.CreateRoleAsync("app", trustAnyone);
                return Envelope("iam", "UpdateAssumeRolePolicy", new JsonObject { ["roleName"] = "app" });
            case Concerns.IamBroadPermissions:
                await aws.Iam.CreateRoleAsync("app", TrustLambda);
                await aws.Iam.PutInlinePolicyAsync(IamPrincipal.Role("app"), "admin", admin);
                return Envelope("iam", "PutRolePolicy", new JsonObject { ["roleName"] = "app", ["policyName"] = "admin", ["policyDocument"] = admin });
            case Concerns.PublicEventBus:
                await aws.EventBridge.PutPermissionAsync("default", new EventBusPermission("public", "*"));
                return Envelope("events", "PutPermission", new JsonObject { ["action"] = "events:PutEvents", ["principal"] = "*", ["statementId"] = "public" });
            case Concerns.MissingTimeout:
                var role = await aws.Iam.CreateRoleAsync("fn-role", TrustLambda);
                var function = await aws.Lambda.CreateFunctionAsync("orders", role.Arn, "python3.12", "index.handler", Zip(), 900);
                return Envelope("lambda", "UpdateFunctionConfiguration20150331v2", new JsonObject { ["functionName"] = "orders", ["timeout"] = 900 },
                    new JsonObject { ["functionName"] = "orders", ["functionArn"] = function.FunctionArn, ["timeout"] = 900 });
            default:
                await aws.DynamoDb.CreateTableAsync(new CreateTableRequest
                {
                    TableName = "orders",
                    AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
                    KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                });
                return Envelope("dynamodb", "CreateTable", new JsonObject { ["tableName"] = "orders" });
        }
    }

    private static string Envelope(string service, string name, JsonObject request, JsonObject? response = null) =>
        new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = "aws." + service,
            ["account"] = Account,
            ["region"] = Region,
            ["detail"] = new JsonObject
            {
                ["eventSource"] = service + ".amazonaws.com",
                ["eventName"] = name,
                ["eventID"] = Guid.NewGuid().ToString(),
                ["eventTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["awsRegion"] = Region,
                ["recipientAccountId"] = Account,
                ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = $"arn:aws:iam::{Account}:user/alice" },
                ["requestParameters"] = request,
                ["responseElements"] = response,
            },
        }.ToJsonString();

    private static byte[] Zip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("index.py").Open();
            entry.Write(Encoding.UTF8.GetBytes("def handler(e, c):\n    return e\n"));
        }

        return buffer.ToArray();
    }
}
