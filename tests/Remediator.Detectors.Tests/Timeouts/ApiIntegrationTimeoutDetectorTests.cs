using System.Text.Json.Nodes;
using Remediator.Core;
using Remediator.Core.Ports;
using Remediator.Detectors.Tests.Actions;
using Remediator.Detectors.Timeouts;

namespace Remediator.Detectors.Tests.Timeouts;

public sealed class ApiIntegrationTimeoutDetectorTests
{
    private static readonly Remediator.Core.Registry.DetectorDescriptor Descriptor = ApiIntegrationTimeoutDetector.Descriptor;
    private const string Rest29000 = "synthetic/apigateway/PutIntegration_timeout_29000.json";
    private const string Rest5000 = "synthetic/apigateway/PutIntegration_timeout_5000.json";
    private const string RestWithoutTimeout = "synthetic/apigateway/PutIntegration_without_timeout.json";
    private const string RestPatchTimeout = "synthetic/apigateway/UpdateIntegration_patch_timeout.json";
    private const string RestPatchOther = "synthetic/apigateway/UpdateIntegration_patch_other.json";
    private const string Http30000 = "synthetic/apigateway/CreateIntegration_v2_timeout_30000.json";
    private const string Http8000 = "synthetic/apigateway/UpdateIntegration_v2_timeout_8000.json";

    private static object Options(params (string, object?)[] values) => DetectorHarness.Bind(Descriptor, values);

    [Fact]
    public async Task Rest_integration_at_29000_ms_is_above_the_default_maximum_and_reverted_then_redeployed()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, Rest29000));

        Assert.Equal(ApiIntegrationTimeoutDetector.CheckAboveMaximum, finding.Check);
        Assert.Equal("arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5", finding.Resource);
        Assert.Equal("AWS::ApiGateway::RestApi", finding.ResourceType);
        Assert.Contains("integration: /restapis/a1b2c3d4e5/resources/r1abcd/methods/GET/integration", finding.Evidence);
        Assert.Equal(2, finding.RevertSteps.Count);

        var update = finding.RevertSteps[0];
        Assert.Equal("apigateway:UpdateIntegration", update.Operation);
        Assert.Equal("arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/r1abcd/methods/GET/integration", update.Resource);
        Assert.Equal("a1b2c3d4e5", (string?)update.Parameters["restApiId"]);
        Assert.Equal("r1abcd", (string?)update.Parameters["resourceId"]);
        Assert.Equal("GET", (string?)update.Parameters["httpMethod"]);
        var patch = Assert.Single(update.Parameters["patchOperations"]!.AsArray())!;
        Assert.Equal("replace", (string?)patch["op"]);
        Assert.Equal("/timeoutInMillis", (string?)patch["path"]);
        Assert.Equal("10000", (string?)patch["value"]);
        Assert.Equal(29000, (long)update.Parameters["PreviousTimeoutInMillis"]!);
        Assert.Equal(["apigateway:PATCH"], update.Permissions);

        var deploy = finding.RevertSteps[1];
        Assert.Equal("apigateway:CreateDeployment", deploy.Operation);
        Assert.Equal("a1b2c3d4e5", (string?)deploy.Parameters["restApiId"]);
        Assert.True(deploy.Parameters.ContainsKey("stageName"));
        Assert.Null(deploy.Parameters["stageName"]);
        Assert.Contains("all stages", deploy.Description, StringComparison.Ordinal);
        Assert.Equal(["apigateway:POST"], deploy.Permissions);
    }

    [Theory]
    [InlineData(true, ApiIntegrationTimeoutDetector.CheckAtServiceMaximum)]
    [InlineData(false, null)]
    public async Task The_service_maximum_is_flagged_only_when_asked(bool flag, string? expectedCheck)
    {
        var findings = await DetectorHarness.DetectAsync(
            Descriptor, Rest29000, Options(("maximumMillis", 29000L), ("flagServiceMaximum", flag)));

        Assert.Equal(expectedCheck, findings.SingleOrDefault()?.Check);
    }

    [Fact]
    public async Task Rest_integration_within_the_maximum_is_fine()
    {
        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, Rest5000));
    }

    [Fact]
    public async Task Rest_integration_without_a_timeout_gets_and_is_judged_at_the_29000_ms_default()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(
            Descriptor, RestWithoutTimeout, Options(("maximumMillis", 29000L))));

        Assert.Equal(ApiIntegrationTimeoutDetector.CheckAtServiceMaximum, finding.Check);
        Assert.Contains("29000 ms", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_patch_of_timeoutInMillis_inside_updateIntegrationInput_is_judged()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, RestPatchTimeout));

        Assert.Equal(ApiIntegrationTimeoutDetector.CheckAboveMaximum, finding.Check);
        Assert.Equal(25000, (long)finding.RevertSteps[0].Parameters["PreviousTimeoutInMillis"]!);
    }

    [Fact]
    public async Task Rest_patch_that_does_not_touch_the_timeout_finds_nothing()
    {
        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, RestPatchOther, Options(("maximumMillis", 50L), ("targetMillis", 50L))));
    }

    [Fact]
    public async Task Rest_patch_removing_the_timeout_resets_it_to_the_service_default()
    {
        var ev = DetectorHarness.Parse("""
            {"eventSource":"apigateway.amazonaws.com","eventName":"UpdateIntegration","awsRegion":"eu-west-1",
             "requestParameters":{"restApiId":"a","resourceId":"r","httpMethod":"POST","patchOperations":[{"op":"remove","path":"/timeoutInMillis"}]}}
            """);

        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, ev));

        Assert.Contains("29000 ms", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Known_stages_get_one_deployment_each()
    {
        var port = new FixedApiGatewayPort(["prod", "dev"]);

        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, Rest29000, ports: DetectorHarness.Ports(apiGateway: port)));

        var deployments = finding.RevertSteps.Where(s => s.Operation == "apigateway:CreateDeployment").ToList();
        Assert.Equal(["prod", "dev"], deployments.Select(d => (string?)d.Parameters["stageName"]));
        Assert.Equal("a1b2c3d4e5", port.StagesAskedFor);
    }

    [Fact]
    public async Task The_current_integration_timeout_read_through_the_port_decides()
    {
        var port = new FixedApiGatewayPort([], restTimeout: 3000);

        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, Rest29000, ports: DetectorHarness.Ports(apiGateway: port)));
    }

    [Fact]
    public async Task Http_api_CreateIntegration_is_told_apart_by_apiId_and_reverted_with_UpdateIntegration()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, Http30000));

        Assert.Equal(ApiIntegrationTimeoutDetector.CheckAboveMaximum, finding.Check);
        Assert.Equal("AWS::ApiGatewayV2::Api", finding.ResourceType);
        Assert.Equal("arn:aws:apigateway:eu-west-1::/apis/h7j8k9l0m1", finding.Resource);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("apigateway:UpdateIntegration", step.Operation);
        Assert.Equal("h7j8k9l0m1", (string?)step.Parameters["ApiId"]);
        Assert.Equal("x9y8z7w", (string?)step.Parameters["IntegrationId"]);
        Assert.Equal(10000, (int)step.Parameters["TimeoutInMillis"]!);
        Assert.Contains("auto-deploy", step.Description, StringComparison.Ordinal);
        Assert.Equal(["apigateway:PATCH"], step.Permissions);
    }

    [Fact]
    public async Task Http_api_at_its_30000_ms_service_maximum_is_flagged_when_the_maximum_allows_it()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, Http30000, Options(("maximumMillis", 30000L))));

        Assert.Equal(ApiIntegrationTimeoutDetector.CheckAtServiceMaximum, finding.Check);
    }

    [Theory]
    [InlineData(10000L, 10000L, false)]
    [InlineData(5000L, 5000L, true)]
    public async Task Http_api_UpdateIntegration_with_top_level_timeout(long maximum, long target, bool expectFinding)
    {
        var findings = await DetectorHarness.DetectAsync(Descriptor, Http8000, Options(("maximumMillis", maximum), ("targetMillis", target)));

        Assert.Equal(expectFinding, findings.Count == 1);
    }

    [Theory]
    [InlineData("""{"restApiId":"a","patchOperations":"odd"}""", "UpdateIntegration")]
    [InlineData("""{"restApiId":"a","patchOperations":[1,null,{"path":5}]}""", "UpdateIntegration")]
    [InlineData("""{"restApiId":"a","putIntegrationInput":"null","timeoutInMillis":"x"}""", "PutIntegration")]
    [InlineData("""{"apiId":["a"],"timeoutInMillis":999999}""", "CreateIntegration")]
    [InlineData("""null""", "PutIntegration")]
    [InlineData("""{"restApiId":"a","resourceId":"r","httpMethod":"GET"}""", "CreateStage")]
    public async Task Odd_requests_never_throw_and_find_nothing(string requestParameters, string eventName)
    {
        var ev = DetectorHarness.Parse($$"""
            {"eventSource":"apigateway.amazonaws.com","eventName":"{{eventName}}","requestParameters":{{requestParameters}}}
            """);

        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, ev, Options(("maximumMillis", 300000L), ("flagServiceMaximum", false))));
    }

    [Fact]
    public async Task Rest_integration_without_resource_and_method_is_found_but_cannot_be_reverted()
    {
        var ev = DetectorHarness.Parse("""
            {"eventSource":"apigateway.amazonaws.com","eventName":"PutIntegration","requestParameters":{"restApiId":"a","timeoutInMillis":"20000"}}
            """);

        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, ev));

        Assert.Equal("/restapis/a", finding.Resource);
        Assert.Empty(finding.RevertSteps);
    }

    [Fact]
    public void Options_have_the_documented_defaults()
    {
        var options = Assert.IsType<TimeoutOptions>(DetectorHarness.Bind(Descriptor));

        Assert.Equal(new TimeoutOptions(10000, 10000, true), options);
    }

    [Theory]
    [InlineData("maximumMillis", 49L, "maximumMillis")]
    [InlineData("maximumMillis", 300001L, "maximumMillis")]
    [InlineData("targetMillis", 29001L, "targetMillis")]
    [InlineData("targetMillis", 20000L, "must not exceed 'maximumMillis'")]
    public void Bad_option_values_are_rejected_with_a_clear_message(string name, long value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => DetectorHarness.Bind(Descriptor, (name, value)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_timeout_detectors_are_registered_for_missing_timeout()
    {
        var registry = new Remediator.Core.Registry.ElementRegistry().AddTimeoutDetectors();

        Assert.True(registry.TryGetDetector("lambda-timeout", out var lambda));
        Assert.True(registry.TryGetDetector("api-integration-timeout", out var api));
        Assert.Equal(Concerns.MissingTimeout, lambda.Concern);
        Assert.Equal(Concerns.MissingTimeout, api.Concern);
    }

    private sealed class FixedApiGatewayPort(IReadOnlyList<string> stages, int? restTimeout = null) : IApiGatewayStatePort
    {
        public string? StagesAskedFor { get; private set; }

        public ValueTask<IReadOnlyList<string>?> GetStagesAsync(string restApiId, CancellationToken cancellationToken)
        {
            StagesAskedFor = restApiId;
            return ValueTask.FromResult<IReadOnlyList<string>?>(stages);
        }

        public ValueTask<int?> GetRestIntegrationTimeoutAsync(string restApiId, string resourceId, string httpMethod, CancellationToken cancellationToken) =>
            ValueTask.FromResult(restTimeout);

        public ValueTask<int?> GetHttpIntegrationTimeoutAsync(string apiId, string integrationId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<int?>(null);
    }
}
