using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Remediator.Aws;
using Remediator.Aws.EventBridge;
using Remediator.Notifier;
using Remediator.Notifier.Slack;
using Remediator.Runtime;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;
using Remediator.Aws.Iam;

namespace Remediator.Guard.Tests;

/// <summary>
/// The deployed shape on moto: the IAM guard's EventBridge rule exactly as serverless.template carries it (the
/// pattern `remediator synth` wrote), an SQS queue as its target standing in for the Lambda function, the CloudTrail
/// envelope put on the default bus, the queued message handed to the guard through the Runtime host, then the audit
/// table's stream read back from moto and given to the notifier, whose Slack message a local server captures.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class EndToEndMotoTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string WebhookParameter = "/remediator/slack-webhook";

    private readonly AmazonDynamoDBClient _dynamoDb = MotoDynamoDb(moto.Endpoint);
    private readonly AwsClientOptions _options = new() { Region = Region, EndpointUrl = moto.Endpoint };
    private IamClient? _iam;
    private EventBridgeClient? _events;
    private AmazonSQSClient? _sqs;
    private AmazonSimpleSystemsManagementClient? _ssm;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        var settings = new AwsTransportSettings { Credentials = GuardTestSupport.Credentials, Environment = _ => null };
        _iam = new IamClient(_options, settings);
        _events = new EventBridgeClient(_options, settings);
        _sqs = new AmazonSQSClient(GuardTestSupport.Credentials, new AmazonSQSConfig { ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = Region });
        _ssm = new AwsSdkClients(_options, GuardTestSupport.Credentials, _ => null).CreateSsm();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _dynamoDb.Dispose();
        _iam?.Dispose();
        _events?.Dispose();
        _sqs?.Dispose();
        _ssm?.Dispose();
    }

    [Fact]
    public async Task PutRolePolicy_allowing_everything_goes_from_the_bus_to_a_reverted_role_an_audit_record_and_a_slack_message()
    {
        // The account as deployed: the audit table with its stream (serverless.template: NEW_AND_OLD_IMAGES), the
        // webhook URL as a SecureString, and the role someone just gave Allow * on *.
        await CreateAuditTableAsync(_dynamoDb);
        await _dynamoDb.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = AuditTable,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        await using var webhook = new SlackStandIn();
        await _ssm!.PutParameterAsync(new PutParameterRequest { Name = WebhookParameter, Value = webhook.Url.ToString(), Type = ParameterType.SecureString });
        await _iam!.CreateRoleAsync("app-role", TrustLambda);
        await _iam.PutInlinePolicyAsync(IamPrincipal.Role("app-role"), "everything", AllowAll);

        // The IAM guard's rule on the default bus, with a queue where the function would be.
        var queueUrl = (await _sqs!.CreateQueueAsync("remediator-iam-guard-events")).QueueUrl;
        var queueArn = (await _sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        await _events!.PutRuleAsync("remediator-iam-guard", IamGuardRulePattern());
        Assert.Equal(0, await _events.PutTargetsAsync("remediator-iam-guard", [new EventTarget("iam-guard", queueArn)]));

        // CloudTrail's event as EventBridge receives it (moto accepts aws.iam as Source).
        var record = Rehome(File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "synthetic/iam/PutRolePolicy__admin_wildcard.json")));
        using (var bus = SignedJsonClient.EventBridge(moto.Endpoint))
        {
            // A failed call first: the synthesised pattern filters errorCode, so only the second entry reaches the queue.
            var failed = JsonNode.Parse(record)!.AsObject();
            failed["errorCode"] = "AccessDenied";
            failed["eventID"] = "5b9f0e6c-2d7a-4d6b-8f7e-6a1c2b3d4eff";
            var put = await bus.CallAsync("PutEvents", new JsonObject
            {
                ["Entries"] = new JsonArray(Entry(failed.ToJsonString()), Entry(JsonNode.Parse(record)!.ToJsonString())),
            });
            Assert.Equal(0, put["FailedEntryCount"]!.GetValue<int>());
        }

        var received = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 5, MaxNumberOfMessages = 10 });
        var message = Assert.Single(received.Messages);
        Assert.Contains("5b9f0e6c-2d7a-4d6b-8f7e-6a1c2b3d4e01", message.Body, StringComparison.Ordinal);

        // The guard, as Lambda would run it: its entry point on the Runtime host, the queued envelope as the payload.
        var response = await InvokeGuardAsync(message.Body);

        Assert.Empty(await _iam.ListRolePoliciesAsync("app-role"));
        var outcome = response.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "iam-admin-wildcard");
        Assert.Equal("applied", outcome.GetProperty("outcome").GetString());
        var items = await AuditItemsAsync(_dynamoDb);
        var audit = Assert.Single(items, i => i["id"].S == outcome.GetProperty("id").GetString());
        Assert.Equal("applied", audit["outcome"].S);

        // The audit table's stream, read from moto, is the notifier's event.
        var streamEvent = await ReadAuditStreamAsync();
        var notifier = new AuditStreamNotifier(
            new NotifierOptions { SlackParameterName = WebhookParameter }.Validated(),
            new SlackWebhookClient(new SsmWebhookUrlSource(_ssm, WebhookParameter, TimeSpan.FromMinutes(5))),
            sns: null);
        var output = new StringWriter();
        var result = await notifier.HandleAsync(
            Encoding.UTF8.GetBytes(streamEvent),
            new NotifierInvocation(new JsonLogger(output, LogLevel.Info), new MetricsWriter(output, new MetricsOptions { FunctionName = "notifier" }), DateTimeOffset.UtcNow.AddMinutes(1)),
            default);

        Assert.Empty(result.FailedItemIdentifiers);
        var slack = await webhook.NextBodyAsync();
        Assert.Contains("app-role", slack, StringComparison.Ordinal);
        Assert.Contains("iam-admin-wildcard", slack, StringComparison.Ordinal);
    }

    private static JsonObject Entry(string detail) => new()
    {
        ["Source"] = "aws.iam",
        ["DetailType"] = "AWS API Call via CloudTrail",
        ["Detail"] = detail,
        ["EventBusName"] = "default",
    };

    private static string IamGuardRulePattern()
    {
        var template = JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot("serverless.template")))!;
        var pattern = template["Resources"]!["IamGuardRule"]!["Properties"]!["EventPattern"]!;
        return pattern.ToJsonString();
    }

    private async Task<JsonElement> InvokeGuardAsync(string payload)
    {
        await using var api = FakeRuntimeApi.Start();
        var environment = new Dictionary<string, string?>
        {
            [LambdaRuntimeOptions.RuntimeApiVariable] = api.Address,
            [LambdaRuntimeOptions.FunctionNameVariable] = "remediator-iam-guard",
            [GuardSettings.ConcernVariable] = Concerns.IamBroadPermissions,
            [GuardSettings.AuditTableVariable] = AuditTable,
            [GuardSettings.RegionVariable] = Region,
            [GuardSettings.OwnPrincipalsVariable] = OwnRolePattern,
        };
        using var stop = new CancellationTokenSource();
        var running = GuardFunction.RunAsync(Concerns.IamBroadPermissions, name => environment.GetValueOrDefault(name), Overrides(moto), stop.Token);
        api.Enqueue("request-e2e", payload);

        var post = await api.NextPostAsync();
        await stop.CancelAsync();
        Assert.Equal(RuntimeExitCodes.Stopped, await running.WaitAsync(FakeRuntimeApi.Wait));
        Assert.True(post.Kind == RecordedPost.Response, $"{post.Kind} {post.ErrorType}: {post.Text}");
        using var document = JsonDocument.Parse(post.Body);
        return document.RootElement.Clone();
    }

    /// <summary>Every record of the audit table's stream so far, as Lambda's DynamoDB Streams event (<c>{"Records": [...]}</c>).</summary>
    private async Task<string> ReadAuditStreamAsync()
    {
        var streamArn = (await _dynamoDb.DescribeTableAsync(AuditTable)).Table.LatestStreamArn;
        using var streams = SignedJsonClient.DynamoDbStreams(moto.Endpoint);
        var description = await streams.CallAsync("DescribeStream", new JsonObject { ["StreamArn"] = streamArn });
        var records = new JsonArray();
        foreach (var shard in description["StreamDescription"]!["Shards"]!.AsArray())
        {
            var iterator = await streams.CallAsync("GetShardIterator", new JsonObject
            {
                ["StreamArn"] = streamArn,
                ["ShardId"] = shard!["ShardId"]!.GetValue<string>(),
                ["ShardIteratorType"] = "TRIM_HORIZON",
            });
            var batch = await streams.CallAsync("GetRecords", new JsonObject { ["ShardIterator"] = iterator["ShardIterator"]!.GetValue<string>() });
            foreach (var item in batch["Records"]!.AsArray())
            {
                records.Add(item!.DeepClone());
            }
        }

        Assert.NotEmpty(records);
        return new JsonObject { ["Records"] = records }.ToJsonString();
    }
}
