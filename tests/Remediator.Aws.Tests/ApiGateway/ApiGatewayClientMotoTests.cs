using Remediator.Aws.ApiGateway;

namespace Remediator.Aws.Tests.ApiGateway;

/// <summary>API Gateway REST and HTTP API round trips against moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class ApiGatewayClientMotoTests : MotoClientTests
{
    private readonly ApiGatewayClient _rest;
    private readonly ApiGatewayV2Client _http;

    public ApiGatewayClientMotoTests(MotoServer moto)
        : base(moto)
    {
        _rest = Client((options, settings) => new ApiGatewayClient(options, settings));
        _http = Client((options, settings) => new ApiGatewayV2Client(options, settings));
    }

    [Fact]
    public async Task Rest_integration_is_created_read_back_and_deployed_to_a_stage()
    {
        var (api, rootId) = await CreateRestApiWithIntegrationAsync(timeoutInMillis: 5000);

        var integration = await _rest.GetIntegrationAsync(api.Id, rootId, "GET");
        var deploymentId = await _rest.CreateDeploymentAsync(api.Id, "prod", "timeout reverted");
        var stages = await _rest.GetStagesAsync(api.Id);

        Assert.Equal(new RestIntegration("HTTP_PROXY", "https://example.com/", "GET", 5000), integration);
        Assert.False(string.IsNullOrEmpty(deploymentId));
        var stage = Assert.Single(stages);
        Assert.Equal("prod", stage.StageName);
        Assert.Equal(deploymentId, stage.DeploymentId);
    }

    [Fact]
    public async Task Rest_update_integrationMoto_lacks_it_so_request_is_checked_against_botocore()
    {
        // moto 5.2.1 answers apigateway update-integration with 500: check the request instead, then that moto
        // still holds the old timeout (nothing half-applied).
        var (api, rootId) = await CreateRestApiWithIntegrationAsync(timeoutInMillis: 5000);
        var handler = new RecordingHandler();
        using (var recording = new ApiGatewayClient(TestAws.Options(Moto.Endpoint), TestAws.Settings(handler)))
        {
            await recording.UpdateIntegrationAsync(api.Id, rootId, "GET", [PatchOperation.Replace("/timeoutInMillis", "29000")]);
        }

        var request = Assert.Single(handler.Requests);
        ModelContract.AssertMatches(BotocoreModel.Load("apigateway"), "UpdateIntegration", request, TestAws.Region);
        Assert.Equal($"/restapis/{api.Id}/resources/{rootId}/methods/GET/integration", request.Uri.AbsolutePath);
        Assert.Equal("""{"patchOperations":[{"op":"replace","path":"/timeoutInMillis","value":"29000"}]}""", request.Body);
        Assert.Equal(5000, (await _rest.GetIntegrationAsync(api.Id, rootId, "GET")).TimeoutInMillis);
    }

    [Fact]
    public async Task Stage_tags_are_written_and_read_back_through_the_stage()
    {
        var (api, _) = await CreateRestApiWithIntegrationAsync(timeoutInMillis: 5000);
        await _rest.CreateDeploymentAsync(api.Id, "prod");
        var stageArn = $"arn:aws:apigateway:{TestAws.Region}::/restapis/{api.Id}/stages/prod";

        await _rest.TagResourceAsync(stageArn, new Dictionary<string, string> { ["owner"] = "team-a" });

        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a" }, Assert.Single(await _rest.GetStagesAsync(api.Id)).Tags);
    }

    [Fact]
    public async Task GetTagsMoto_lacks_it_so_request_is_checked_against_botocore()
    {
        // moto 5.2.1 routes GET /tags/{arn} but has no get_tags (it answers 500).
        var handler = new RecordingHandler((_ => (System.Net.HttpStatusCode.OK, """{"tags":{"owner":"team-a"}}""", null)));
        using var recording = new ApiGatewayClient(TestAws.Options(Moto.Endpoint), TestAws.Settings(handler));
        var stageArn = $"arn:aws:apigateway:{TestAws.Region}::/restapis/a1b2c3/stages/prod";

        var tags = await recording.GetTagsAsync(stageArn);

        var request = Assert.Single(handler.Requests);
        ModelContract.AssertMatches(BotocoreModel.Load("apigateway"), "GetTags", request, TestAws.Region);
        Assert.Equal("/tags/" + Uri.EscapeDataString(stageArn), request.Uri.AbsolutePath);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a" }, tags);
    }

    [Fact]
    public async Task Http_integration_timeout_is_read_changed_and_read_back()
    {
        var api = await _http.CreateApiAsync("orders");
        var created = await _http.CreateIntegrationAsync(api.ApiId, "https://example.com/", 30000);
        Assert.Equal(30000, (await _http.GetIntegrationAsync(api.ApiId, created.IntegrationId)).TimeoutInMillis);

        var updated = await _http.UpdateTimeoutAsync(api.ApiId, created.IntegrationId, 10000);

        Assert.Equal(10000, updated.TimeoutInMillis);
        var read = await _http.GetIntegrationAsync(api.ApiId, created.IntegrationId);
        Assert.Equal(new HttpIntegration(created.IntegrationId, "HTTP_PROXY", "https://example.com/", "ANY", "1.0", 10000), read);
    }

    [Fact]
    public async Task Missing_rest_api_fails_as_not_found_naming_the_integration()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _rest.GetIntegrationAsync("nope", "root", "GET"));

        Assert.True(error.IsNotFound);
        Assert.StartsWith("apigateway:GetIntegration on restapis/nope/resources/root/methods/GET/integration failed: NotFoundException: ", error.Message, StringComparison.Ordinal);
    }

    private async Task<(RestApi Api, string RootId)> CreateRestApiWithIntegrationAsync(int timeoutInMillis)
    {
        var api = await _rest.CreateRestApiAsync("orders");
        var root = Assert.Single(await _rest.GetResourcesAsync(api.Id), resource => resource.Path == "/");
        await _rest.PutMethodAsync(api.Id, root.Id, "GET");
        await _rest.PutIntegrationAsync(api.Id, root.Id, "GET", "https://example.com/", timeoutInMillis);
        return (api, root.Id);
    }
}
