using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.Ssm;

/// <summary>The SSM operations <see cref="SsmClient"/> calls, each with the IAM action it needs.</summary>
public static class SsmOperations
{
    public const string TargetPrefix = "AmazonSSM";

    public static readonly AwsOperation GetParameter = AwsOperation.Rpc("ssm", "GetParameter");

    public static readonly IReadOnlyList<AwsOperation> All = [GetParameter];
}

/// <summary>
/// Reads one parameter (JSON 1.1) on the signed transport: the Slack endpoint's secrets, without the AWSSDK's SSM client
/// and its start-up on the click path.
/// </summary>
public sealed class SsmClient : AwsServiceClient
{
    private readonly JsonProtocol _json;

    public SsmClient(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.Ssm, options, settings)
    {
        _json = new JsonProtocol(Transport, SsmOperations.TargetPrefix);
    }

    /// <summary>The parameter's value, decrypted when <paramref name="withDecryption"/> (a SecureString); null when the reply has none.</summary>
    public async Task<string?> GetParameterAsync(string name, bool withDecryption, CancellationToken cancellationToken = default)
    {
        var reply = await _json.CallAsync(SsmOperations.GetParameter, "parameter " + name, writer =>
        {
            writer.WriteString("Name", name);
            writer.WriteBoolean("WithDecryption", withDecryption);
        }, cancellationToken).ConfigureAwait(false);
        return Json.String(Json.Member(reply, "Parameter"), "Value");
    }
}
