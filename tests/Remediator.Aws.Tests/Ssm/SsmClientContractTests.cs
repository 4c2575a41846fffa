using Remediator.Aws.Ssm;

namespace Remediator.Aws.Tests.Ssm;

/// <summary>Each SSM request, captured after signing, against botocore's ssm model.</summary>
public sealed class SsmClientContractTests
{
    [Fact]
    public async Task GetParameter_matches_the_botocore_model()
    {
        var handler = new RecordingHandler();
        using var client = new SsmClient(TestAws.Options(), TestAws.Settings(handler));

        await client.GetParameterAsync("/remediator/slack-signing-secret", withDecryption: true);

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"ssm.{TestAws.Region}.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("ssm"), "GetParameter", request, TestAws.Region);
        Assert.Contains("\"WithDecryption\":true", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_operation_of_the_client_is_checked_against_the_model()
    {
        Assert.Equal(["GetParameter"], SsmOperations.All.Select(operation => operation.Name));
        foreach (var operation in SsmOperations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("ssm"), operation, "ssm");
        }
    }
}
