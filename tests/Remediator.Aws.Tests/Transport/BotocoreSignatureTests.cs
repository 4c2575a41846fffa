using System.Diagnostics;
using System.Text.RegularExpressions;
using Remediator.Aws.ApiGateway;
using Remediator.Aws.EventBridge;
using Remediator.Aws.Iam;
using Remediator.Aws.Lambda;
using Remediator.Aws.Sns;

namespace Remediator.Aws.Tests.Transport;

/// <summary>
/// The signature of a captured request equals the one botocore's own SigV4 signer computes for the same request,
/// time and credentials. This covers what moto cannot check: paths that hold an escaped ARN, where SigV4 for
/// non-S3 services encodes the already-escaped path a second time.
/// </summary>
public sealed class BotocoreSignatureTests
{
    private const string Script = """
        import sys, json
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        d = json.load(sys.stdin)
        request = AWSRequest(method=d["method"], url=d["url"], data=d["body"].encode("utf-8"), headers=d["headers"])
        request.context["timestamp"] = d["amzDate"]
        auth = SigV4Auth(Credentials(d["key"], d["secret"]), d["service"], d["region"])
        canonical = auth.canonical_request(request)
        print(auth.signature(auth.string_to_sign(request, canonical), request))
        """;

    private static readonly Dictionary<string, Func<HttpMessageHandler, Task>> Calls = new()
    {
        ["lambda ListTags (ARN in the path)"] = handler => Use(new LambdaClient(TestAws.Options(), TestAws.Settings(handler)), client => client.ListTagsAsync("arn:aws:lambda:eu-west-1:123456789012:function:orders")),
        ["lambda TagResource (ARN in the path, body)"] = handler => Use(new LambdaClient(TestAws.Options(), TestAws.Settings(handler)), client => client.TagResourceAsync("arn:aws:lambda:eu-west-1:123456789012:function:orders", new Dictionary<string, string> { ["a b"] = "c+d" })),
        ["lambda GetFunctionConfiguration (query string)"] = handler => Use(new LambdaClient(TestAws.Options(), TestAws.Settings(handler)), client => client.GetFunctionConfigurationAsync("orders", "live")),
        ["apigateway TagResource (ARN with slashes in the path)"] = handler => Use(new ApiGatewayClient(TestAws.Options(), TestAws.Settings(handler)), client => client.TagResourceAsync("arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod", new Dictionary<string, string> { ["k"] = "v" })),
        ["apigateway UpdateIntegration (PATCH)"] = handler => Use(new ApiGatewayClient(TestAws.Options(), TestAws.Settings(handler)), client => client.UpdateIntegrationAsync("a1", "r1", "GET", [PatchOperation.Replace("/timeoutInMillis", "29000")])),
        ["iam PutRolePolicy (form body)"] = handler => Use(new IamClient(TestAws.Options(), TestAws.Settings(handler)), client => client.PutInlinePolicyAsync(IamPrincipal.Role("app"), "p", """{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a+b c"}]}""")),
        ["events PutPermission (JSON 1.1)"] = handler => Use(new EventBridgeClient(TestAws.Options(), TestAws.Settings(handler)), client => client.PutPermissionAsync(null, new EventBusPermission("s", "*"))),
        ["sns Publish (form body)"] = handler => Use(new SnsClient(TestAws.Options(), TestAws.Settings(handler)), client => client.PublishAsync("arn:aws:sns:eu-west-1:123456789012:t", "ü & = +")),
    };

    public static TheoryData<string> Cases => new(Calls.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Signature_equals_botocores(string call)
    {
        var handler = new RecordingHandler();
        await Calls[call](handler);
        var request = Assert.Single(handler.Requests);

        var authorization = Regex.Match(request.Header("Authorization")!, @"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");
        var signedHeaders = authorization.Groups[3].Value.Split(';').Where(name => name != "host")
            .ToDictionary(name => name, name => request.Header(name)!);
        var input = JsonSerializerInput(request, signedHeaders, authorization.Groups[1].Value, authorization.Groups[2].Value);

        Assert.Equal(await BotocoreSignatureAsync(input), authorization.Groups[4].Value);
    }

    private static async Task Use<T>(T client, Func<T, Task> call)
        where T : IDisposable
    {
        using (client)
        {
            await call(client);
        }
    }

    private static string JsonSerializerInput(RecordedRequest request, Dictionary<string, string> headers, string region, string service)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("method", request.Method.Method);
            writer.WriteString("url", request.Uri.AbsoluteUri);
            writer.WriteString("body", request.Body);
            writer.WriteString("amzDate", request.Header("X-Amz-Date"));
            writer.WriteString("key", MotoServer.AccessKey);
            writer.WriteString("secret", MotoServer.SecretKey);
            writer.WriteString("region", region);
            writer.WriteString("service", service);
            writer.WriteStartObject("headers");
            foreach (var (name, value) in headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task<string> BotocoreSignatureAsync(string input)
    {
        var start = new ProcessStartInfo("python3", ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return output.Trim();
    }
}
