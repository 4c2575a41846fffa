using System.IO.Compression;
using System.Net;
using System.Text;
using Amazon.DynamoDBv2;
using Remediator.Operations;

namespace Remediator.Aws.Tests.Execution;

/// <summary>Shared set-up of the executor and state tests: clients on moto, steps, undo plans, offending resources.</summary>
internal static class ExecutionSupport
{
    public const string TrustLambda = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    public const string TrustAnyone = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""";
    public const string AdminInline = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    public const string DenyAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}""";
    public const string AdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";

    public static AwsClients Clients(Uri endpoint, HttpMessageHandler? inner = null) =>
        new(TestAws.Options(endpoint), TestAws.Settings(inner), MotoDynamoDb(endpoint));

    /// <summary>
    /// A DynamoDB client for moto. moto answers operations without output (TagResource, UntagResource) with the body
    /// <c>{}</c> and its CRC32; the SDK reads no body for them and then finds the CRC wrong. Real DynamoDB sends no body
    /// there, so the header is dropped on such replies only: a moto/SDK mismatch, not the guard's.
    /// </summary>
    public static AmazonDynamoDBClient MotoDynamoDb(Uri endpoint) =>
        new(TestAws.Credentials, new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = TestAws.Region,
            MaxErrorRetry = 2,
            HttpClientFactory = new EmptyReplyCrcFactory(),
        });

    private sealed class EmptyReplyCrcFactory : Amazon.Runtime.HttpClientFactory
    {
        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => new(new DropCrcOfEmptyReplies(), disposeHandler: true);
    }

    private sealed class DropCrcOfEmptyReplies() : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.FirstOrDefault() : null;
            if (target is not null && (target.EndsWith(".TagResource", StringComparison.Ordinal) || target.EndsWith(".UntagResource", StringComparison.Ordinal)))
            {
                response.Headers.Remove("x-amz-crc32");
            }

            return response;
        }
    }

    public static AuditAction Step(string operation, string resource, JsonObject parameters, string action = ActionNames.Revert) =>
        new() { Action = action, Operation = operation, Resource = resource, Description = operation, Parameters = parameters };

    /// <summary>The inverse steps of one done step, as <c>remediator undo</c> would plan them.</summary>
    public static IReadOnlyList<AuditAction> UndoOf(params AuditAction[] done)
    {
        var now = DateTimeOffset.UtcNow;
        var record = new AuditRecord
        {
            Id = "e-1/rule",
            EventId = "e-1",
            Rule = "rule",
            Mode = RuleMode.Enforce,
            Outcome = AuditOutcome.Applied,
            RecordedAt = now,
            UpdatedAt = now,
            Actions = done,
        };
        var plan = new UndoPlanner(OperationCatalogue.Index).Plan(record);
        Assert.True(plan.IsComplete, string.Join("; ", plan.Gaps));
        return plan.Steps;
    }

    public static async Task<IReadOnlyList<AuditAction>> RunAllAsync(IStepExecutor executor, IEnumerable<AuditAction> steps)
    {
        var results = new List<AuditAction>();
        foreach (var step in steps)
        {
            results.Add(await executor.ExecuteAsync(step, default));
        }

        return results;
    }

    public static void Succeeded(AuditAction result, ActionOutcome expected = ActionOutcome.Verified) =>
        Assert.True(result.Outcome == expected, $"{result.Operation}: {result.Outcome.ToName()} {result.Error} after={result.After}");

    public static byte[] Zip(string name, string content)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(name).Open();
            entry.Write(Encoding.UTF8.GetBytes(content));
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// For the operations moto lacks: passes every request through to moto except those <paramref name="intercept"/>
/// picks, which it records (after signing) and answers itself, so the test can check them against the botocore model
/// while every read around them still goes to moto.
/// </summary>
internal sealed class InterceptingHandler(Func<HttpRequestMessage, string, bool> intercept, string cannedBody) : DelegatingHandler(new SocketsHttpHandler())
{
    public List<RecordedRequest> Intercepted { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        if (!intercept(request, body))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(',', header.Value);
        }

        foreach (var header in request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
        {
            headers[header.Key] = string.Join(',', header.Value);
        }

        Intercepted.Add(new RecordedRequest(request.Method, request.RequestUri!, headers, body));
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(cannedBody, Encoding.UTF8), RequestMessage = request };
    }
}
