using System.Globalization;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Remediator.Approvals.Queue;
using Remediator.Approvals.Slack;
using Remediator.Aws;
using Remediator.Aws.Audit;
using Remediator.Aws.DynamoDb;
using Remediator.Aws.Sqs;
using Remediator.Aws.Ssm;
using Remediator.Operations;
using Remediator.Aws.State;
using Remediator.Core;
using Remediator.Core.Execution;
using Remediator.Core.Rules;
using Remediator.Composition;
using Remediator.Detectors.Actions;
using Remediator.Guard;

namespace Remediator.Approvals.Tests.Support;

/// <summary>
/// Everything of the approval flow on one moto server: the audit table, the decision queue, the signing secret in SSM,
/// an IAM guard running approve-mode rules, the interactivity endpoint and the worker, each composed as the functions
/// compose them, and the Slack stand-in.
/// </summary>
internal sealed class ApprovalRig : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string AuditTable = "remediator-audit";
    public const string Approver = "U0APPROVER";
    public const string Stranger = "U0STRANGER";
    public const string SigningParameter = "/remediator/slack-signing-secret";
    public static readonly byte[] Secret = Encoding.UTF8.GetBytes("e2e-signing-secret-0123456789abcdef");
    public static readonly AWSCredentials Credentials = new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey);
    private const string TrustLambda = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly MotoServer _moto;
    private readonly List<IDisposable> _owned = [];

    private ApprovalRig(MotoServer moto, InstantWaitTimeProvider clock)
    {
        _moto = moto;
        Clock = clock;
    }

    /// <summary>The test moves it by hand (the expiry is about time passing); a retry's back-off ends at once on it.</summary>
    public InstantWaitTimeProvider Clock { get; }

    public Uri MotoEndpoint => _moto.Endpoint;

    public SlackStandIn Slack { get; } = new();

    public AwsClients Aws { get; private set; } = null!;

    public IAuditStore Store { get; private set; } = null!;

    /// <summary>The queue as the test reads it (AWSSDK, outside the endpoint).</summary>
    public IAmazonSQS Sqs { get; private set; } = null!;

    /// <summary>The endpoint's own clients, as <see cref="SlackFunction"/> composes them: signed, no AWSSDK service client.</summary>
    public SsmClient EndpointSsm { get; private set; } = null!;

    public SqsClient EndpointSqs { get; private set; } = null!;

    /// <summary>The endpoint's view of the audit table (reads and begins decisions); <see cref="Store"/> is everyone else's.</summary>
    public IAuditStore EndpointLedger { get; private set; } = null!;

    public string QueueUrl { get; private set; } = null!;

    public SlackActionsEndpoint Endpoint { get; private set; } = null!;

    public ApprovalWorker Worker { get; private set; } = null!;

    public static async Task<ApprovalRig> StartAsync(MotoServer moto)
    {
        await moto.ResetAsync();
        var rig = new ApprovalRig(moto, new InstantWaitTimeProvider(DateTimeOffset.UtcNow));
        var options = new AwsClientOptions { Region = Region, EndpointUrl = moto.Endpoint }.Validate();
        var sdk = new AwsSdkClients(options, Credentials, _ => null);
        var dynamo = sdk.CreateDynamoDb();
        rig._owned.Add(dynamo);
        try
        {
            await dynamo.CreateTableAsync(AuditTableDefinition.CreateTableRequest(AuditTable));
        }
        catch (Amazon.DynamoDBv2.Model.ResourceInUseException)
        {
            // Under heavy load the SDK's first attempt can time out after moto made the table; its retry then finds it.
        }

        var ssm = sdk.CreateSsm();
        rig._owned.Add(ssm);
        await ssm.PutParameterAsync(new PutParameterRequest { Name = SigningParameter, Type = ParameterType.SecureString, Value = Encoding.UTF8.GetString(Secret), Overwrite = true });
        var sqs = sdk.CreateSqs();
        rig._owned.Add(sqs);
        rig.Sqs = sqs;
        rig.QueueUrl = (await sqs.CreateQueueAsync("remediator-decisions")).QueueUrl;

        rig.Aws = new AwsClients(options, new AwsTransportSettings { Credentials = Credentials, Environment = _ => null, TimeProvider = rig.Clock });
        rig._owned.Add(rig.Aws);
        rig.Store = new DynamoDbAuditStore(dynamo, AuditTable, new AuditStoreOptions(), rig.Clock);

        // The endpoint: signing secret from SSM, decisions begun in the table, work on the queue; no executor of its own.
        // On real time, as the AWSSDK clients it replaces were: the rig's clock jumps ahead on every one-shot timer it
        // is asked for, and the retry pipeline asks for one per attempt (its timeout).
        var transport = new AwsTransportSettings { Credentials = Credentials, Environment = _ => null };
        rig.EndpointSsm = new SsmClient(options, transport);
        rig.EndpointSqs = new SqsClient(options, transport);
        var dynamoDb = new DynamoDbClient(options, transport);
        rig._owned.AddRange([rig.EndpointSsm, rig.EndpointSqs, dynamoDb]);
        rig.EndpointLedger = new DynamoDbDecisionLedger(dynamoDb, AuditTable, new AuditStoreOptions(), rig.Clock);
        var endpointDecisions = new DecisionService(rig.EndpointLedger, new RefusingExecutor(), new UndoService(rig.EndpointLedger, new RefusingExecutor(), new UndoPlanner(OperationCatalogue.Index), rig.Clock),
            new TagExemptionPlanner("remediator:exempt"), rig.Clock);
        rig.Endpoint = new SlackActionsEndpoint(new SsmSigningSecretSource(rig.EndpointSsm, SigningParameter, TimeSpan.FromMinutes(5), rig.Clock),
            endpointDecisions, new SqsDecisionQueue(rig.EndpointSqs, rig.QueueUrl), rig.Clock);

        // The worker: the same executor and undo service as every change.
        // Bound to moto's account as the deployed worker is to its own (REMEDIATOR_ACCOUNT_ID).
        var executor = new AwsStepExecutor(rig.Aws, rig.Clock, MotoServer.AccountId);
        var decisions = new DecisionService(rig.Store, executor, new UndoService(rig.Store, executor, new UndoPlanner(OperationCatalogue.Index), rig.Clock), new TagExemptionPlanner("remediator:exempt"), rig.Clock);
        var http = new HttpClient();
        rig._owned.Add(http);
        rig.Worker = new ApprovalWorker(decisions, new ExpiryService(rig.Store, decisions, rig.Clock), new ResponseUrlPoster(http, ["hooks.slack.com"], allowLoopback: true), rig.Clock);
        return rig;
    }

    /// <summary>The shipped IAM rules, switched to approve mode with this approval block.</summary>
    public static IReadOnlyList<Rule> ApproveRules(ApprovalPolicy approval)
    {
        var set = BuiltInRules.Load(GuardComposition.CreateLoader());
        Assert.True(set.IsValid, string.Join("; ", set.Errors));
        return [.. set.Rules.Where(r => r.Concern == Concerns.IamBroadPermissions).Select(r => r with { Mode = RuleMode.Approve, Approval = approval })];
    }

    public static ApprovalPolicy Policy(ExpiryOutcome onExpiry = ExpiryOutcome.Notify, bool contain = false, TimeSpan? expiresAfter = null) =>
        new([Approver, "S0GROUP01"], expiresAfter ?? TimeSpan.FromHours(24), onExpiry, contain);

    /// <summary>Runs the IAM guard on one event with the given rules; returns the records it wrote.</summary>
    public async Task<IReadOnlyList<AuditRecord>> GuardAsync(string envelope, IReadOnlyList<Rule> rules)
    {
        // No AccountId: this guard also stands in for one acting in a member account through its role (it writes that
        // account's pending records, which is what ForeignAccountDecisionMotoTests needs).
        var settings = new GuardSettings { Concern = Concerns.IamBroadPermissions, AuditTable = AuditTable, Region = Region }.Validated();
        var overrides = new GuardOverrides { EndpointUrl = _moto.Endpoint, Credentials = Credentials, Rules = rules, Clock = Clock, Environment = _ => null };
        using var guard = GuardFunction.Create(settings, overrides);
        // The deadline on the guard's clock (the rig's): the tests move that clock ahead, e.g. past a cache's lifetime.
        var output = new StringWriter();
        var invocation = new GuardInvocation(new JsonLogger(output, LogLevel.Info).ForInvocation("req", null),
            new MetricsWriter(output, new MetricsOptions { FunctionName = "iam-guard", Concern = "test" }), Clock.GetUtcNow().AddMinutes(1));
        var result = await guard.HandleAsync(Encoding.UTF8.GetBytes(envelope), invocation, default);
        var records = new List<AuditRecord>();
        foreach (var r in result.Records)
        {
            records.Add((await Store.GetAsync(r.Id))!);
        }

        return records;
    }

    /// <summary>A role with an admin inline policy on moto, and the CloudTrail envelope of that PutRolePolicy.</summary>
    public async Task<string> AdminInlinePolicyAsync(string role, string document)
    {
        await Aws.Iam.CreateRoleAsync(role, TrustLambda);
        await Aws.Iam.PutInlinePolicyAsync(Remediator.Aws.Iam.IamPrincipal.Role(role), "admin", document);
        return CloudTrailEnvelopes.IamCall(
            "PutRolePolicy", new JsonObject { ["roleName"] = role, ["policyName"] = "admin", ["policyDocument"] = document }, Clock.GetUtcNow(), Region);
    }

    /// <summary>The HTTP API v2 proxy event of a Slack block_actions click, signed with the secret (or not).</summary>
    public byte[] Click(string userId, string buttonValue, Uri responseUrl, byte[]? secret = null, DateTimeOffset? signedAt = null, bool base64 = false)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = userId, ["username"] = "someone" },
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = "remediator-x", ["type"] = "button", ["value"] = buttonValue }),
            ["response_url"] = responseUrl.ToString(),
            ["trigger_id"] = "1.2.3",
        }.ToJsonString();
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));
        var timestamp = (signedAt ?? Clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Encoding.ASCII.GetString(SlackSignature.Sign(secret ?? Secret, timestamp, body));
        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "POST /slack/actions",
            ["rawPath"] = "/slack/actions",
            ["headers"] = new JsonObject
            {
                ["content-type"] = "application/x-www-form-urlencoded",
                ["x-slack-request-timestamp"] = timestamp,
                ["x-slack-signature"] = signature,
            },
            ["requestContext"] = new JsonObject { ["http"] = new JsonObject { ["method"] = "POST", ["path"] = "/slack/actions" } },
            ["body"] = base64 ? Convert.ToBase64String(body) : Encoding.UTF8.GetString(body),
            ["isBase64Encoded"] = base64,
        }.ToJsonString());
    }

    /// <summary>Receives what the endpoint queued and hands it to the worker as Lambda's SQS event would.</summary>
    public async Task<WorkerResult> DrainQueueAsync() =>
        await Worker.HandleAsync(await ReceiveQueuedAsync(), new JsonLogger(TextWriter.Null, LogLevel.Info), default);

    /// <summary>Takes what the endpoint queued off the queue, as Lambda's SQS event (the worker's payload).</summary>
    public async Task<byte[]> ReceiveQueuedAsync()
    {
        var received = await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
        var records = new JsonArray();
        foreach (var message in received.Messages ?? [])
        {
            records.Add(new JsonObject { ["messageId"] = message.MessageId, ["body"] = message.Body, ["eventSource"] = "aws:sqs" });
            await Sqs.DeleteMessageAsync(QueueUrl, message.ReceiptHandle);
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = records }.ToJsonString());
    }

    public async Task<int> QueuedAsync() =>
        (await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0, VisibilityTimeout = 0 })).Messages?.Count ?? 0;

    public async ValueTask DisposeAsync()
    {
        await Slack.DisposeAsync();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private sealed class RefusingExecutor : IStepExecutor
    {
        public Task<AuditAction> ExecuteAsync(AuditAction step, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the endpoint must never execute a step");
    }
}
