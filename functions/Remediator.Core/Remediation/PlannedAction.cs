using System.Text.Json.Nodes;

namespace Remediator.Core.Remediation;

/// <summary>
/// One step of a remediation plan: a single AWS API call (or a notification), with everything needed to carry
/// it out and to undo it later, and the IAM permissions it needs (checked against the template).
/// </summary>
/// <param name="Action">revert, quarantine, tag or notify (see <see cref="Registry.ActionNames"/>).</param>
/// <param name="Operation">service:Operation, e.g. <c>iam:DeleteRolePolicy</c>; <c>notify:slack</c> for notifications.</param>
/// <param name="Resource">The resource acted on.</param>
/// <param name="Description">What the step does, in one sentence for people.</param>
public sealed record PlannedAction(string Action, string Operation, string Resource, string Description)
{
    /// <summary>The API call's parameters, named as the API names them.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>IAM actions this step needs, e.g. <c>iam:DeleteRolePolicy</c>.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];
}
