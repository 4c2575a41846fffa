using System.Text.Json.Nodes;

namespace Remediator.Core.Remediation;

/// <summary>
/// One step of a remediation plan: a single AWS API call (or a notification), with everything needed to carry
/// it out and to undo it later, and the IAM permissions it needs (checked against the template).
/// <para>
/// Only two things make one, so that every AWS step a planner can produce is in the operation catalogue by
/// construction: <see cref="Operations.RemediationOperation{TParameters}.Plan"/> (an AWS call, typed parameters) and
/// <see cref="Notification"/>.
/// </para>
/// </summary>
public sealed record PlannedAction
{
    internal PlannedAction(string action, string operation, string resource, string description)
    {
        Action = action;
        Operation = operation;
        Resource = resource;
        Description = description;
    }

    /// <summary>revert, quarantine, tag or notify (see <see cref="Registry.ActionNames"/>).</summary>
    public string Action { get; init; }

    /// <summary>service:Operation, e.g. <c>iam:DeleteRolePolicy</c>; <c>notify:slack</c> for notifications.</summary>
    public string Operation { get; init; }

    /// <summary>The resource acted on.</summary>
    public string Resource { get; init; }

    /// <summary>What the step does, in one sentence for people.</summary>
    public string Description { get; init; }

    /// <summary>The API call's parameters, named as the API names them.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>IAM actions this step needs, e.g. <c>iam:DeleteRolePolicy</c>.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];

    /// <summary>A <c>notify:&lt;channel&gt;</c> step: the notifier sends it from the audit stream.</summary>
    public static PlannedAction Notification(string channel, string resource, string description, JsonObject parameters, IReadOnlyList<string> permissions) =>
        new(Registry.ActionNames.Notify, "notify:" + channel, resource, description) { Parameters = parameters, Permissions = permissions };
}
