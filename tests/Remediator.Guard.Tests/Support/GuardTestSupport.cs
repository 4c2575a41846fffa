using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Remediator.Aws.Audit;
using Remediator.Core.Rules;
using Remediator.Composition;
using Remediator.Runtime.Logging;
using Remediator.Runtime.Metrics;

namespace Remediator.Guard.Tests.Support;

/// <summary>Shared set-up: settings, clients on moto, the audit table, CloudTrail envelopes from the fixtures.</summary>
internal static class GuardTestSupport
{
    public const string Region = "us-east-1";
    public const string AuditTable = "remediator-audit";

    /// <summary>The guard's own roles as the template names them (one pattern stands for the four).</summary>
    public const string OwnRolePattern = "arn:aws:iam::123456789012:role/remediator-*";

    /// <summary>A trust policy letting Lambda assume the role: what every offending test role is created with.</summary>
    public const string TrustLambda = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    public static readonly AWSCredentials Credentials = new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey);

    public static GuardSettings Settings(string concern) => new GuardSettings
    {
        Concern = concern,
        AuditTable = AuditTable,
        Region = Region,
        OwnPrincipals = [OwnRolePattern],
        // As deployed (the template passes AWS::AccountId): moto's account is the guard's own.
        AccountId = MotoServer.AccountId,
    }.Validated();

    /// <summary>The shipped rules in enforce mode: they ship in dry-run, and these tests prove the changes.</summary>
    public static IReadOnlyList<Rule> EnforcedBuiltInRules()
    {
        var set = BuiltInRules.Load(GuardComposition.CreateLoader());
        Assert.True(set.IsValid, string.Join("; ", set.Errors));
        return [.. set.Rules.Select(r => r with { Mode = RuleMode.Enforce })];
    }

    public static GuardOverrides Overrides(MotoServer moto) => new()
    {
        EndpointUrl = moto.Endpoint,
        Credentials = Credentials,
        DynamoDb = MotoDynamoDb(moto.Endpoint),
        Rules = EnforcedBuiltInRules(),
    };

    public static (GuardInvocation Invocation, StringWriter Output) Invocation()
    {
        var output = new StringWriter();
        var invocation = new GuardInvocation(
            new JsonLogger(output, LogLevel.Info).ForInvocation("request-1", null),
            new MetricsWriter(output, new MetricsOptions { FunctionName = "guard-test", Concern = "test" }),
            DateTimeOffset.UtcNow.AddMinutes(1));
        return (invocation, output);
    }

    /// <summary>
    /// A DynamoDB client for moto. moto answers TagResource/UntagResource with the body <c>{}</c> and its CRC32; the SDK
    /// reads no body for them and then finds the CRC wrong. Real DynamoDB sends no body there, so the header is dropped
    /// on those replies only (the same workaround as Remediator.Aws.Tests' ExecutionSupport).
    /// </summary>
    public static AmazonDynamoDBClient MotoDynamoDb(Uri endpoint, Action<HttpRequestMessage>? observe = null) =>
        new(Credentials, new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = Region,
            MaxErrorRetry = 2,
            HttpClientFactory = new EmptyReplyCrcFactory(observe),
        });

    public static async Task CreateAuditTableAsync(IAmazonDynamoDB dynamoDb) =>
        await dynamoDb.CreateTableAsync(AuditTableDefinition.CreateTableRequest(AuditTable));

    public static async Task<List<Dictionary<string, AttributeValue>>> AuditItemsAsync(IAmazonDynamoDB dynamoDb) =>
        (await dynamoDb.ScanAsync(new ScanRequest { TableName = AuditTable })).Items;

    /// <summary>
    /// A CloudTrail record from tests/fixtures, moved into moto's account and the test region (the fixtures come from
    /// other accounts; the guard acts on what it reads in moto), as an EventBridge envelope.
    /// </summary>
    public static string Envelope(string fixture, Func<JsonObject, JsonObject>? edit = null)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, fixture));
        var record = JsonNode.Parse(Rehome(text))!.AsObject();
        record = edit?.Invoke(record) ?? record;
        var envelope = new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = "aws." + record["eventSource"]!.GetValue<string>().Split('.')[0],
            ["account"] = MotoServer.AccountId,
            ["time"] = record["eventTime"]!.GetValue<string>(),
            ["region"] = Region,
            ["resources"] = new JsonArray(),
            ["detail"] = record,
        };
        return envelope.ToJsonString();
    }

    public static string Rehome(string text)
    {
        foreach (var account in new[] { "111122223333", "000000000000" })
        {
            text = text.Replace(account, MotoServer.AccountId, StringComparison.Ordinal);
        }

        return text.Replace("ap-northeast-2", Region, StringComparison.Ordinal);
    }

    /// <summary>The actor of the record becomes one of the guard's own roles.</summary>
    public static JsonObject ActedByGuard(JsonObject record)
    {
        record["userIdentity"] = JsonNode.Parse("""
            {"type":"AssumedRole","principalId":"AROAEXAMPLEGUARD0001:guard","arn":"arn:aws:sts::123456789012:assumed-role/remediator-iam-guard/guard",
             "accountId":"123456789012","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLEGUARD0001",
             "arn":"arn:aws:iam::123456789012:role/remediator-iam-guard","accountId":"123456789012","userName":"remediator-iam-guard"}}}
            """);
        return record;
    }

    private sealed class EmptyReplyCrcFactory(Action<HttpRequestMessage>? observe) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new DropCrcOfEmptyReplies(observe), disposeHandler: true);
    }

    private sealed class DropCrcOfEmptyReplies(Action<HttpRequestMessage>? observe) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            observe?.Invoke(request);
            var response = await base.SendAsync(request, cancellationToken);
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.FirstOrDefault() : null;
            if (target is not null && (target.EndsWith(".TagResource", StringComparison.Ordinal) || target.EndsWith(".UntagResource", StringComparison.Ordinal)))
            {
                response.Headers.Remove("x-amz-crc32");
            }

            return response;
        }
    }
}
