using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Remediator.Core.Rules;

namespace Remediator.Guard;

/// <summary>
/// The seams of a guard for tests and local runs. A deployed function leaves them all null: region and credentials
/// come from the Lambda environment, the endpoint from AWS_ENDPOINT_URL when set, the rules from the binary.
/// </summary>
public sealed record GuardOverrides
{
    /// <summary>One endpoint for every service (moto); null: AWS_ENDPOINT_URL[_SERVICE] or the public endpoints.</summary>
    public Uri? EndpointUrl { get; init; }

    public AWSCredentials? Credentials { get; init; }

    /// <summary>A DynamoDB client configured by the caller (owned and disposed by the guard).</summary>
    public IAmazonDynamoDB? DynamoDb { get; init; }

    public TimeProvider? Clock { get; init; }

    /// <summary>The HTTP handler under the request signer of the signed clients (tests record every call with it).</summary>
    public HttpMessageHandler? InnerHandler { get; init; }

    /// <summary>Rules to run instead of the built-in ones; still narrowed to the guard's concern.</summary>
    public IReadOnlyList<Rule>? Rules { get; init; }

    /// <summary>Reads environment variables for endpoint resolution; null reads the process environment.</summary>
    public Func<string, string?>? Environment { get; init; }
}
