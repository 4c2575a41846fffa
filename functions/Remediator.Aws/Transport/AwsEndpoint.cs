namespace Remediator.Aws.Transport;

/// <summary>Where a service's requests go and which region they are signed for.</summary>
public sealed record AwsEndpoint(Uri BaseUri, string SigningRegion)
{
    /// <summary>The variable that applies to every service when no service-specific one is set.</summary>
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";

    /// <summary>
    /// Resolves as the AWS CLI does: the caller's endpoint, else <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, else
    /// <c>AWS_ENDPOINT_URL</c>, else the service's public endpoint in the region's partition.
    /// </summary>
    /// <param name="environment">Reads an environment variable; tests pass a dictionary.</param>
    public static AwsEndpoint Resolve(AwsService service, AwsClientOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        var signingRegion = SigningRegionFor(service, options.Region);

        if (options.EndpointUrl is not null)
        {
            return new AwsEndpoint(options.EndpointUrl, signingRegion);
        }

        foreach (var variable in new[] { service.EndpointVariable, GlobalEndpointVariable })
        {
            var value = environment(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    throw new ArgumentException($"{variable} '{value}' is not an absolute http(s) URL");
                }

                return new AwsEndpoint(uri, signingRegion);
            }
        }

        return new AwsEndpoint(PublicEndpoint(service, options.Region), signingRegion);
    }

    private static string SigningRegionFor(AwsService service, string region)
    {
        if (!service.IsGlobal)
        {
            return region;
        }

        // IAM's global endpoint lives in each partition's first region.
        return PartitionOf(region) switch
        {
            Partition.China => "cn-north-1",
            Partition.GovCloud => "us-gov-west-1",
            _ => "us-east-1",
        };
    }

    private static Uri PublicEndpoint(AwsService service, string region)
    {
        var partition = PartitionOf(region);
        if (service.IsGlobal)
        {
            return partition switch
            {
                Partition.China => new Uri($"https://{service.EndpointPrefix}.cn-north-1.amazonaws.com.cn/"),
                Partition.GovCloud => new Uri($"https://{service.EndpointPrefix}.us-gov.amazonaws.com/"),
                _ => new Uri($"https://{service.EndpointPrefix}.amazonaws.com/"),
            };
        }

        var suffix = partition == Partition.China ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service.EndpointPrefix}.{region}.{suffix}/");
    }

    private static Partition PartitionOf(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? Partition.China
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? Partition.GovCloud
        : Partition.Aws;

    private enum Partition
    {
        Aws,
        China,
        GovCloud,
    }
}
