using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Remediator.Approvals.Queue;
using Remediator.Approvals.Slack;
using Remediator.Aws.Audit;
using Remediator.Aws.DynamoDb;
using Remediator.Aws.Sqs;
using Remediator.Aws.Ssm;
using Remediator.Operations;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Core.Approvals;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using Remediator.Detectors.Actions;
using Remediator.Runtime;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;
using Remediator.Runtime.Resilience;

namespace Remediator.Approvals;

/// <summary>The seams of the Slack functions for tests and local runs; a deployed function leaves them null.</summary>
public sealed record SlackFunctionOverrides
{
    public Uri? EndpointUrl { get; init; }

    public AWSCredentials? Credentials { get; init; }

    public TimeProvider? Clock { get; init; }

    public Func<string, string?>? Environment { get; init; }

    /// <summary>Let the worker post to an http loopback response_url (the local Slack stand-in).</summary>
    public bool AllowLoopbackResponseUrl { get; init; }

    /// <summary>The Slack Web API base (a loopback stand-in in tests); https://slack.com/api/ when null.</summary>
    public Uri? SlackApiUrl { get; init; }

    /// <summary>Under the worker's AWS transport (a fault injector in tests).</summary>
    public HttpMessageHandler? InnerHandler { get; init; }
}

/// <summary>The approval worker as one invocation sees it: its retries reported in that invocation's log and metrics.</summary>
internal sealed class ApprovalWorkerFunction(ApprovalWorker worker, RetryTelemetry retries)
{
    public async Task<WorkerResult> HandleAsync(ReadOnlyMemory<byte> payload, JsonLogger logger, MetricsWriter metrics, CancellationToken cancellationToken)
    {
        using var reporting = retries.Bind(logger, metrics);
        return await worker.HandleAsync(payload, logger, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Composition of the two functions built from one binary: the interactivity endpoint (fast path: DynamoDB, SSM and
/// SQS clients only, nothing that acts on resources) and the approval worker (the executor and the undo service,
/// under its own role). Everything fallible happens at init.
/// </summary>
public static class SlackFunction
{
    public static Task<int> RunAsync() => LambdaRuntimeHost.RunMainAsync(() => ValueTask.FromResult(Create(SlackFunctionSettings.FromEnvironment(Environment.GetEnvironmentVariable), null)));

    public static InvocationHandler Create(SlackFunctionSettings settings, SlackFunctionOverrides? overrides)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings = settings.Validated();
        overrides ??= new SlackFunctionOverrides();
        var clock = overrides.Clock ?? TimeProvider.System;
        var options = new AwsClientOptions { Region = settings.Region, EndpointUrl = overrides.EndpointUrl }.Validate();
        if (settings.Part == SlackFunctionSettings.Actions)
        {
            return CreateActions(settings, overrides, options, clock);
        }

        var worker = CreateWorker(settings, overrides, options, clock);
        return async (context, payload, cancellationToken) =>
        {
            var result = await worker.HandleAsync(payload, context.Logger, context.Metrics, cancellationToken).ConfigureAwait(false);
            return (ReadOnlyMemory<byte>)result.ToResponse();
        };
    }

    /// <summary>The approval worker under its own role: the executor and the undo service, as every change uses them.</summary>
    internal static ApprovalWorkerFunction CreateWorker(SlackFunctionSettings settings, SlackFunctionOverrides overrides, AwsClientOptions options, TimeProvider clock, IAuditStore? store = null)
    {
        // The worker's AWS calls retry through the shared pipeline; each retry is logged and counted in the invocation
        // that makes it, as in the guards and the sweep.
        var retries = new RetryTelemetry();
        var clients = new AwsClients(options, new AwsTransportSettings
        {
            Credentials = overrides.Credentials, Environment = overrides.Environment, TimeProvider = clock, Retries = retries, InnerHandler = overrides.InnerHandler,
        });
        store ??= new DynamoDbAuditStore(clients.DynamoDb, settings.AuditTable, settings.ToAuditStoreOptions(), clock);
        var executor = AwsStepExecutor.Bound(clients, settings.AccountId, clock);
        var service = new DecisionService(store, executor, new UndoService(store, executor, new UndoPlanner(OperationCatalogue.Index), clock), new TagExemptionPlanner(settings.ExemptionTag), clock);
        var worker = new ApprovalWorker(service, new ExpiryService(store, service, clock),
            new ResponseUrlPoster(new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, settings.ResponseHosts, overrides.AllowLoopbackResponseUrl), clock);
        return new ApprovalWorkerFunction(worker, retries);
    }

    /// <summary>
    /// The interactivity endpoint: its three services (DynamoDB, SSM, SQS) on the signed transport, no AWSSDK service
    /// client, because everything built here and on the first click counts against Slack's 3 seconds on a cold start.
    /// </summary>
    private static InvocationHandler CreateActions(SlackFunctionSettings settings, SlackFunctionOverrides overrides, AwsClientOptions options, TimeProvider clock)
    {
        // Resolved once for the three clients (each would otherwise walk the default chain itself).
        var transport = new AwsTransportSettings
        {
            Credentials = overrides.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(),
            Environment = overrides.Environment,
            TimeProvider = clock,
        };
        var ssm = new SsmClient(options, transport);
        var secrets = new SsmSigningSecretSource(ssm, settings.SigningParameter!, TimeSpan.FromMinutes(5), clock);
        // The first click needs the secret first of all: its SSM read overlaps the rest of init and the Runtime
        // API's /next instead of following them (measured in docs/benchmarks.md, "Cold start").
        secrets.Prefetch();
        var store = new DynamoDbDecisionLedger(new DynamoDbClient(options, transport), settings.AuditTable, settings.ToAuditStoreOptions(), clock);
        var queue = new SqsDecisionQueue(new SqsClient(options, transport), settings.QueueUrl!);
        var slack = settings.BotTokenParameter is { } tokenParameter ? CreateSlackApi(ssm, tokenParameter, overrides, clock) : null;
        IApproverGroups groups = slack is null ? UnresolvedApproverGroups.WithoutBotToken : new SlackUserGroups(slack, clock);
        // The endpoint never executes: it gets an executor that refuses, so a bug cannot turn it into an actor. For the
        // same reason its undo service knows no operation (undo is the worker's): an empty index, which also spares
        // the cold start building the catalogue's JSON contracts (measured in docs/benchmarks.md).
        var decisions = new DecisionService(store, NoExecution.Instance, new UndoService(store, NoExecution.Instance, new UndoPlanner(new OperationIndex([])), clock),
            new TagExemptionPlanner(settings.ExemptionTag), clock, groups);
        var endpoint = new SlackActionsEndpoint(secrets, decisions, queue, clock, slack);
        return async (context, payload, cancellationToken) =>
        {
            var result = await endpoint.HandleAsync(payload, cancellationToken).ConfigureAwait(false);
            context.Logger.Info("slack action", ("status", result.Response.StatusCode), ("outcome", result.Outcome), ("decision", result.DecisionId));
            return (ReadOnlyMemory<byte>)result.Response.ToBytes();
        };
    }

    /// <summary>The Slack Web API with the bot token from SSM (read on first use, cached, never logged).</summary>
    internal static SlackWebApi CreateSlackApi(SsmClient ssm, string tokenParameter, SlackFunctionOverrides overrides, TimeProvider clock)
    {
        var token = new SsmSecureString(ssm, tokenParameter, "Slack bot token", value => value.StartsWith("xox", StringComparison.Ordinal), TimeSpan.FromMinutes(5), clock);
        var api = overrides.SlackApiUrl ?? SlackWebApi.DefaultBase;
        return new SlackWebApi(new HttpClient { Timeout = TimeSpan.FromSeconds(2) }, api, token.GetAsync, SlackCallTimeout);
    }

    /// <summary>A Slack call from the endpoint: well inside Slack's 3 s, leaving time for the ledger write and the queue.</summary>
    public static readonly TimeSpan SlackCallTimeout = TimeSpan.FromMilliseconds(1500);

    /// <summary>The endpoint's executor: it has no role to act with, and says so instead of trying.</summary>
    private sealed class NoExecution : IStepExecutor
    {
        public static readonly NoExecution Instance = new();

        public Task<Core.Audit.AuditAction> ExecuteAsync(Core.Audit.AuditAction step, CancellationToken cancellationToken) =>
            Task.FromResult(step with { Outcome = Core.Audit.ActionOutcome.Failed, Error = "the interactivity endpoint does not act; the approval worker does" });
    }
}
