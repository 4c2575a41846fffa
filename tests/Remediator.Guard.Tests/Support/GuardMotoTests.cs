using Amazon.DynamoDBv2;
using Remediator.Aws.Iam;

namespace Remediator.Guard.Tests.Support;

/// <summary>
/// A guard test class on the shared moto server, set up once here: before each test moto is reset and the audit table
/// created (then <see cref="SetUpAsync"/> runs for what a class needs more); the DynamoDB and IAM clients to moto go
/// with the class. Each subclass keeps its own <c>[Collection(MotoCollection.Name)]</c>.
/// </summary>
public abstract class GuardMotoTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private IamClient? _iam;

    protected MotoServer Moto => moto;

    /// <summary>Client options pointing at moto in the tests' region.</summary>
    protected AwsClientOptions MotoOptions { get; } = new() { Region = Region, EndpointUrl = moto.Endpoint };

    protected AmazonDynamoDBClient DynamoDb { get; } = MotoDynamoDb(moto.Endpoint);

    /// <summary>The central account's IAM on moto (made on first use).</summary>
    protected IamClient Iam => _iam ??= new IamClient(MotoOptions, new AwsTransportSettings { Credentials = Credentials });

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await CreateAuditTableAsync(DynamoDb);
        await SetUpAsync();
    }

    /// <summary>What a class sets up on moto after the reset and the audit table.</summary>
    protected virtual Task SetUpAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        DynamoDb.Dispose();
        _iam?.Dispose();
        GC.SuppressFinalize(this);
    }
}
