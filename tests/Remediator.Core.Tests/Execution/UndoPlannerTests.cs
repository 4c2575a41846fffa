using static Remediator.Core.Tests.Audit.AuditSamples;
using Remediator.Operations;

namespace Remediator.Core.Tests.Execution;

public sealed class UndoPlannerTests
{
    private const string Doc = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private const string PolicyArn = "arn:aws:iam::aws:policy/AdministratorAccess";
    private const string DenyAll = "arn:aws:iam::111122223333:policy/deny-all";

    private static AuditAction Done(string operation, JsonObject parameters, string? before, string action = ActionNames.Revert) =>
        new() { Action = action, Operation = operation, Resource = RoleArn, Parameters = parameters, Before = before, Outcome = ActionOutcome.Done };

    private static UndoPlan PlanOf(params AuditAction[] actions) => new UndoPlanner(OperationCatalogue.Index).Plan(Full() with { Actions = actions });

    private static AuditAction Single(UndoPlan plan)
    {
        Assert.True(plan.IsComplete, string.Join("; ", plan.Gaps));
        return Assert.Single(plan.Steps);
    }

    [Theory]
    [InlineData("Role")]
    [InlineData("User")]
    [InlineData("Group")]
    public void Deleted_inline_policy_is_put_back_with_its_previous_document(string kind)
    {
        var step = Single(PlanOf(Done($"iam:Delete{kind}Policy", new() { [kind + "Name"] = "app", ["PolicyName"] = "p" }, StepStates.Of(StepStates.PolicyDocument, Doc))));

        Assert.Equal($"iam:Put{kind}Policy", step.Operation);
        Assert.Equal("app", StepParameters.String(step.Parameters, kind + "Name"));
        Assert.Equal("p", StepParameters.String(step.Parameters, "PolicyName"));
        Assert.Equal(Doc, StepParameters.String(step.Parameters, "PolicyDocument"));
        Assert.Equal(ActionOutcome.Planned, step.Outcome);
    }

    [Fact]
    public void Deleting_an_inline_policy_that_was_already_gone_needs_no_undo()
    {
        var plan = PlanOf(Done("iam:DeleteRolePolicy", new() { ["RoleName"] = "app", ["PolicyName"] = "p" }, StepStates.Of(StepStates.PolicyDocument, (string?)null)));

        Assert.True(plan.IsComplete);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Restored_inline_policy_goes_back_to_the_document_before_or_is_deleted_when_there_was_none()
    {
        var restored = Single(PlanOf(Done("iam:PutUserPolicy", new() { ["UserName"] = "alice", ["PolicyName"] = "p", ["PolicyDocument"] = "{}" }, StepStates.Of(StepStates.PolicyDocument, Doc))));
        var created = Single(PlanOf(Done("iam:PutUserPolicy", new() { ["UserName"] = "alice", ["PolicyName"] = "p", ["PolicyDocument"] = "{}" }, StepStates.Of(StepStates.PolicyDocument, (string?)null))));

        Assert.Equal(("iam:PutUserPolicy", Doc), (restored.Operation, StepParameters.String(restored.Parameters, "PolicyDocument")));
        Assert.Equal("iam:DeleteUserPolicy", created.Operation);
    }

    [Theory]
    [InlineData("Role")]
    [InlineData("User")]
    [InlineData("Group")]
    public void Detached_policy_is_attached_again(string kind)
    {
        var step = Single(PlanOf(Done($"iam:Detach{kind}Policy", new() { [kind + "Name"] = "app", ["PolicyArn"] = PolicyArn }, StepStates.Of(StepStates.AttachedPolicyArns, [PolicyArn]))));

        Assert.Equal(($"iam:Attach{kind}Policy", PolicyArn), (step.Operation, StepParameters.String(step.Parameters, "PolicyArn")));
    }

    [Theory]
    [InlineData("Role")]
    [InlineData("User")]
    [InlineData("Group")]
    public void Quarantine_attachment_is_detached_unless_it_was_attached_before(string kind)
    {
        var parameters = new JsonObject { [kind + "Name"] = "app", ["PolicyArn"] = DenyAll };
        var step = Single(PlanOf(Done($"iam:Attach{kind}Policy", parameters, StepStates.Of(StepStates.AttachedPolicyArns, []), ActionNames.Quarantine)));
        var already = PlanOf(Done($"iam:Attach{kind}Policy", (JsonObject)parameters.DeepClone(), StepStates.Of(StepStates.AttachedPolicyArns, [DenyAll]), ActionNames.Quarantine));

        Assert.Equal(($"iam:Detach{kind}Policy", ActionNames.Quarantine), (step.Operation, step.Action));
        Assert.Empty(already.Steps);
    }

    [Theory]
    [InlineData("Role")]
    [InlineData("User")]
    public void Permissions_boundary_goes_back_to_the_previous_one_or_is_deleted(string kind)
    {
        var parameters = new JsonObject { [kind + "Name"] = "app", ["PermissionsBoundary"] = DenyAll };
        var none = Single(PlanOf(Done($"iam:Put{kind}PermissionsBoundary", parameters, StepStates.Of(StepStates.PermissionsBoundary, (string?)null), ActionNames.Quarantine)));
        var previous = Single(PlanOf(Done($"iam:Put{kind}PermissionsBoundary", (JsonObject)parameters.DeepClone(), StepStates.Of(StepStates.PermissionsBoundary, "arn:aws:iam::111122223333:policy/old"), ActionNames.Quarantine)));

        Assert.Equal($"iam:Delete{kind}PermissionsBoundary", none.Operation);
        Assert.Equal("app", StepParameters.String(none.Parameters, kind + "Name"));
        Assert.Equal(($"iam:Put{kind}PermissionsBoundary", "arn:aws:iam::111122223333:policy/old"), (previous.Operation, StepParameters.String(previous.Parameters, "PermissionsBoundary")));
    }

    [Fact]
    public void Default_version_goes_back_to_the_previous_one()
    {
        var step = Single(PlanOf(Done("iam:SetDefaultPolicyVersion", new() { ["PolicyArn"] = DenyAll, ["VersionId"] = "v1" }, StepStates.Of(StepStates.DefaultVersionId, "v2"))));

        Assert.Equal(("iam:SetDefaultPolicyVersion", "v2", DenyAll), (step.Operation, StepParameters.String(step.Parameters, "VersionId"), StepParameters.String(step.Parameters, "PolicyArn")));
    }

    [Fact]
    public void Trust_policy_goes_back_to_the_previous_document()
    {
        var step = Single(PlanOf(Done("iam:UpdateAssumeRolePolicy", new() { ["RoleName"] = "app", ["PolicyDocument"] = "{}" }, StepStates.Of(StepStates.AssumeRolePolicyDocument, Doc))));

        Assert.Equal(("iam:UpdateAssumeRolePolicy", Doc), (step.Operation, StepParameters.String(step.Parameters, "PolicyDocument")));
    }

    [Theory]
    [InlineData("events:RemovePermission")]
    [InlineData("events:PutPermission")]
    public void Bus_policy_is_put_back_whole(string operation)
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Sid":"public","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"*"}]}""";
        var step = Single(PlanOf(Done(operation, new() { ["EventBusName"] = "orders", ["StatementId"] = "public" }, StepStates.Of(StepStates.Policy, policy))));
        var fromNone = Single(PlanOf(Done(operation, new() { ["EventBusName"] = "orders", ["Policy"] = "{}" }, StepStates.Of(StepStates.Policy, (string?)null))));

        Assert.Equal(("events:PutPermission", policy, "orders"), (step.Operation, StepParameters.String(step.Parameters, "Policy"), StepParameters.String(step.Parameters, "EventBusName")));
        Assert.Equal("events:RemovePermission", fromNone.Operation);
        Assert.True(StepParameters.Bool(fromNone.Parameters, "RemoveAllPermissions"));
    }

    [Fact]
    public void Lambda_timeout_goes_back()
    {
        var step = Single(PlanOf(Done("lambda:UpdateFunctionConfiguration", new() { ["FunctionName"] = "arn:aws:lambda:us-east-1:111122223333:function:f", ["Timeout"] = 30 }, StepStates.Of(StepStates.Timeout, 900))));

        Assert.Equal(("lambda:UpdateFunctionConfiguration", 900), (step.Operation, StepParameters.Int(step.Parameters, "Timeout")));
    }

    [Fact]
    public void Http_api_integration_timeout_goes_back_without_a_deployment()
    {
        var step = Single(PlanOf(Done("apigateway:UpdateIntegration", new() { ["ApiId"] = "a1", ["IntegrationId"] = "i1", ["TimeoutInMillis"] = 10000 }, StepStates.Of(StepStates.TimeoutInMillis, 30000))));

        Assert.Equal(("apigateway:UpdateIntegration", 30000, "a1", "i1"),
            (step.Operation, StepParameters.Int(step.Parameters, "TimeoutInMillis"), StepParameters.String(step.Parameters, "ApiId"), StepParameters.String(step.Parameters, "IntegrationId")));
    }

    [Fact]
    public void Rest_integration_timeout_goes_back_then_is_redeployed_and_the_original_deployment_is_not_undone()
    {
        var update = Done("apigateway:UpdateIntegration",
            new() { ["restApiId"] = "r1", ["resourceId"] = "res", ["httpMethod"] = "GET", ["patchOperations"] = new JsonArray() },
            StepStates.Of(StepStates.TimeoutInMillis, 29000));
        var deploy = Done("apigateway:CreateDeployment", new() { ["restApiId"] = "r1", ["stageName"] = "prod" }, "{}");

        var plan = PlanOf(update, deploy);

        Assert.True(plan.IsComplete);
        Assert.Equal(["apigateway:UpdateIntegration", "apigateway:CreateDeployment"], plan.Steps.Select(s => s.Operation));
        var patch = Assert.IsType<JsonObject>(Assert.IsType<JsonArray>(plan.Steps[0].Parameters["patchOperations"])[0]);
        Assert.Equal(("replace", "/timeoutInMillis", "29000"), (StepParameters.String(patch, "op"), StepParameters.String(patch, "path"), StepParameters.String(patch, "value")));
        Assert.Equal("r1", StepParameters.String(plan.Steps[1].Parameters, "restApiId"));
        Assert.Null(plan.Steps[1].Parameters["stageName"]);
    }

    [Fact]
    public void Table_encryption_goes_back_to_the_aws_owned_key_with_enabled_false()
    {
        var step = Single(PlanOf(Done("dynamodb:UpdateTable", new() { ["TableName"] = "orders", ["SSESpecification"] = new JsonObject { ["Enabled"] = true } }, StepStates.Of(StepStates.SseDescription, (JsonNode?)null))));

        Assert.Equal("dynamodb:UpdateTable", step.Operation);
        Assert.Equal("""{"Enabled":false}""", step.Parameters["SSESpecification"]!.ToJsonString());
    }

    [Fact]
    public void Table_encryption_goes_back_to_the_previous_kms_key()
    {
        const string key = "arn:aws:kms:us-east-1:111122223333:key/old";
        var before = StepStates.Of(StepStates.SseDescription, new JsonObject { ["Status"] = "ENABLED", ["SSEType"] = "KMS", ["KMSMasterKeyArn"] = key });
        var step = Single(PlanOf(Done("dynamodb:UpdateTable", new() { ["TableName"] = "orders" }, before)));

        Assert.Equal($$"""{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"{{key}}"}""", step.Parameters["SSESpecification"]!.ToJsonString());
    }

    [Theory]
    [InlineData("iam:TagRole", "RoleName", "app", "iam:UntagRole", "TagKeys", true)]
    [InlineData("iam:TagUser", "UserName", "alice", "iam:UntagUser", "TagKeys", true)]
    [InlineData("iam:TagPolicy", "PolicyArn", DenyAll, "iam:UntagPolicy", "TagKeys", true)]
    [InlineData("events:TagResource", "ResourceARN", "arn:aws:events:us-east-1:111122223333:event-bus/b", "events:UntagResource", "TagKeys", true)]
    [InlineData("lambda:TagResource", "Resource", "arn:aws:lambda:us-east-1:111122223333:function:f", "lambda:UntagResource", "TagKeys", false)]
    [InlineData("dynamodb:TagResource", "ResourceArn", "arn:aws:dynamodb:us-east-1:111122223333:table/t", "dynamodb:UntagResource", "TagKeys", true)]
    [InlineData("apigateway:TagResource", "resourceArn", "arn:aws:apigateway:us-east-1::/restapis/r1", "apigateway:UntagResource", "tagKeys", false)]
    [InlineData("apigateway:TagResource", "ResourceArn", "arn:aws:apigateway:us-east-1::/apis/a1", "apigateway:UntagResource", "TagKeys", false)]
    public void New_tags_are_removed_and_overwritten_tags_get_their_old_value(string operation, string targetKey, string target, string untag, string keysName, bool list)
    {
        var tagsKey = targetKey == "resourceArn" ? "tags" : "Tags";
        JsonNode tags = list
            ? new JsonArray(new JsonObject { ["Key"] = "remediated", ["Value"] = "yes" }, new JsonObject { ["Key"] = "owner", ["Value"] = "guard" })
            : new JsonObject { ["remediated"] = "yes", ["owner"] = "guard" };
        var before = StepStates.Of(StepStates.Tags, new Dictionary<string, string?> { ["owner"] = "team-a" });

        var plan = PlanOf(Done(operation, new() { [targetKey] = target, [tagsKey] = tags }, before, ActionNames.Tag));

        Assert.True(plan.IsComplete);
        Assert.Equal([untag, operation], plan.Steps.Select(s => s.Operation));
        Assert.Equal(target, StepParameters.String(plan.Steps[0].Parameters, targetKey));
        Assert.Equal(["remediated"], StepParameters.Keys(plan.Steps[0].Parameters, keysName));
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a" }, StepParameters.Tags(plan.Steps[1].Parameters, tagsKey));
        Assert.Equal(list, plan.Steps[1].Parameters[tagsKey] is JsonArray);
    }

    [Fact]
    public void Inverses_come_last_change_first_and_skip_failed_not_attempted_and_notification_steps()
    {
        var first = Done("iam:DetachRolePolicy", new() { ["RoleName"] = "app", ["PolicyArn"] = PolicyArn }, StepStates.Of(StepStates.AttachedPolicyArns, [PolicyArn]));
        var second = Done("iam:DeleteRolePolicy", new() { ["RoleName"] = "app", ["PolicyName"] = "p" }, StepStates.Of(StepStates.PolicyDocument, Doc));
        var failed = second with { Operation = "iam:TagRole", Outcome = ActionOutcome.Failed };
        var skipped = second with { Outcome = ActionOutcome.NotAttempted };
        var notify = new AuditAction { Action = ActionNames.Notify, Operation = "notify:slack", Resource = RoleArn };

        var plan = PlanOf(first, second with { Outcome = ActionOutcome.Verified }, failed, skipped, notify);

        Assert.Equal(["iam:PutRolePolicy", "iam:AttachRolePolicy"], plan.Steps.Select(s => s.Operation));
    }

    [Fact]
    public void A_done_step_without_a_recorded_before_state_is_a_gap_never_a_guess()
    {
        var plan = PlanOf(
            Done("iam:DeleteRolePolicy", new() { ["RoleName"] = "app", ["PolicyName"] = "p" }, before: null),
            Done("lambda:UpdateFunctionConfiguration", new() { ["FunctionName"] = "f" }, before: "not json"),
            Done("s3:PutBucketPolicy", [], "{}"));

        Assert.False(plan.IsComplete);
        Assert.Equal(3, plan.Gaps.Count);
        Assert.Contains(plan.Gaps, g => g.StartsWith("s3:PutBucketPolicy", StringComparison.Ordinal) && g.Contains("no inverse", StringComparison.Ordinal));
        Assert.Empty(plan.Steps);
    }
}
