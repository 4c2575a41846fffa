using Remediator.Aws.Sns;

namespace Remediator.Aws.Tests.Sns;

/// <summary>Each SNS request, captured after signing, against botocore's sns model.</summary>
public sealed class SnsClientContractTests
{
    private static readonly Dictionary<string, Func<SnsClient, Task>> Calls = new()
    {
        ["Publish"] = client => client.PublishAsync("arn:aws:sns:eu-west-1:123456789012:alerts", "role/app: inline policy reverted", "Remediator"),
        ["CreateTopic"] = client => client.CreateTopicAsync("alerts"),
    };

    public static TheoryData<string> Operations => new(Calls.Keys);

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Request_matches_the_botocore_model(string operation)
    {
        var handler = new RecordingHandler();
        using var client = new SnsClient(TestAws.Options(), TestAws.Settings(handler));

        await Calls[operation](client);

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"sns.{TestAws.Region}.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("sns"), operation, request, TestAws.Region);
    }

    [Fact]
    public void Every_operation_of_the_client_is_checked_against_the_model()
    {
        Assert.Equal(SnsOperations.All.Select(operation => operation.Name).Order(), Calls.Keys.Order());
        foreach (var operation in SnsOperations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("sns"), operation, "sns");
        }
    }
}
