using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Remediator.Core.Events;
using Remediator.Core.Ports;

namespace Remediator.Core.Sweep;

/// <summary>
/// Turns a described resource into the CloudTrail event that would have put it in force, in CloudTrail's own shapes,
/// as <c>check-template</c> does for template resources. This is why the sweep needs no second implementation of any
/// check: the detectors already read the current state through the ports wherever the event only says where to look
/// (attachments, default versions, bus policies, timeouts, table encryption), and judge the document where the event
/// carries it (inline and trust policies), which the sweep fills with the document as read now.
/// <para>
/// The event id is the sweep key: <c>sweep-</c> + a digest of (concern, resource, content hash of what is judged).
/// The audit record id adds the rule, so an unchanged wrong resource maps onto the same records sweep after sweep
/// (the store's conditional write lets the first through and reports the rest as already recorded), while a change to
/// the resource's content makes a new key and is judged afresh.
/// </para>
/// </summary>
public static class SweepEvents
{
    /// <summary>Every sweep event id starts so: how the audit trail tells a sweep's records from the event path's.</summary>
    public const string EventIdPrefix = "sweep-";

    /// <summary>IAM is global; CloudTrail records its calls in us-east-1, where the IAM rules listen.</summary>
    public const string IamRegion = "us-east-1";

    /// <summary>Lambda's default timeout: a function that runs with it is judged as one created without a timeout.</summary>
    public const int LambdaDefaultTimeoutSeconds = 3;

    public static bool IsSweepEventId(string? eventId) => eventId?.StartsWith(EventIdPrefix, StringComparison.Ordinal) == true;

    /// <summary>The synthesized event and its key parts.</summary>
    public static SweepEvent For(DescribedResource described, string account, string region, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(described);
        return described switch
        {
            DescribedInlinePolicy p => Build(described, Content(p.Document), "iam.amazonaws.com", $"Put{KindName(p.Kind)}Policy", IamRegion, account, now,
                request => { request.WriteString(NameMember(p.Kind), p.PrincipalName); request.WriteString("policyName", p.PolicyName); request.WriteString("policyDocument", p.Document); }),
            DescribedAttachment a => Build(described, Content(a.PolicyArn), "iam.amazonaws.com", $"Attach{KindName(a.Kind)}Policy", IamRegion, account, now,
                request => { request.WriteString(NameMember(a.Kind), a.PrincipalName); request.WriteString("policyArn", a.PolicyArn); }),
            DescribedTrustPolicy t => Build(described, Content(t.Document), "iam.amazonaws.com", "UpdateAssumeRolePolicy", IamRegion, account, now,
                request => { request.WriteString("roleName", t.RoleName); request.WriteString("policyDocument", t.Document); }),
            DescribedManagedPolicy m => Build(described, Content(m.DefaultVersionId), "iam.amazonaws.com", "SetDefaultPolicyVersion", IamRegion, account, now,
                request => { request.WriteString("policyArn", m.PolicyArn); request.WriteString("versionId", m.DefaultVersionId); }),
            DescribedEventBus b => Build(described, Content(b.Policy ?? "(no policy)"), "events.amazonaws.com", "PutPermission", region, account, now,
                request => request.WriteString("eventBusName", b.Name)),
            DescribedFunction f => Function(f, account, region, now),
            DescribedRestIntegration r => Build(described, Content(Show(r.TimeoutInMillis)), "apigateway.amazonaws.com", "PutIntegration", region, account, now,
                request =>
                {
                    request.WriteString("restApiId", r.RestApiId);
                    request.WriteString("resourceId", r.ResourceId);
                    request.WriteString("httpMethod", r.HttpMethod);
                    WriteIfSet(request, "timeoutInMillis", r.TimeoutInMillis);
                },
                response => WriteIfSet(response, "timeoutInMillis", r.TimeoutInMillis)),
            DescribedHttpIntegration h => Build(described, Content(Show(h.TimeoutInMillis)), "apigateway.amazonaws.com", "CreateIntegration", region, account, now,
                request =>
                {
                    request.WriteString("apiId", h.ApiId);
                    WriteIfSet(request, "timeoutInMillis", h.TimeoutInMillis);
                },
                response => { response.WriteString("integrationId", h.IntegrationId); WriteIfSet(response, "timeoutInMillis", h.TimeoutInMillis); }),
            DescribedTable t => Build(described, Content(t.Encryption.Status ?? "-", t.Encryption.SseType ?? "-", t.Encryption.KmsMasterKeyArn ?? "-"),
                "dynamodb.amazonaws.com", "CreateTable", region, account, now,
                request => request.WriteString("tableName", t.TableName),
                response =>
                {
                    response.WriteStartObject("tableDescription");
                    response.WriteString("tableName", t.TableName);
                    response.WriteString("tableArn", t.TableArn);
                    response.WriteEndObject();
                }),
            _ => throw new ArgumentException($"{described.GetType().Name} has no event: it is not a described resource", nameof(described)),
        };
    }

    /// <summary>
    /// A function running with Lambda's 3 s default is indistinguishable from one created without a timeout, and is
    /// judged as CreateFunction without one (the detector's default-timeout check); any other value as the update
    /// that set it.
    /// </summary>
    private static SweepEvent Function(DescribedFunction f, string account, string region, DateTimeOffset now)
    {
        var isDefault = f.TimeoutSeconds == LambdaDefaultTimeoutSeconds;
        return Build(f, Content(f.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)), "lambda.amazonaws.com",
            isDefault ? "CreateFunction20150331" : "UpdateFunctionConfiguration20150331v2", region, account, now,
            request =>
            {
                request.WriteString("functionName", f.FunctionName);
                if (!isDefault)
                {
                    request.WriteNumber("timeout", f.TimeoutSeconds);
                }
            },
            response =>
            {
                response.WriteString("functionName", f.FunctionName);
                response.WriteString("functionArn", f.FunctionArn);
                response.WriteNumber("timeout", f.TimeoutSeconds);
            });
    }

    /// <summary>The sweep key's event id: <c>sweep-</c> + 32 hex digits of SHA-256 over concern, resource and content hash.</summary>
    public static string EventId(string concern, string resource, string contentHash) =>
        EventIdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(concern + "\n" + resource + "\n" + contentHash)).AsSpan(0, 16));

    private static string Content(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))).AsSpan(0, 16));

    private static SweepEvent Build(
        DescribedResource described, string contentHash, string eventSource, string eventName, string region, string account, DateTimeOffset now,
        Action<Utf8JsonWriter> request, Action<Utf8JsonWriter>? response = null)
    {
        var eventId = EventId(described.Concern, described.Resource, contentHash);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("eventVersion", "1.09");
            writer.WriteStartObject("userIdentity");
            // Nobody is known to have made the change: the sweep found the state, not the call.
            writer.WriteString("type", "Unknown");
            writer.WriteString("principalId", "remediator-sweep");
            writer.WriteEndObject();
            writer.WriteString("eventTime", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            writer.WriteString("eventSource", eventSource);
            writer.WriteString("eventName", eventName);
            writer.WriteString("awsRegion", region);
            writer.WriteString("eventID", eventId);
            writer.WriteString("eventType", "AwsApiCall");
            writer.WriteString("recipientAccountId", account);
            writer.WriteStartObject("requestParameters");
            request(writer);
            writer.WriteEndObject();
            if (response is not null)
            {
                writer.WriteStartObject("responseElements");
                response(writer);
                writer.WriteEndObject();
            }

            writer.WriteStartObject("additionalEventData");
            writer.WriteString("remediatorSweep", described.Resource);
            writer.WriteString("contentHash", contentHash);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var e = CloudTrailEvent.TryCreate(document.RootElement, default, out var problem)
            ?? throw new InvalidOperationException($"sweep event for {described.Resource}: {problem}");
        return new SweepEvent(e, described.Concern, described.Resource, contentHash);
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is not null)
        {
            writer.WriteNumber(name, value.Value);
        }
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "(default)";

    private static string KindName(IamPrincipalKind kind) => kind.ToString();

    private static string NameMember(IamPrincipalKind kind) => kind switch
    {
        IamPrincipalKind.Role => "roleName",
        IamPrincipalKind.User => "userName",
        _ => "groupName",
    };
}

/// <summary>One synthesized event and its sweep key (concern, resource, content hash); the rule completes it in the audit id.</summary>
public sealed record SweepEvent(CloudTrailEvent Event, string Concern, string Resource, string ContentHash)
{
    public string EventId => Event.EventId!;
}
