using System.Text.Json.Nodes;
using Remediator.Core.Audit;

namespace Remediator.Core.Execution;

/// <summary>What undoing a record takes: the inverse steps in order, and what cannot be undone exactly.</summary>
/// <param name="Steps">Planned inverse steps, the last change first.</param>
/// <param name="Gaps">One line per done change whose inverse is unknown (no before-state, or an operation without inverse).</param>
public sealed record UndoPlan(IReadOnlyList<AuditAction> Steps, IReadOnlyList<string> Gaps)
{
    public bool IsComplete => Gaps.Count == 0;
}

/// <summary>
/// Plans the inverse of a completed record from its done actions, in reverse order, using each action's recorded
/// before-state (<see cref="StepStates"/>) and never a guess: an action whose before-state is missing is a gap, not a
/// step. Actions that changed nothing (an inline policy that was already gone, a policy that was already attached)
/// need no inverse. Pure.
/// </summary>
public sealed class UndoPlanner
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance the undo service is given, like its other collaborators.")]
    public UndoPlan Plan(AuditRecord original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var steps = new List<AuditAction>();
        var gaps = new List<string>();
        for (var i = original.Actions.Count - 1; i >= 0; i--)
        {
            var action = original.Actions[i];
            if (action.IsNotification || action.Outcome is not (ActionOutcome.Done or ActionOutcome.Verified))
            {
                continue;
            }

            var inverse = Inverse(action, out var gap);
            if (gap is not null)
            {
                gaps.Add($"{action.Operation} on {action.Resource}: {gap}");
            }

            steps.AddRange(inverse);
        }

        return new UndoPlan(steps, gaps);
    }

    private static List<AuditAction> Inverse(AuditAction done, out string? gap)
    {
        gap = null;
        var colon = done.Operation.IndexOf(':', StringComparison.Ordinal);
        var service = colon < 0 ? string.Empty : done.Operation[..colon];
        var operation = colon < 0 ? done.Operation : done.Operation[(colon + 1)..];
        var p = done.Parameters;
        switch (service)
        {
            case "iam":
                return InverseIam(done, operation, p, out gap);
            case "events" when operation is "RemovePermission" or "PutPermission":
                if (!StepStates.TryReadString(done.Before, StepStates.Policy, out var policy))
                {
                    gap = "the bus policy before the change was not recorded";
                    return [];
                }

                return policy is null
                    ? [Step(done, "events:RemovePermission", new JsonObject { ["EventBusName"] = P(p, "EventBusName"), ["RemoveAllPermissions"] = true }, "Remove the bus policy again: there was none before.")]
                    : [Step(done, "events:PutPermission", new JsonObject { ["EventBusName"] = P(p, "EventBusName"), ["Policy"] = policy }, "Put back the bus policy as it was before.")];
            case "events" when operation == "TagResource":
                return InverseTags(done, "events", "ResourceARN", StepParameters.String(p, "ResourceARN"), tagsAsList: true, out gap);
            case "lambda" when operation == "UpdateFunctionConfiguration":
                if (!StepStates.TryReadInt(done.Before, StepStates.Timeout, out var timeout))
                {
                    gap = "the timeout before the change was not recorded";
                    return [];
                }

                return [Step(done, "lambda:UpdateFunctionConfiguration", new JsonObject { ["FunctionName"] = P(p, "FunctionName"), ["Timeout"] = timeout }, $"Set the timeout back to {timeout} s.")];
            case "lambda" when operation == "TagResource":
                return InverseTags(done, "lambda", "Resource", StepParameters.String(p, "Resource"), tagsAsList: false, out gap);
            case "apigateway" when operation == "UpdateIntegration":
                return InverseIntegration(done, p, out gap);
            case "apigateway" when operation == "CreateDeployment":
                // A deployment is not undone by itself: the inverse of the integration change redeploys.
                return [];
            case "apigateway" when operation == "TagResource":
                return p.ContainsKey("ResourceArn")
                    ? InverseTags(done, "apigateway", "ResourceArn", StepParameters.String(p, "ResourceArn"), tagsAsList: false, out gap)
                    : InverseTags(done, "apigateway", "resourceArn", StepParameters.String(p, "resourceArn"), tagsAsList: false, out gap, lowerCase: true);
            case "dynamodb" when operation == "UpdateTable":
                return InverseTable(done, p, out gap);
            case "dynamodb" when operation == "TagResource":
                return InverseTags(done, "dynamodb", "ResourceArn", StepParameters.String(p, "ResourceArn"), tagsAsList: true, out gap);
            default:
                gap = "no inverse is known for this operation";
                return [];
        }
    }

    private static List<AuditAction> InverseIam(AuditAction done, string operation, JsonObject p, out string? gap)
    {
        gap = null;
        var kind = operation.Contains("Role", StringComparison.Ordinal) ? "Role"
            : operation.Contains("User", StringComparison.Ordinal) ? "User"
            : operation.Contains("Group", StringComparison.Ordinal) ? "Group"
            : null;
        var nameKey = kind + "Name";
        switch (operation)
        {
            case "DeleteRolePolicy" or "DeleteUserPolicy" or "DeleteGroupPolicy"
                or "PutRolePolicy" or "PutUserPolicy" or "PutGroupPolicy":
            {
                if (!StepStates.TryReadString(done.Before, StepStates.PolicyDocument, out var document))
                {
                    gap = "the inline policy before the change was not recorded";
                    return [];
                }

                var target = new JsonObject { [nameKey] = P(p, nameKey), ["PolicyName"] = P(p, "PolicyName") };
                if (document is null)
                {
                    // Deleting what was not there changed nothing; putting where nothing was is undone by a delete.
                    return operation.StartsWith("Delete", StringComparison.Ordinal)
                        ? []
                        : [Step(done, $"iam:Delete{kind}Policy", target, $"Delete inline policy '{P(p, "PolicyName")}' again: it did not exist before.")];
                }

                target["PolicyDocument"] = document;
                return [Step(done, $"iam:Put{kind}Policy", target, $"Put back inline policy '{P(p, "PolicyName")}' as it was before.")];
            }

            case "DetachRolePolicy" or "DetachUserPolicy" or "DetachGroupPolicy"
                or "AttachRolePolicy" or "AttachUserPolicy" or "AttachGroupPolicy":
            {
                if (!StepStates.TryReadList(done.Before, StepStates.AttachedPolicyArns, out var attached))
                {
                    gap = "the attached policies before the change were not recorded";
                    return [];
                }

                var policyArn = StepParameters.String(p, "PolicyArn");
                var wasAttached = policyArn is not null && attached.Contains(policyArn, StringComparer.Ordinal);
                var target = new JsonObject { [nameKey] = P(p, nameKey), ["PolicyArn"] = policyArn };
                return operation.StartsWith("Detach", StringComparison.Ordinal)
                    ? wasAttached ? [Step(done, $"iam:Attach{kind}Policy", target, $"Attach '{policyArn}' again.")] : []
                    : wasAttached ? [] : [Step(done, $"iam:Detach{kind}Policy", target, $"Detach '{policyArn}' again (the quarantine).")];
            }

            case "PutRolePermissionsBoundary" or "PutUserPermissionsBoundary":
            {
                if (!StepStates.TryReadString(done.Before, StepStates.PermissionsBoundary, out var boundary))
                {
                    gap = "the permissions boundary before the change was not recorded";
                    return [];
                }

                return boundary is null
                    ? [Step(done, $"iam:Delete{kind}PermissionsBoundary", new JsonObject { [nameKey] = P(p, nameKey) }, "Remove the permissions boundary: there was none before.")]
                    : [Step(done, $"iam:Put{kind}PermissionsBoundary", new JsonObject { [nameKey] = P(p, nameKey), ["PermissionsBoundary"] = boundary }, $"Put back permissions boundary '{boundary}'.")];
            }

            case "SetDefaultPolicyVersion":
                if (!StepStates.TryReadString(done.Before, StepStates.DefaultVersionId, out var version) || version is null)
                {
                    gap = "the default version before the change was not recorded";
                    return [];
                }

                return [Step(done, "iam:SetDefaultPolicyVersion", new JsonObject { ["PolicyArn"] = P(p, "PolicyArn"), ["VersionId"] = version }, $"Make version {version} the default again.")];
            case "UpdateAssumeRolePolicy":
                if (!StepStates.TryReadString(done.Before, StepStates.AssumeRolePolicyDocument, out var trust) || trust is null)
                {
                    gap = "the trust policy before the change was not recorded";
                    return [];
                }

                return [Step(done, "iam:UpdateAssumeRolePolicy", new JsonObject { ["RoleName"] = P(p, "RoleName"), ["PolicyDocument"] = trust }, "Put back the trust policy as it was before.")];
            case "TagRole":
                return InverseTags(done, "iam", "RoleName", StepParameters.String(p, "RoleName"), tagsAsList: true, out gap, untagOperation: "iam:UntagRole", tagOperation: "iam:TagRole");
            case "TagUser":
                return InverseTags(done, "iam", "UserName", StepParameters.String(p, "UserName"), tagsAsList: true, out gap, untagOperation: "iam:UntagUser", tagOperation: "iam:TagUser");
            case "TagPolicy":
                return InverseTags(done, "iam", "PolicyArn", StepParameters.String(p, "PolicyArn"), tagsAsList: true, out gap, untagOperation: "iam:UntagPolicy", tagOperation: "iam:TagPolicy");
            default:
                gap = "no inverse is known for this operation";
                return [];
        }
    }

    private static List<AuditAction> InverseIntegration(AuditAction done, JsonObject p, out string? gap)
    {
        gap = null;
        if (!StepStates.TryReadInt(done.Before, StepStates.TimeoutInMillis, out var millis))
        {
            gap = "the integration timeout before the change was not recorded";
            return [];
        }

        if (p.ContainsKey("ApiId"))
        {
            return
            [
                Step(done, "apigateway:UpdateIntegration",
                    new JsonObject { ["ApiId"] = P(p, "ApiId"), ["IntegrationId"] = P(p, "IntegrationId"), ["TimeoutInMillis"] = millis },
                    $"Set the HTTP API integration timeout back to {millis} ms."),
            ];
        }

        var restApiId = StepParameters.String(p, "restApiId");
        return
        [
            Step(done, "apigateway:UpdateIntegration",
                new JsonObject
                {
                    ["restApiId"] = restApiId,
                    ["resourceId"] = P(p, "resourceId"),
                    ["httpMethod"] = P(p, "httpMethod"),
                    ["patchOperations"] = new JsonArray(new JsonObject
                    {
                        ["op"] = "replace",
                        ["path"] = "/timeoutInMillis",
                        ["value"] = millis.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    }),
                },
                $"Set the REST integration timeout back to {millis} ms."),
            // A REST integration change serves nothing until deployed; null: every stage, resolved when carried out.
            Step(done, "apigateway:CreateDeployment", new JsonObject { ["restApiId"] = restApiId, ["stageName"] = null },
                $"Redeploy REST API '{restApiId}' to all stages so the restored timeout takes effect."),
        ];
    }

    private static List<AuditAction> InverseTable(AuditAction done, JsonObject p, out string? gap)
    {
        gap = null;
        if (!StepStates.TryRead(done.Before, StepStates.SseDescription, out var description))
        {
            gap = "the table's encryption before the change was not recorded";
            return [];
        }

        var previousKey = description is JsonObject d ? StepParameters.String(d, "KMSMasterKeyArn") : null;
        var isKms = description is JsonObject sse && string.Equals(StepParameters.String(sse, "SSEType"), "KMS", StringComparison.OrdinalIgnoreCase);
        // SSESpecification Enabled=false is DynamoDB's documented way back to the AWS-owned key.
        var specification = isKms && previousKey is not null
            ? new JsonObject { ["Enabled"] = true, ["SSEType"] = "KMS", ["KMSMasterKeyId"] = previousKey }
            : new JsonObject { ["Enabled"] = false };
        return
        [
            Step(done, "dynamodb:UpdateTable", new JsonObject { ["TableName"] = P(p, "TableName"), ["SSESpecification"] = specification },
                isKms ? $"Encrypt the table with KMS key '{previousKey}' again." : "Put the table back on the AWS-owned key."),
        ];
    }

    /// <summary>
    /// The inverse of a tagging step: keys that did not exist before are removed, keys whose value was overwritten get
    /// their old value back.
    /// </summary>
    private static List<AuditAction> InverseTags(
        AuditAction done, string service, string targetKey, string? target, bool tagsAsList, out string? gap,
        string? untagOperation = null, string? tagOperation = null, bool lowerCase = false)
    {
        gap = null;
        if (!StepStates.TryReadMap(done.Before, StepStates.Tags, out var before))
        {
            gap = "the tags before the change were not recorded";
            return [];
        }

        var written = StepParameters.Tags(done.Parameters);
        var added = written.Keys.Where(k => !before.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var overwritten = written.Where(t => before.TryGetValue(t.Key, out var old) && old != t.Value).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        var steps = new List<AuditAction>();
        if (added.Count > 0)
        {
            steps.Add(Step(done, untagOperation ?? $"{service}:UntagResource",
                new JsonObject { [targetKey] = target, [lowerCase ? "tagKeys" : "TagKeys"] = new JsonArray(added.Select(k => (JsonNode?)k).ToArray()) },
                $"Remove tag(s) {string.Join(", ", added)} again."));
        }

        if (overwritten.Count > 0)
        {
            JsonNode tags = tagsAsList
                ? new JsonArray(overwritten.Select(k => (JsonNode?)new JsonObject { ["Key"] = k, ["Value"] = before[k] }).ToArray())
                : new JsonObject(overwritten.Select(k => KeyValuePair.Create(k, (JsonNode?)before[k])));
            steps.Add(Step(done, tagOperation ?? $"{service}:TagResource",
                new JsonObject { [targetKey] = target, [lowerCase ? "tags" : "Tags"] = tags },
                $"Give tag(s) {string.Join(", ", overwritten)} their old value(s) back."));
        }

        return steps;
    }

    private static JsonNode? P(JsonObject parameters, string name) =>
        parameters.TryGetPropertyValue(name, out var node) ? node?.DeepClone() : null;

    private static AuditAction Step(AuditAction done, string operation, JsonObject parameters, string description) =>
        new()
        {
            Action = done.Action,
            Operation = operation,
            Resource = done.Resource,
            Description = "Undo: " + description,
            Parameters = parameters,
        };
}
