using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Lambda;

/// <summary>The Lambda operations <see cref="LambdaClient"/> calls (REST-JSON), each with the IAM action it needs.</summary>
public static class LambdaOperations
{
    public static readonly AwsOperation GetFunctionConfiguration = new("GetFunctionConfiguration", "lambda:GetFunctionConfiguration", HttpMethod.Get, "/2015-03-31/functions/{FunctionName}/configuration");
    public static readonly AwsOperation UpdateFunctionConfiguration = new("UpdateFunctionConfiguration", "lambda:UpdateFunctionConfiguration", HttpMethod.Put, "/2015-03-31/functions/{FunctionName}/configuration");
    public static readonly AwsOperation CreateFunction = new("CreateFunction", "lambda:CreateFunction", HttpMethod.Post, "/2015-03-31/functions");
    public static readonly AwsOperation TagResource = new("TagResource", "lambda:TagResource", HttpMethod.Post, "/2017-03-31/tags/{Resource}");
    public static readonly AwsOperation ListTags = new("ListTags", "lambda:ListTags", HttpMethod.Get, "/2017-03-31/tags/{Resource}");
    public static readonly AwsOperation UntagResource = new("UntagResource", "lambda:UntagResource", HttpMethod.Delete, "/2017-03-31/tags/{Resource}");

    public static readonly IReadOnlyList<AwsOperation> All = [GetFunctionConfiguration, UpdateFunctionConfiguration, CreateFunction, TagResource, ListTags, UntagResource];
}

/// <summary>The parts of a function's configuration the guard reads and reverts.</summary>
public sealed record LambdaFunctionConfiguration(string FunctionName, string FunctionArn, int Timeout, int MemorySize, string Role, string? Runtime, string? RevisionId);

/// <summary>The Lambda calls the guard makes.</summary>
public sealed class LambdaClient : AwsServiceClient
{
    private readonly RestJsonProtocol _rest;

    public LambdaClient(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.Lambda, options, settings)
    {
        _rest = new RestJsonProtocol(Transport);
    }

    /// <param name="functionName">Name, ARN or partial ARN.</param>
    /// <param name="qualifier">A version or alias, or null for $LATEST.</param>
    public async Task<LambdaFunctionConfiguration> GetFunctionConfigurationAsync(string functionName, string? qualifier = null, CancellationToken cancellationToken = default)
    {
        var query = qualifier is null ? null : new[] { new KeyValuePair<string, string>("Qualifier", qualifier) };
        var reply = await _rest.CallAsync(LambdaOperations.GetFunctionConfiguration, Resource(functionName), Labels("FunctionName", functionName), query, null, cancellationToken).ConfigureAwait(false);
        return Read(reply);
    }

    /// <summary>
    /// Sets the timeout (seconds). With <paramref name="revisionId"/> the call fails (PreconditionFailedException)
    /// when someone changed the function since it was read, so a revert never overwrites a newer change.
    /// </summary>
    public async Task<LambdaFunctionConfiguration> UpdateTimeoutAsync(string functionName, int timeoutSeconds, string? revisionId = null, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(LambdaOperations.UpdateFunctionConfiguration, Resource(functionName), Labels("FunctionName", functionName), null, writer =>
        {
            writer.WriteNumber("Timeout", timeoutSeconds);
            writer.WriteStringIfSet("RevisionId", revisionId);
        }, cancellationToken).ConfigureAwait(false);
        return Read(reply);
    }

    /// <summary>Test set-up: a zip-packaged function.</summary>
    public async Task<LambdaFunctionConfiguration> CreateFunctionAsync(string functionName, string roleArn, string runtime, string handler, byte[] zipFile, int timeoutSeconds, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(LambdaOperations.CreateFunction, Resource(functionName), new Dictionary<string, string>(), null, writer =>
        {
            writer.WriteString("FunctionName", functionName);
            writer.WriteString("Role", roleArn);
            writer.WriteString("Runtime", runtime);
            writer.WriteString("Handler", handler);
            writer.WriteNumber("Timeout", timeoutSeconds);
            writer.WriteStartObject("Code");
            writer.WriteBase64String("ZipFile", zipFile);
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
        return Read(reply);
    }

    public Task TagResourceAsync(string functionArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        _rest.CallAsync(LambdaOperations.TagResource, functionArn, Labels("Resource", functionArn), null, writer => writer.WriteStringMap("Tags", tags), cancellationToken);

    public Task UntagResourceAsync(string functionArn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tagKeys);
        return _rest.CallAsync(LambdaOperations.UntagResource, functionArn, Labels("Resource", functionArn),
            tagKeys.Select(key => KeyValuePair.Create("tagKeys", key)).ToList(), null, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>> ListTagsAsync(string functionArn, CancellationToken cancellationToken = default)
    {
        var reply = await _rest.CallAsync(LambdaOperations.ListTags, functionArn, Labels("Resource", functionArn), null, null, cancellationToken).ConfigureAwait(false);
        return Json.StringMap(reply, "Tags");
    }

    private static string Resource(string functionName) => functionName.StartsWith("arn:", StringComparison.Ordinal) ? functionName : $"function/{functionName}";

    private static Dictionary<string, string> Labels(string name, string value) => new(StringComparer.Ordinal) { [name] = value };

    private static LambdaFunctionConfiguration Read(System.Text.Json.JsonElement reply) => new(
        Json.String(reply, "FunctionName") ?? "",
        Json.String(reply, "FunctionArn") ?? "",
        Json.Int(reply, "Timeout") ?? 3,
        Json.Int(reply, "MemorySize") ?? 128,
        Json.String(reply, "Role") ?? "",
        Json.String(reply, "Runtime"),
        Json.String(reply, "RevisionId"));
}
