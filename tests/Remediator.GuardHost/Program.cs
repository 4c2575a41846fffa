using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Remediator.Aws.Audit;
using Remediator.Core.Audit;
using Remediator.Core.Rules;
using Remediator.Composition;
using Remediator.Guard;

// The real guard (GuardFunction on the Lambda Runtime host) as its own process, for tests that kill it. It polls the
// Runtime API named by AWS_LAMBDA_RUNTIME_API like the deployed function, runs the built-in rules in enforce mode
// (they ship in dry-run) and sends every AWS call to the moto server named by REMEDIATOR_TEST_MOTO_URL.
// With REMEDIATOR_TEST_HOLD_AFTER_BEGIN=1 it stops dead right after an audit record is begun (in progress, before any
// step runs), prints "begun <id>" on standard error and waits to be SIGKILLed: a crash mid-fix on demand.
// REMEDIATOR_TEST_RULES (comma-separated ids) narrows the rules, so that a test can count records exactly.
var moto = new Uri(Environment.GetEnvironmentVariable("REMEDIATOR_TEST_MOTO_URL")
    ?? throw new InvalidOperationException("REMEDIATOR_TEST_MOTO_URL is not set"));
var hold = Environment.GetEnvironmentVariable("REMEDIATOR_TEST_HOLD_AFTER_BEGIN") == "1";
var credentials = new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
var concern = Environment.GetEnvironmentVariable(GuardSettings.ConcernVariable) ?? Remediator.Core.Concerns.IamBroadPermissions;

var only = Environment.GetEnvironmentVariable("REMEDIATOR_TEST_RULES")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var rules = BuiltInRules.Load(GuardComposition.CreateLoader());
var overrides = new GuardOverrides
{
    EndpointUrl = moto,
    Credentials = credentials,
    DynamoDb = new HoldingDynamoDbClient(credentials, new AmazonDynamoDBConfig { ServiceURL = moto.ToString(), AuthenticationRegion = "us-east-1" }, hold),
    Rules = [.. rules.Rules.Where(r => only is null || only.Contains(r.Id)).Select(r => r with { Mode = RuleMode.Enforce })],
};
return await GuardFunction.RunAsync(concern, Environment.GetEnvironmentVariable, overrides, CancellationToken.None).ConfigureAwait(false);

/// <summary>DynamoDB as the guard sees it, except that a successful begin of a record can freeze the process.</summary>
internal sealed class HoldingDynamoDbClient(AWSCredentials credentials, AmazonDynamoDBConfig config, bool hold) : AmazonDynamoDBClient(credentials, config)
{
    public override async Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
    {
        var response = await base.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
        if (hold && request.Item.TryGetValue(AuditTableDefinition.OutcomeAttribute, out var outcome) && outcome.S == AuditOutcome.InProgress.ToName())
        {
            await Console.Error.WriteLineAsync($"begun {request.Item[AuditTableDefinition.IdAttribute].S}").ConfigureAwait(false);
            await Console.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, CancellationToken.None).ConfigureAwait(false);
        }

        return response;
    }
}
