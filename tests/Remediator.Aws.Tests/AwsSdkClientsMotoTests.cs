using Amazon.DynamoDBv2.Model;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Remediator.Aws.Tests;

/// <summary>The AWSSDK clients from <see cref="AwsSdkClients"/> reach moto through the same options.</summary>
[Collection(MotoCollection.Name)]
public sealed class AwsSdkClientsMotoTests : IAsyncLifetime
{
    private readonly MotoServer _moto;

    public AwsSdkClientsMotoTests(MotoServer moto) => _moto = moto;

    public Task InitializeAsync() => _moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Ssm_secure_string_is_written_and_read_back_decrypted()
    {
        using var ssm = Clients().CreateSsm();

        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/remediator/slack", Value = "not-a-real-url", Type = ParameterType.SecureString });
        var read = await ssm.GetParameterAsync(new GetParameterRequest { Name = "/remediator/slack", WithDecryption = true });

        Assert.Equal("not-a-real-url", read.Parameter.Value);
    }

    [Fact]
    public async Task Sts_names_the_caller_account()
    {
        using var sts = Clients().CreateSts();

        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal(MotoServer.AccountId, identity.Account);
    }

    [Fact]
    public async Task DynamoDb_lists_tables_in_the_region()
    {
        using var dynamo = Clients().CreateDynamoDb();

        var tables = await dynamo.ListTablesAsync(new ListTablesRequest());

        Assert.Empty(tables.TableNames ?? []);
    }

    [Fact]
    public void Public_endpoints_are_left_to_the_sdk_and_overrides_are_passed_on()
    {
        var publicClients = new AwsSdkClients(new AwsClientOptions { Region = "eu-west-1" }, TestAws.Credentials, _ => null);
        var fromEnvironment = new AwsSdkClients(new AwsClientOptions { Region = "eu-west-1" }, TestAws.Credentials, name => name == "AWS_ENDPOINT_URL_SSM" ? "http://127.0.0.1:4566" : null);

        Assert.Null(publicClients.EndpointOverride(AwsService.DynamoDb));
        Assert.Equal(new Uri("http://127.0.0.1:4566"), fromEnvironment.EndpointOverride(AwsService.Ssm));
        Assert.Null(fromEnvironment.EndpointOverride(AwsService.Sts));
    }

    private AwsSdkClients Clients() => new(TestAws.Options(_moto.Endpoint), TestAws.Credentials, _ => null);
}
