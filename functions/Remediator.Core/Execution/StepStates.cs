using System.Text.Json.Nodes;

namespace Remediator.Core.Execution;

/// <summary>
/// The shapes of the before/after states an executor records (<see cref="Audit.AuditAction.Before"/> and
/// <see cref="Audit.AuditAction.After"/>) and <see cref="UndoPlanner"/> reads back. One place for the member names, so
/// that what the executor writes is exactly what undo understands. Every state is a JSON object holding one member:
/// <list type="bullet">
/// <item><c>PolicyDocument</c>: an inline policy's document as text, null when the policy did not exist.</item>
/// <item><c>AttachedPolicyArns</c>: the managed policies attached to a role, user or group.</item>
/// <item><c>PermissionsBoundary</c>: the boundary policy ARN, null when none.</item>
/// <item><c>DefaultVersionId</c>: a managed policy's default version.</item>
/// <item><c>AssumeRolePolicyDocument</c>: a role's trust policy as text.</item>
/// <item><c>Policy</c>: an event bus's resource policy as text, null when it has none.</item>
/// <item><c>Timeout</c>: a Lambda function's timeout in seconds.</item>
/// <item><c>TimeoutInMillis</c>: an API Gateway integration's timeout.</item>
/// <item><c>Stages</c>: REST API stage name → deployment id.</item>
/// <item><c>SSEDescription</c>: a table's encryption (<c>Status</c>, <c>SSEType</c>, <c>KMSMasterKeyArn</c>), null for the AWS-owned key.</item>
/// <item><c>Tags</c>: a resource's tags as a map.</item>
/// </list>
/// Documents are kept as text, not parsed: undo must put back exactly the bytes that were there.
/// </summary>
public static class StepStates
{
    public const string PolicyDocument = "PolicyDocument";
    public const string AttachedPolicyArns = "AttachedPolicyArns";
    public const string PermissionsBoundary = "PermissionsBoundary";
    public const string DefaultVersionId = "DefaultVersionId";
    public const string AssumeRolePolicyDocument = "AssumeRolePolicyDocument";
    public const string Policy = "Policy";
    public const string Timeout = "Timeout";
    public const string TimeoutInMillis = "TimeoutInMillis";
    public const string Stages = "Stages";
    public const string SseDescription = "SSEDescription";
    public const string Tags = "Tags";

    /// <summary><c>{"name": value}</c> as JSON text; a null value is written as JSON null.</summary>
    public static string Of(string name, string? value) => new JsonObject { [name] = value }.ToJsonString();

    public static string Of(string name, int value) => new JsonObject { [name] = value }.ToJsonString();

    public static string Of(string name, IEnumerable<string> values) =>
        new JsonObject { [name] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()) }.ToJsonString();

    public static string Of(string name, IReadOnlyDictionary<string, string?> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            obj[key] = value;
        }

        return new JsonObject { [name] = obj }.ToJsonString();
    }

    public static string Of(string name, JsonNode? node) => new JsonObject { [name] = node?.DeepClone() }.ToJsonString();

    /// <summary>
    /// Reads member <paramref name="name"/> of a recorded state. False when the state is absent, not JSON, or lacks
    /// the member: the state is unknown, which is different from a member that is present and null.
    /// </summary>
    public static bool TryRead(string? state, string name, out JsonNode? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(state))
        {
            return false;
        }

        try
        {
            if (JsonNode.Parse(state) is JsonObject obj && obj.TryGetPropertyValue(name, out var member))
            {
                value = member?.DeepClone();
                return true;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return false;
    }

    public static bool TryReadString(string? state, string name, out string? value)
    {
        value = null;
        if (!TryRead(state, name, out var node))
        {
            return false;
        }

        if (node is null)
        {
            return true;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var text))
        {
            value = text;
            return true;
        }

        return false;
    }

    public static bool TryReadInt(string? state, string name, out int value)
    {
        value = 0;
        return TryRead(state, name, out var node) && node is JsonValue v && v.TryGetValue(out value);
    }

    /// <summary>A map state (<c>Tags</c>) as a dictionary; false when unknown.</summary>
    public static bool TryReadMap(string? state, string name, out Dictionary<string, string> map)
    {
        map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!TryRead(state, name, out var node) || node is not JsonObject obj)
        {
            return false;
        }

        foreach (var (key, value) in obj)
        {
            map[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty;
        }

        return true;
    }

    /// <summary>A list state (<c>AttachedPolicyArns</c>); false when unknown.</summary>
    public static bool TryReadList(string? state, string name, out List<string> list)
    {
        list = [];
        if (!TryRead(state, name, out var node) || node is not JsonArray array)
        {
            return false;
        }

        foreach (var item in array)
        {
            if (item is JsonValue v && v.TryGetValue<string>(out var text))
            {
                list.Add(text);
            }
        }

        return true;
    }
}
