using System.Net;
using Amazon.Runtime;
using Remediator.Aws.ApiGateway;
using Remediator.Aws.EventBridge;
using Remediator.Aws.Iam;
using Remediator.Aws.Lambda;
using Remediator.Aws.Sns;

namespace Remediator.Aws.Tests.Transport;

/// <summary>
/// Proves the SigV4 signing right for every protocol: a private moto that checks signatures after the first three
/// requests (INITIAL_NO_AUTH_ACTION_COUNT=3), which create an IAM user, allow it everything and give it a key.
/// Requests signed with that key pass; a wrong secret or an unknown key is refused.
/// </summary>
public sealed class SignatureMotoTests : IAsyncLifetime
{
    private const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string TrustLambda = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private MotoServer? _moto;
    private IamAccessKey? _key;

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartPrivateAsync(new Dictionary<string, string> { ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3" });
        using var setup = new IamClient(TestAws.Options(_moto.Endpoint, maxAttempts: 1), TestAws.Settings());
        await setup.CreateUserAsync("guard");
        await setup.PutInlinePolicyAsync(IamPrincipal.User("guard"), "all", AllowAll);
        _key = await setup.CreateAccessKeyAsync("guard");
    }

    public Task DisposeAsync()
    {
        _moto?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Requests_signed_with_the_users_key_are_accepted_by_every_protocol()
    {
        var credentials = new BasicAWSCredentials(_key!.AccessKeyId, _key.SecretAccessKey);
        var options = TestAws.Options(_moto!.Endpoint, maxAttempts: 1);
        using var iam = new IamClient(options, TestAws.Settings(credentials: credentials));
        using var events = new EventBridgeClient(options, TestAws.Settings(credentials: credentials));
        using var lambda = new LambdaClient(options, TestAws.Settings(credentials: credentials));
        using var rest = new ApiGatewayClient(options, TestAws.Settings(credentials: credentials));
        using var sns = new SnsClient(options, TestAws.Settings(credentials: credentials));

        // Query (IAM; its policy document travels RFC 3986-encoded in the signed body).
        var role = await iam.CreateRoleAsync("fn-role", TrustLambda);
        Assert.Equal("fn-role", (await iam.GetRoleAsync("fn-role")).RoleName);
        // JSON 1.1.
        Assert.Equal("default", (await events.DescribeEventBusAsync(null)).Name);
        // REST-JSON. Paths holding an escaped ARN (Lambda tags) are left out: moto recomputes the signature over the
        // decoded path and refuses boto3's own requests there too; BotocoreSignatureTests compares those with botocore.
        var function = await lambda.CreateFunctionAsync("fn", role.Arn, "python3.12", "index.handler", [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 3);
        Assert.Equal(3, (await lambda.GetFunctionConfigurationAsync("fn")).Timeout);
        Assert.Equal(function.FunctionArn, (await lambda.UpdateTimeoutAsync("fn", 10)).FunctionArn);
        Assert.False(string.IsNullOrEmpty((await rest.CreateRestApiAsync("api")).Id));
        var topic = await sns.CreateTopicAsync("alerts");
        Assert.False(string.IsNullOrEmpty(await sns.PublishAsync(topic, "signed")));
    }

    [Fact]
    public async Task Wrong_secret_is_refused_as_a_signature_mismatch()
    {
        var credentials = new BasicAWSCredentials(_key!.AccessKeyId, "not-the-secret-" + new string('x', 25));
        using var iam = new IamClient(TestAws.Options(_moto!.Endpoint, maxAttempts: 1), TestAws.Settings(credentials: credentials));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => iam.GetRoleAsync("anything"));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
    }

    [Fact]
    public async Task Unknown_access_key_is_refused()
    {
        using var events = new EventBridgeClient(TestAws.Options(_moto!.Endpoint, maxAttempts: 1), TestAws.Settings(credentials: TestAws.Credentials));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => events.DescribeEventBusAsync(null));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
    }
}
