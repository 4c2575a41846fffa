using Remediator.Aws.Sqs;

namespace Remediator.Aws.Tests.Sqs;

/// <summary>Each SQS request, captured after signing, against botocore's sqs model (the JSON 1.0 protocol).</summary>
public sealed class SqsClientContractTests
{
    [Fact]
    public async Task SendMessage_matches_the_botocore_model()
    {
        var handler = new RecordingHandler();
        using var client = new SqsClient(TestAws.Options(), TestAws.Settings(handler));

        await client.SendMessageAsync($"https://sqs.{TestAws.Region}.amazonaws.com/123456789012/decisions", """{"decision":"e-1/rule/decision"}""");

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"sqs.{TestAws.Region}.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("sqs"), "SendMessage", request, TestAws.Region);
    }

    [Fact]
    public void Every_operation_of_the_client_is_checked_against_the_model()
    {
        Assert.Equal(["SendMessage"], SqsOperations.All.Select(operation => operation.Name));
        foreach (var operation in SqsOperations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("sqs"), operation, "sqs");
        }
    }
}
