using Remediator.Aws.Protocols;
using Remediator.Aws.Transport;

namespace Remediator.Aws.EventBridge;

/// <summary>
/// The EventBridge calls the guard makes (JSON 1.1). A null bus name means the default bus, as in the API.
/// </summary>
public sealed class EventBridgeClient : AwsServiceClient
{
    private readonly JsonProtocol _json;

    public EventBridgeClient(AwsClientOptions options, AwsTransportSettings? settings = null)
        : base(AwsService.EventBridge, options, settings)
    {
        _json = new JsonProtocol(Transport, EventBridgeOperations.TargetPrefix);
    }

    public async Task<EventBus> DescribeEventBusAsync(string? name, CancellationToken cancellationToken = default)
    {
        var reply = await _json.CallAsync(EventBridgeOperations.DescribeEventBus, BusResource(name),
            writer => writer.WriteStringIfSet("Name", name), cancellationToken).ConfigureAwait(false);
        return new EventBus(Json.String(reply, "Name") ?? name ?? "default", Json.String(reply, "Arn") ?? "", Json.String(reply, "Policy"));
    }

    /// <summary>Creates a bus and returns its ARN.</summary>
    public async Task<string> CreateEventBusAsync(string name, CancellationToken cancellationToken = default)
    {
        var reply = await _json.CallAsync(EventBridgeOperations.CreateEventBus, BusResource(name),
            writer => writer.WriteString("Name", name), cancellationToken).ConfigureAwait(false);
        return Json.String(reply, "EventBusArn") ?? "";
    }

    /// <summary>PutPermission's simple form: adds one statement.</summary>
    public Task PutPermissionAsync(string? busName, EventBusPermission permission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(permission);
        return _json.CallAsync(EventBridgeOperations.PutPermission, $"{BusResource(busName)} statement {permission.StatementId}", writer =>
        {
            writer.WriteStringIfSet("EventBusName", busName);
            writer.WriteString("Action", permission.Action);
            writer.WriteString("Principal", permission.Principal);
            writer.WriteString("StatementId", permission.StatementId);
            if (permission.Condition is { } condition)
            {
                writer.WriteStartObject("Condition");
                writer.WriteString("Type", condition.Type);
                writer.WriteString("Key", condition.Key);
                writer.WriteString("Value", condition.Value);
                writer.WriteEndObject();
            }
        }, cancellationToken);
    }

    /// <summary>PutPermission's policy form: replaces the whole resource policy with <paramref name="policy"/> (JSON).</summary>
    public Task PutPolicyAsync(string? busName, string policy, CancellationToken cancellationToken = default) =>
        _json.CallAsync(EventBridgeOperations.PutPermission, BusResource(busName), writer =>
        {
            writer.WriteStringIfSet("EventBusName", busName);
            writer.WriteString("Policy", policy);
        }, cancellationToken);

    /// <summary>Removes one statement by its id.</summary>
    public Task RemovePermissionAsync(string? busName, string statementId, CancellationToken cancellationToken = default) =>
        _json.CallAsync(EventBridgeOperations.RemovePermission, $"{BusResource(busName)} statement {statementId}", writer =>
        {
            writer.WriteString("StatementId", statementId);
            writer.WriteStringIfSet("EventBusName", busName);
        }, cancellationToken);

    /// <summary>Removes every statement: the last resort when offending statements have no id.</summary>
    public Task RemoveAllPermissionsAsync(string? busName, CancellationToken cancellationToken = default) =>
        _json.CallAsync(EventBridgeOperations.RemovePermission, BusResource(busName), writer =>
        {
            writer.WriteBoolean("RemoveAllPermissions", true);
            writer.WriteStringIfSet("EventBusName", busName);
        }, cancellationToken);

    public Task TagResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        _json.CallAsync(EventBridgeOperations.TagResource, resourceArn, writer =>
        {
            writer.WriteString("ResourceARN", resourceArn);
            writer.WriteTagList("Tags", tags);
        }, cancellationToken);

    public Task UntagResourceAsync(string resourceArn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken = default) =>
        _json.CallAsync(EventBridgeOperations.UntagResource, resourceArn, writer =>
        {
            ArgumentNullException.ThrowIfNull(tagKeys);
            writer.WriteString("ResourceARN", resourceArn);
            writer.WriteStartArray("TagKeys");
            foreach (var key in tagKeys)
            {
                writer.WriteStringValue(key);
            }

            writer.WriteEndArray();
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken = default)
    {
        var reply = await _json.CallAsync(EventBridgeOperations.ListTagsForResource, resourceArn,
            writer => writer.WriteString("ResourceARN", resourceArn), cancellationToken).ConfigureAwait(false);
        return Json.StringMap(reply, "Tags");
    }

    /// <summary>Creates or updates a rule with an event pattern; returns its ARN.</summary>
    public async Task<string> PutRuleAsync(string name, string eventPattern, string? busName = null, bool enabled = true, CancellationToken cancellationToken = default)
    {
        var reply = await _json.CallAsync(EventBridgeOperations.PutRule, $"rule/{name}", writer =>
        {
            writer.WriteString("Name", name);
            writer.WriteString("EventPattern", eventPattern);
            writer.WriteString("State", enabled ? "ENABLED" : "DISABLED");
            writer.WriteStringIfSet("EventBusName", busName);
        }, cancellationToken).ConfigureAwait(false);
        return Json.String(reply, "RuleArn") ?? "";
    }

    /// <summary>Adds or updates targets of a rule; returns how many entries failed.</summary>
    public async Task<int> PutTargetsAsync(string rule, IReadOnlyList<EventTarget> targets, string? busName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var reply = await _json.CallAsync(EventBridgeOperations.PutTargets, $"rule/{rule}", writer =>
        {
            writer.WriteString("Rule", rule);
            writer.WriteStringIfSet("EventBusName", busName);
            writer.WriteStartArray("Targets");
            foreach (var target in targets)
            {
                writer.WriteStartObject();
                writer.WriteString("Id", target.Id);
                writer.WriteString("Arn", target.Arn);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        return Json.Int(reply, "FailedEntryCount") ?? 0;
    }

    private static string BusResource(string? name) => $"event-bus/{name ?? "default"}";
}
