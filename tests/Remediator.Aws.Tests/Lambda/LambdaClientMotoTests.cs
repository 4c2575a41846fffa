using System.IO.Compression;
using System.Text;
using Remediator.Aws.Iam;
using Remediator.Aws.Lambda;

namespace Remediator.Aws.Tests.Lambda;

/// <summary>Lambda round trips against moto (a function needs an existing role and a zip).</summary>
[Collection(MotoCollection.Name)]
public sealed class LambdaClientMotoTests : MotoClientTests
{
    private const string TrustLambda = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly LambdaClient _lambda;
    private readonly IamClient _iam;

    public LambdaClientMotoTests(MotoServer moto)
        : base(moto)
    {
        _lambda = Client((options, settings) => new LambdaClient(options, settings));
        _iam = Client((options, settings) => new IamClient(options, settings));
    }

    [Fact]
    public async Task Timeout_is_read_changed_and_read_back()
    {
        var created = await CreateFunctionAsync("orders", timeoutSeconds: 900);
        Assert.Equal(900, (await _lambda.GetFunctionConfigurationAsync("orders")).Timeout);

        var updated = await _lambda.UpdateTimeoutAsync("orders", 30);

        Assert.Equal(30, updated.Timeout);
        var read = await _lambda.GetFunctionConfigurationAsync(created.FunctionArn);
        Assert.Equal(30, read.Timeout);
        Assert.Equal("orders", read.FunctionName);
        Assert.Equal("python3.12", read.Runtime);
    }

    [Fact]
    public async Task Function_tags_are_written_and_read_back_through_the_arn()
    {
        var created = await CreateFunctionAsync("orders", timeoutSeconds: 3);

        await _lambda.TagResourceAsync(created.FunctionArn, new Dictionary<string, string> { ["owner"] = "team-a", ["remediator:exempt"] = "2030-01-01" });

        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a", ["remediator:exempt"] = "2030-01-01" }, await _lambda.ListTagsAsync(created.FunctionArn));
    }

    [Fact]
    public async Task Missing_function_fails_as_not_found_naming_it()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _lambda.GetFunctionConfigurationAsync("missing"));

        Assert.True(error.IsNotFound);
        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.StartsWith("lambda:GetFunctionConfiguration on function/missing failed: ResourceNotFoundException: ", error.Message, StringComparison.Ordinal);
    }

    private async Task<LambdaFunctionConfiguration> CreateFunctionAsync(string name, int timeoutSeconds)
    {
        var role = await _iam.CreateRoleAsync($"{name}-role", TrustLambda);
        var created = await _lambda.CreateFunctionAsync(name, role.Arn, "python3.12", "index.handler", Zip("index.py", "def handler(event, context):\n    return event\n"), timeoutSeconds);
        Assert.Equal(timeoutSeconds, created.Timeout);
        return created;
    }

    private static byte[] Zip(string fileName, string content)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(fileName).Open();
            entry.Write(Encoding.UTF8.GetBytes(content));
        }

        return buffer.ToArray();
    }
}
