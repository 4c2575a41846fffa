namespace Remediator.Aws.Transport;

/// <summary>
/// A client of one AWS service: it owns one <see cref="AwsTransport"/> for the service (signing, retries, deadline)
/// and releases it with itself; the subclass speaks the service's protocol over <see cref="Transport"/>.
/// </summary>
public abstract class AwsServiceClient : IDisposable
{
    protected AwsServiceClient(AwsService service, AwsClientOptions options, AwsTransportSettings? settings) =>
        Transport = new AwsTransport(service, options, settings);

    public AwsEndpoint Endpoint => Transport.Endpoint;

    protected AwsTransport Transport { get; }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Transport.Dispose();
        }
    }
}
