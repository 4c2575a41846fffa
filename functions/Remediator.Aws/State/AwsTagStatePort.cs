using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediator.Aws.ApiGateway;
using Remediator.Aws.EventBridge;
using Remediator.Aws.Iam;
using Remediator.Aws.Lambda;
using Remediator.Core.Ports;

namespace Remediator.Aws.State;

/// <summary>
/// A resource's tags, by CloudFormation type, each service through its own call. Types that cannot carry tags (an
/// IAM group) answer an empty map; types this port does not know, and names that are not the ARN a call needs, answer
/// null (unknown), so that the engine falls back on the event.
/// </summary>
public sealed class AwsTagStatePort : ITagStatePort
{
    private readonly AwsClients _clients;

    public AwsTagStatePort(AwsClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
    }

    public async ValueTask<IReadOnlyDictionary<string, string>?> GetTagsAsync(string resourceArn, string resourceType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceArn);
        var isArn = resourceArn.StartsWith("arn:", StringComparison.Ordinal);
        switch (resourceType)
        {
            case "AWS::IAM::Role" when IamName(resourceArn, "role/") is { } role:
                return await Missing.AsNullAsync(() => _clients.Iam.ListRoleTagsAsync(role, cancellationToken)).ConfigureAwait(false);
            case "AWS::IAM::User" when IamName(resourceArn, "user/") is { } user:
                return await Missing.AsNullAsync(() => _clients.Iam.ListUserTagsAsync(user, cancellationToken)).ConfigureAwait(false);
            case "AWS::IAM::Group":
                return new Dictionary<string, string>();
            case "AWS::IAM::ManagedPolicy" or "AWS::IAM::Policy" when isArn:
                return (await Missing.AsNullAsync(() => _clients.Iam.GetPolicyAsync(resourceArn, cancellationToken)).ConfigureAwait(false))?.Tags;
            case "AWS::Events::EventBus" when isArn:
                return await Missing.AsNullAsync(() => _clients.EventBridge.ListTagsForResourceAsync(resourceArn, cancellationToken)).ConfigureAwait(false);
            case "AWS::Lambda::Function" when isArn:
                return await Missing.AsNullAsync(() => _clients.Lambda.ListTagsAsync(resourceArn, cancellationToken)).ConfigureAwait(false);
            case "AWS::DynamoDB::Table" when isArn:
                return await DynamoDbTagsAsync(_clients.DynamoDb, resourceArn, cancellationToken).ConfigureAwait(false);
            case "AWS::ApiGateway::RestApi" or "AWS::ApiGateway::Stage" when isArn:
                return await Missing.AsNullAsync(() => _clients.ApiGateway.GetTagsAsync(resourceArn, cancellationToken)).ConfigureAwait(false);
            case "AWS::ApiGatewayV2::Api" when isArn:
                return await Missing.AsNullAsync(() => _clients.ApiGatewayV2.GetTagsAsync(resourceArn, cancellationToken)).ConfigureAwait(false);
            default:
                return null;
        }
    }

    /// <summary>ListTagsOfResource, every page; null when the table is gone.</summary>
    internal static async Task<IReadOnlyDictionary<string, string>?> DynamoDbTagsAsync(IAmazonDynamoDB dynamoDb, string tableArn, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? next = null;
        try
        {
            do
            {
                var page = await dynamoDb.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = tableArn, NextToken = next }, cancellationToken).ConfigureAwait(false);
                foreach (var tag in page.Tags ?? [])
                {
                    tags[tag.Key] = tag.Value;
                }

                next = page.NextToken;
            }
            while (!string.IsNullOrEmpty(next));
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }

        return tags;
    }

    /// <summary>The last path segment after <c>role/</c>, <c>user/</c>: IAM names are unique without their path.</summary>
    internal static string? IamName(string arn, string kind)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || !parts[5].StartsWith(kind, StringComparison.Ordinal))
        {
            return null;
        }

        var name = parts[5][(parts[5].LastIndexOf('/') + 1)..];
        return name.Length == 0 ? null : name;
    }
}
