using Amazon.DynamoDBv2;
using Amazon.KeyManagementService;
using Remediator.Aws.ApiGateway;
using Remediator.Aws.EventBridge;
using Remediator.Aws.Iam;
using Remediator.Aws.Lambda;
using Remediator.Aws.Transport;

namespace Remediator.Aws.State;

/// <summary>
/// The clients for one region, endpoint and set of credentials: what the state ports and the step executor share.
/// The options are validated here, so a wrong region or endpoint fails when the function starts.
/// </summary>
public sealed class AwsClients : IDisposable
{
    private readonly AwsSdkClients _sdk;
    private string? _callerAccount;

    /// <param name="options">Region, endpoint (moto), retries and timeouts for every client.</param>
    /// <param name="settings">Credentials, handler, clock and deadline of the signed clients; the AWSSDK clients use the same credentials.</param>
    /// <param name="dynamoDb">A DynamoDB client configured by the caller (tests); null builds one from the options. Disposed here either way.</param>
    public AwsClients(AwsClientOptions options, AwsTransportSettings? settings = null, IAmazonDynamoDB? dynamoDb = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        settings ??= new AwsTransportSettings();
        Iam = new IamClient(options, settings);
        EventBridge = new EventBridgeClient(options, settings);
        Lambda = new LambdaClient(options, settings);
        ApiGateway = new ApiGatewayClient(options, settings);
        ApiGatewayV2 = new ApiGatewayV2Client(options, settings);
        _sdk = new AwsSdkClients(options, settings.Credentials, settings.Environment);
        DynamoDb = dynamoDb ?? _sdk.CreateDynamoDb();
        KeyManagement = _sdk.CreateKms();
    }

    public AwsClientOptions Options { get; }

    public IamClient Iam { get; }

    public EventBridgeClient EventBridge { get; }

    public LambdaClient Lambda { get; }

    public ApiGatewayClient ApiGateway { get; }

    public ApiGatewayV2Client ApiGatewayV2 { get; }

    public IAmazonDynamoDB DynamoDb { get; }

    /// <summary>Only for kms:DescribeKey: whether a table's key is the AWS-managed one.</summary>
    public IAmazonKeyManagementService KeyManagement { get; }

    /// <summary>
    /// The account these credentials act in (sts:GetCallerIdentity, which no policy can deny), asked once. For a
    /// command line, whose credentials (a profile, <c>--role-arn</c>) say nothing about their account until asked.
    /// </summary>
    public async Task<string> CallerAccountAsync(CancellationToken cancellationToken)
    {
        if (_callerAccount is null)
        {
            using var sts = _sdk.CreateSts();
            var identity = await sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
            _callerAccount = identity.Account;
        }

        return _callerAccount;
    }

    public void Dispose()
    {
        Iam.Dispose();
        EventBridge.Dispose();
        Lambda.Dispose();
        ApiGateway.Dispose();
        ApiGatewayV2.Dispose();
        DynamoDb.Dispose();
        KeyManagement.Dispose();
    }
}
