using Remediator.Aws.Audit;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.Support;

/// <summary>
/// A test class on the shared moto server, set up once here: moto is reset before each test (and, when the class names
/// an <paramref name="auditTable"/>, that audit table is created on it), and <see cref="Aws"/> holds clients to moto
/// that go with the class. Each subclass keeps its own <c>[Collection(MotoCollection.Name)]</c>.
/// </summary>
public abstract class MotoTests(MotoServer moto, string? auditTable = null) : IAsyncLifetime, IDisposable
{
    protected MotoServer Moto => moto;

    /// <summary>Clients to moto, DynamoDB included.</summary>
    protected AwsClients Aws { get; } = Clients(moto.Endpoint);

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        if (auditTable is not null)
        {
            await Aws.DynamoDb.CreateTableAsync(AuditTableDefinition.CreateTableRequest(auditTable));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the clients; a subclass that holds more releases that too.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Aws.Dispose();
        }
    }
}
