using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Remediator.Core.Remediation;

namespace Remediator.Core.Audit;

/// <summary>
/// One step of a recorded decision: the API call planned or made, with the resource's state before and after it,
/// so that a person (or <c>remediator undo</c>) can see exactly what changed and put it back.
/// </summary>
public sealed record AuditAction
{
    /// <summary>revert, quarantine, tag or notify (see <see cref="Registry.ActionNames"/>).</summary>
    public required string Action { get; init; }

    /// <summary>service:Operation, e.g. <c>iam:DeleteRolePolicy</c>.</summary>
    public required string Operation { get; init; }

    public required string Resource { get; init; }

    public string? Description { get; init; }

    /// <summary>The call's parameters as the API names them (a copy: a JSON node has one parent).</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>The resource's relevant state before the call, as JSON text; null when not captured (dry-run, notify).</summary>
    [JsonConverter(typeof(EmbeddedJsonTextConverter))]
    public string? Before { get; init; }

    /// <summary>The state after the call, as JSON text; null when not captured.</summary>
    [JsonConverter(typeof(EmbeddedJsonTextConverter))]
    public string? After { get; init; }

    [JsonRequired]
    public ActionOutcome Outcome { get; init; } = ActionOutcome.Planned;

    public string? Error { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Notifications are sent by the notifier from the audit stream, not by the executor.</summary>
    [JsonIgnore]
    public bool IsNotification => Action == Registry.ActionNames.Notify;

    public static AuditAction From(PlannedAction planned) =>
        new()
        {
            Action = planned.Action,
            Operation = planned.Operation,
            Resource = planned.Resource,
            Description = planned.Description,
            Parameters = (JsonObject)planned.Parameters.DeepClone(),
        };
}
