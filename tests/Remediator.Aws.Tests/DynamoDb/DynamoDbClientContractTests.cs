using Remediator.Aws.DynamoDb;

namespace Remediator.Aws.Tests.DynamoDb;

/// <summary>Each DynamoDB request, captured after signing, against botocore's dynamodb model (the JSON 1.0 protocol).</summary>
public sealed class DynamoDbClientContractTests
{
    private static readonly Dictionary<string, DynamoScalar> Key = new(StringComparer.Ordinal) { ["pk"] = DynamoScalar.String("EVENT#e-1"), ["sk"] = DynamoScalar.String("RULE#r") };

    private static readonly Dictionary<string, Func<DynamoDbClient, Task>> Calls = new()
    {
        ["GetItem"] = client => client.GetItemAsync("audit", Key, consistentRead: true),
        ["PutItem"] = client => client.PutItemAsync("audit", new Dictionary<string, DynamoScalar>(Key) { ["n"] = DynamoScalar.Number(5) },
            new DynamoCondition("attribute_not_exists(pk) OR #n < :n", new Dictionary<string, string> { ["#n"] = "n" }, new Dictionary<string, DynamoScalar> { [":n"] = DynamoScalar.Number(1) })),
    };

    public static TheoryData<string> Operations => new(Calls.Keys);

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Request_matches_the_botocore_model(string operation)
    {
        var handler = new RecordingHandler();
        using var client = new DynamoDbClient(TestAws.Options(), TestAws.Settings(handler));

        await Calls[operation](client);

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"dynamodb.{TestAws.Region}.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("dynamodb"), operation, request, TestAws.Region);
    }

    [Fact]
    public void Every_operation_of_the_client_is_checked_against_the_model()
    {
        Assert.Equal(DynamoDbOperations.All.Select(operation => operation.Name).Order(), Calls.Keys.Order());
        foreach (var operation in DynamoDbOperations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("dynamodb"), operation, "dynamodb");
        }
    }
}
