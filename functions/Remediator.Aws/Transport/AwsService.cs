namespace Remediator.Aws.Transport;

/// <summary>
/// One AWS service as the transport needs it: the id that names its endpoint variable, the SigV4 signing name,
/// and how its real endpoint is built.
/// </summary>
/// <param name="ServiceId">The service id of the AWS model (<c>API Gateway</c>); the CLI derives
/// <c>AWS_ENDPOINT_URL_API_GATEWAY</c> from it.</param>
/// <param name="SigningName">The service name in the SigV4 credential scope (<c>apigateway</c>).</param>
/// <param name="EndpointPrefix">The host's first label (<c>apigateway</c>.us-east-1.amazonaws.com).</param>
/// <param name="IsGlobal">True for IAM: one endpoint, signed for us-east-1, whatever the region.</param>
public sealed record AwsService(string ServiceId, string SigningName, string EndpointPrefix, bool IsGlobal = false)
{
    public static readonly AwsService Iam = new("IAM", "iam", "iam", IsGlobal: true);
    public static readonly AwsService EventBridge = new("EventBridge", "events", "events");
    public static readonly AwsService Lambda = new("Lambda", "lambda", "lambda");
    public static readonly AwsService ApiGateway = new("API Gateway", "apigateway", "apigateway");
    public static readonly AwsService ApiGatewayV2 = new("ApiGatewayV2", "apigateway", "apigateway");
    public static readonly AwsService Sns = new("SNS", "sns", "sns");
    public static readonly AwsService DynamoDb = new("DynamoDB", "dynamodb", "dynamodb");
    public static readonly AwsService Ssm = new("SSM", "ssm", "ssm");
    public static readonly AwsService Sts = new("STS", "sts", "sts");
    public static readonly AwsService Sqs = new("SQS", "sqs", "sqs");

    /// <summary>The service-specific endpoint variable, as the AWS CLI and SDKs name it.</summary>
    public string EndpointVariable => "AWS_ENDPOINT_URL_" + ServiceId.ToUpperInvariant().Replace(' ', '_');
}
