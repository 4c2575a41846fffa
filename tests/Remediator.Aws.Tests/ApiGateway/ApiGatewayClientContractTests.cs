using Remediator.Aws.ApiGateway;

namespace Remediator.Aws.Tests.ApiGateway;

/// <summary>Each API Gateway request (REST and HTTP APIs), captured after signing, against botocore's models.</summary>
public sealed class ApiGatewayClientContractTests
{
    private const string HttpApiArn = "arn:aws:apigateway:eu-west-1::/apis/api123";
    private const string StageArn = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/stages/prod";

    private static readonly Dictionary<string, Func<ApiGatewayClient, Task>> RestCalls = new()
    {
        ["GetIntegration"] = client => client.GetIntegrationAsync("a1b2c3", "r00t", "GET"),
        ["UpdateIntegration"] = client => client.UpdateIntegrationAsync("a1b2c3", "r00t", "GET", [PatchOperation.Replace("/timeoutInMillis", "29000")]),
        ["CreateDeployment"] = client => client.CreateDeploymentAsync("a1b2c3", "prod", "timeout reverted by remediator"),
        ["GetStages"] = client => client.GetStagesAsync("a1b2c3"),
        ["TagResource"] = client => client.TagResourceAsync(StageArn, new Dictionary<string, string> { ["owner"] = "team-a" }),
        ["GetTags"] = client => client.GetTagsAsync(StageArn),
        ["UntagResource"] = client => client.UntagResourceAsync(StageArn, ["owner", "remediator:exempt"]),
        ["CreateRestApi"] = client => client.CreateRestApiAsync("orders"),
        ["GetResources"] = client => client.GetResourcesAsync("a1b2c3"),
        ["PutMethod"] = client => client.PutMethodAsync("a1b2c3", "r00t", "GET"),
        ["PutIntegration"] = client => client.PutIntegrationAsync("a1b2c3", "r00t", "GET", "https://example.com/", 5000),
    };

    private static readonly Dictionary<string, Func<ApiGatewayV2Client, Task>> HttpCalls = new()
    {
        ["GetIntegration"] = client => client.GetIntegrationAsync("api123", "int456"),
        ["UpdateIntegration"] = client => client.UpdateTimeoutAsync("api123", "int456", 30000),
        ["TagResource"] = client => client.TagResourceAsync(HttpApiArn, new Dictionary<string, string> { ["owner"] = "team-a" }),
        ["GetTags"] = client => client.GetTagsAsync(HttpApiArn),
        ["UntagResource"] = client => client.UntagResourceAsync(HttpApiArn, ["owner"]),
        ["CreateApi"] = client => client.CreateApiAsync("orders"),
        ["CreateIntegration"] = client => client.CreateIntegrationAsync("api123", "https://example.com/", 5000),
    };

    public static TheoryData<string> RestOperations => new(RestCalls.Keys);

    public static TheoryData<string> HttpOperations => new(HttpCalls.Keys);

    [Theory]
    [MemberData(nameof(RestOperations))]
    public async Task Rest_api_request_matches_the_botocore_model(string operation)
    {
        var handler = new RecordingHandler();
        using var client = new ApiGatewayClient(TestAws.Options(), TestAws.Settings(handler));

        await RestCalls[operation](client);

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"apigateway.{TestAws.Region}.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("apigateway"), operation, request, TestAws.Region);
    }

    [Theory]
    [MemberData(nameof(HttpOperations))]
    public async Task Http_api_request_matches_the_botocore_model(string operation)
    {
        var handler = new RecordingHandler();
        using var client = new ApiGatewayV2Client(TestAws.Options(), TestAws.Settings(handler));

        await HttpCalls[operation](client);

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"apigateway.{TestAws.Region}.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("apigatewayv2"), operation, request, TestAws.Region);
    }

    [Fact]
    public void Every_operation_of_the_clients_is_checked_against_the_model()
    {
        Assert.Equal(ApiGatewayOperations.All.Select(operation => operation.Name).Order(), RestCalls.Keys.Order());
        Assert.Equal(ApiGatewayV2Operations.All.Select(operation => operation.Name).Order(), HttpCalls.Keys.Order());
        foreach (var operation in ApiGatewayOperations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("apigateway"), operation, "apigateway");
        }

        foreach (var operation in ApiGatewayV2Operations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("apigatewayv2"), operation, "apigateway");
        }
    }
}
