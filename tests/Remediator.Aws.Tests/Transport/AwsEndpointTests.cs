namespace Remediator.Aws.Tests.Transport;

public sealed class AwsEndpointTests
{
    private static readonly AwsClientOptions EuWest1 = new() { Region = "eu-west-1" };

    public static TheoryData<string, string, string> PublicEndpoints => new()
    {
        { "IAM", "https://iam.amazonaws.com/", "us-east-1" },
        { "EventBridge", "https://events.eu-west-1.amazonaws.com/", "eu-west-1" },
        { "Lambda", "https://lambda.eu-west-1.amazonaws.com/", "eu-west-1" },
        { "API Gateway", "https://apigateway.eu-west-1.amazonaws.com/", "eu-west-1" },
        { "ApiGatewayV2", "https://apigateway.eu-west-1.amazonaws.com/", "eu-west-1" },
        { "SNS", "https://sns.eu-west-1.amazonaws.com/", "eu-west-1" },
    };

    [Theory]
    [MemberData(nameof(PublicEndpoints))]
    public void Without_overrides_the_public_endpoint_is_used(string serviceId, string expected, string signingRegion)
    {
        var endpoint = AwsEndpoint.Resolve(Service(serviceId), EuWest1, _ => null);

        Assert.Equal(new AwsEndpoint(new Uri(expected), signingRegion), endpoint);
    }

    [Theory]
    [InlineData("IAM", "AWS_ENDPOINT_URL_IAM")]
    [InlineData("API Gateway", "AWS_ENDPOINT_URL_API_GATEWAY")]
    [InlineData("ApiGatewayV2", "AWS_ENDPOINT_URL_APIGATEWAYV2")]
    [InlineData("EventBridge", "AWS_ENDPOINT_URL_EVENTBRIDGE")]
    public void Service_variable_is_named_as_the_cli_names_it(string serviceId, string variable) =>
        Assert.Equal(variable, Service(serviceId).EndpointVariable);

    [Fact]
    public void Service_variable_wins_over_the_global_one()
    {
        var environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_LAMBDA"] = "http://127.0.0.1:5001", ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5002" };

        var endpoint = AwsEndpoint.Resolve(AwsService.Lambda, EuWest1, environment.GetValueOrDefault);

        Assert.Equal(new Uri("http://127.0.0.1:5001"), endpoint.BaseUri);
    }

    [Fact]
    public void Global_variable_applies_when_the_service_has_none()
    {
        var environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_LAMBDA"] = "http://127.0.0.1:5001", ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5002" };

        var endpoint = AwsEndpoint.Resolve(AwsService.Sns, EuWest1, environment.GetValueOrDefault);

        Assert.Equal(new Uri("http://127.0.0.1:5002"), endpoint.BaseUri);
    }

    [Fact]
    public void Caller_endpoint_wins_over_the_environment_and_iam_still_signs_for_us_east_1()
    {
        var environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_IAM"] = "http://127.0.0.1:5001" };

        var endpoint = AwsEndpoint.Resolve(AwsService.Iam, EuWest1 with { EndpointUrl = new Uri("http://localhost:4566") }, environment.GetValueOrDefault);

        Assert.Equal(new AwsEndpoint(new Uri("http://localhost:4566"), "us-east-1"), endpoint);
    }

    [Fact]
    public void Malformed_variable_is_reported_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => AwsEndpoint.Resolve(AwsService.Sns, EuWest1, name => name == "AWS_ENDPOINT_URL" ? "localhost:5000" : null));

        Assert.Contains("AWS_ENDPOINT_URL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cn-north-1", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1", "https://sns.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-gov-west-1", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1", "https://sns.us-gov-west-1.amazonaws.com/")]
    public void Other_partitions_use_their_own_hosts(string region, string iam, string iamSigningRegion, string sns)
    {
        var options = new AwsClientOptions { Region = region };

        Assert.Equal(new AwsEndpoint(new Uri(iam), iamSigningRegion), AwsEndpoint.Resolve(AwsService.Iam, options, _ => null));
        Assert.Equal(new Uri(sns), AwsEndpoint.Resolve(AwsService.Sns, options, _ => null).BaseUri);
    }

    private static AwsService Service(string serviceId) =>
        new[] { AwsService.Iam, AwsService.EventBridge, AwsService.Lambda, AwsService.ApiGateway, AwsService.ApiGatewayV2, AwsService.Sns }.Single(service => service.ServiceId == serviceId);
}
