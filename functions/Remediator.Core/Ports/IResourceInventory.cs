using Remediator.Core.Sweep;

namespace Remediator.Core.Ports;

/// <summary>
/// Lists and describes what exists, one concern at a time, for the sweep. Listing is streamed (one page at a time) so
/// that a sweep's memory does not grow with the number of resources. A resource that cannot be described is yielded
/// as a <see cref="DescribeFailure"/> and the listing goes on: one bad resource never ends a sweep.
/// </summary>
public interface IResourceInventory
{
    /// <summary>The account the inventory reads (STS GetCallerIdentity of its credentials).</summary>
    ValueTask<string> AccountAsync(CancellationToken cancellationToken);

    /// <summary>The region the inventory reads (IAM, being global, is listed whatever the region).</summary>
    string Region { get; }

    IAsyncEnumerable<DescribedResource> ListAsync(string concern, CancellationToken cancellationToken);
}
