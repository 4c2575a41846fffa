using Remediator.Aws.Lambda;

namespace Remediator.Aws.Tests.Lambda;

/// <summary>Each Lambda request, captured after signing, against botocore's lambda model.</summary>
public sealed class LambdaClientContractTests
{
    private const string FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:orders";

    private static readonly Dictionary<string, Func<LambdaClient, Task>> Calls = new()
    {
        ["GetFunctionConfiguration"] = client => client.GetFunctionConfigurationAsync("orders", qualifier: "live"),
        ["UpdateFunctionConfiguration"] = client => client.UpdateTimeoutAsync("orders", 30, revisionId: "r-1"),
        ["CreateFunction"] = client => client.CreateFunctionAsync("orders", "arn:aws:iam::123456789012:role/app", "python3.12", "index.handler", [80, 75, 5, 6], 3),
        ["TagResource"] = client => client.TagResourceAsync(FunctionArn, new Dictionary<string, string> { ["owner"] = "team-a" }),
        ["ListTags"] = client => client.ListTagsAsync(FunctionArn),
        ["UntagResource"] = client => client.UntagResourceAsync(FunctionArn, ["owner", "remediator:exempt"]),
    };

    public static TheoryData<string> Operations => new(Calls.Keys);

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Request_matches_the_botocore_model(string operation)
    {
        var handler = new RecordingHandler();
        using var client = new LambdaClient(TestAws.Options(), TestAws.Settings(handler));

        await Calls[operation](client);

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"lambda.{TestAws.Region}.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("lambda"), operation, request, TestAws.Region);
    }

    [Fact]
    public void Every_operation_of_the_client_is_checked_against_the_model()
    {
        Assert.Equal(LambdaOperations.All.Select(operation => operation.Name).Order(), Calls.Keys.Order());
        foreach (var operation in LambdaOperations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("lambda"), operation, "lambda");
        }
    }

    [Fact]
    public async Task Function_arn_in_the_path_is_escaped_as_one_segment()
    {
        var handler = new RecordingHandler();
        using var client = new LambdaClient(TestAws.Options(), TestAws.Settings(handler));

        await client.ListTagsAsync(FunctionArn);

        Assert.Equal("/2017-03-31/tags/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Aorders", Assert.Single(handler.Requests).Uri.AbsolutePath);
    }
}
