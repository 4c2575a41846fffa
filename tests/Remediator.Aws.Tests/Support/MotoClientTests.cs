namespace Remediator.Aws.Tests.Support;

/// <summary>
/// A test class whose signed clients talk to this project's moto: the server is reset before each test, and the
/// clients made with <see cref="Client{T}"/> are disposed after it. Each test class still names the moto collection
/// itself: xunit reads the attribute from the test class, not its base.
/// </summary>
public abstract class MotoClientTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private readonly List<IDisposable> _clients = [];

    protected MotoServer Moto { get; } = moto;

    public Task InitializeAsync() => Moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A client against moto with the tests' credentials and no environment, owned by the test.</summary>
    protected T Client<T>(Func<AwsClientOptions, AwsTransportSettings, T> create)
        where T : IDisposable
    {
        ArgumentNullException.ThrowIfNull(create);
        var client = create(TestAws.Options(Moto.Endpoint), TestAws.Settings());
        _clients.Add(client);
        return client;
    }
}
