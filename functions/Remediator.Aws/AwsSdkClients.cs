using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Remediator.Aws.Transport;

namespace Remediator.Aws;

/// <summary>
/// The official AWSSDK clients for the services NuGet serves here (DynamoDB, SSM, STS, SQS), configured with the same
/// region, endpoint resolution and credentials as the signed clients, so one <see cref="AwsClientOptions"/> points
/// everything at AWS or at moto.
/// </summary>
public sealed class AwsSdkClients
{
    private readonly AwsClientOptions _options;
    private readonly AWSCredentials? _credentials;
    private readonly Func<string, string?>? _environment;

    /// <param name="credentials">Null resolves the default chain.</param>
    /// <param name="environment">Reads endpoint variables; null reads the process environment.</param>
    public AwsSdkClients(AwsClientOptions options, AWSCredentials? credentials = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _credentials = credentials;
        _environment = environment;
    }

    public AmazonDynamoDBClient CreateDynamoDb() => new(Credentials(), Configure(new AmazonDynamoDBConfig(), AwsService.DynamoDb));

    public AmazonSimpleSystemsManagementClient CreateSsm() => new(Credentials(), Configure(new AmazonSimpleSystemsManagementConfig(), AwsService.Ssm));

    public AmazonSecurityTokenServiceClient CreateSts() => new(Credentials(), Configure(new AmazonSecurityTokenServiceConfig(), AwsService.Sts));

    /// <summary>For <c>remediator redrive</c>, which reads the failure queue.</summary>
    public AmazonSQSClient CreateSqs() => new(Credentials(), Configure(new AmazonSQSConfig(), AwsService.Sqs));

    /// <summary>The endpoint a client for <paramref name="service"/> is given: an override, or null for the SDK's own resolution.</summary>
    public Uri? EndpointOverride(AwsService service)
    {
        var endpoint = AwsEndpoint.Resolve(service, _options, _environment);
        var isPublic = endpoint.BaseUri.Host.EndsWith(".amazonaws.com", StringComparison.Ordinal)
            || endpoint.BaseUri.Host.EndsWith(".amazonaws.com.cn", StringComparison.Ordinal);
        return _options.EndpointUrl is null && isPublic ? null : endpoint.BaseUri;
    }

    private AWSCredentials Credentials() => _credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials();

    private T Configure<T>(T config, AwsService service)
        where T : ClientConfig
    {
        var endpoint = EndpointOverride(service);
        if (endpoint is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(_options.Region);
        }
        else
        {
            // ServiceURL replaces the SDK's endpoint; the region must still be named for the signature scope.
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = _options.Region;
        }

        config.MaxErrorRetry = _options.MaxAttempts - 1;
        config.Timeout = _options.AttemptTimeout;
        return config;
    }
}
