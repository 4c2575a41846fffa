using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Remediator.Aws.Ssm;

namespace Remediator.Aws.Tests.Ssm;

/// <summary>SSM against moto: a SecureString written with the AWSSDK is read back decrypted by the signed client.</summary>
[Collection(MotoCollection.Name)]
public sealed class SsmClientMotoTests : MotoClientTests
{
    private readonly SsmClient _ssm;

    public SsmClientMotoTests(MotoServer moto)
        : base(moto)
    {
        _ssm = Client((options, settings) => new SsmClient(options, settings));
    }

    [Fact]
    public async Task A_secure_string_is_read_decrypted()
    {
        using var sdk = new AwsSdkClients(TestAws.Options(Moto.Endpoint), TestAws.Credentials, _ => null).CreateSsm();
        await sdk.PutParameterAsync(new PutParameterRequest { Name = "/remediator/secret", Type = ParameterType.SecureString, Value = "not-to-be-logged-0123456789" });

        Assert.Equal("not-to-be-logged-0123456789", await _ssm.GetParameterAsync("/remediator/secret", withDecryption: true));
    }

    [Fact]
    public async Task A_missing_parameter_fails_with_its_code_and_name()
    {
        var failure = await Assert.ThrowsAsync<AwsServiceException>(() => _ssm.GetParameterAsync("/remediator/absent", withDecryption: true));

        Assert.Equal("ParameterNotFound", failure.ErrorCode);
        Assert.Contains("/remediator/absent", failure.Message, StringComparison.Ordinal);
    }
}
