using Amazon.DynamoDBv2;
using Remediator.Aws.Audit;
using Remediator.Aws.Iam;

namespace Remediator.Guard.Tests;

/// <summary>
/// Attacker tests on moto: an escalation split between a user's own policy and its group's is found (and not when
/// another group denies it), and a trust change CloudTrail carried without its document is read back and judged.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class PrincipalReadsMotoTests(MotoServer moto) : GuardMotoTests(moto)
{
    private const string Account = "123456789012";
    private const string PassRole = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/*"}]}""";
    private const string CreateAndInvoke = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}""";
    private const string DenyCreate = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"lambda:CreateFunction","Resource":"*"}]}""";
    private const string TrustAnyone = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""";

    [Fact]
    public async Task PassRole_in_the_users_policy_and_CreateFunction_in_its_groups_policy_is_found_naming_both()
    {
        await UserWithSplitEscalationAsync();

        var records = await GuardAsync("iam-privilege-escalation", PutUserPolicyEnvelope());

        var record = Assert.Single(records);
        Assert.Equal("iam-privilege-escalation", record.Rule);
        var evidence = (await new DynamoDbAuditStore(DynamoDb, AuditTable).GetAsync(record.Id))!.Evidence;
        Assert.Contains(evidence, l => l.StartsWith("these documents together make the path(s): ", StringComparison.Ordinal)
            && l.Contains("inline policy 'compute' of group 'devs'", StringComparison.Ordinal));
        Assert.Contains(evidence, l => l.StartsWith("per principal: judged with 1 other document(s) of user 'alice'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_split_with_a_Deny_in_another_group_is_not_found()
    {
        await UserWithSplitEscalationAsync();
        await Iam.CreateGroupAsync("guardrails");
        await Iam.AddUserToGroupAsync("guardrails", "alice");
        await Iam.PutInlinePolicyAsync(IamPrincipal.Group("guardrails"), "no-functions", DenyCreate);

        var records = await GuardAsync("iam-privilege-escalation", PutUserPolicyEnvelope());

        // No escalation path remains (the Deny wins over the group's Allow). What may remain is the evaluator's notice
        // that PassRole on every role is one compute grant away from a path (what the rule's plan does with it is the
        // planner's business, not this test's).
        var store = new DynamoDbAuditStore(DynamoDb, AuditTable);
        foreach (var record in records)
        {
            var audit = (await store.GetAsync(record.Id))!;
            Assert.DoesNotContain(audit.Evidence, l => l.StartsWith("path ", StringComparison.Ordinal) || l.StartsWith("these documents together make the path(s)", StringComparison.Ordinal));
        }

        Assert.Contains("guardrails", await Iam.ListGroupsForUserAsync("alice"));
    }

    [Fact]
    public async Task A_group_policy_completing_a_path_with_a_members_own_policy_is_not_blamed_on_the_group()
    {
        // Judging a group means the group's own union: a member's personal policy is not the group's doing.
        await UserWithSplitEscalationAsync();

        var envelope = Envelope("PutGroupPolicy", new JsonObject { ["groupName"] = "devs", ["policyName"] = "compute", ["policyDocument"] = CreateAndInvoke });

        Assert.Empty(await GuardAsync("iam-privilege-escalation", envelope));
    }

    [Fact]
    public async Task A_trust_change_without_its_document_is_read_back_from_the_role_and_found()
    {
        await Iam.CreateRoleAsync("backdoor", TrustAnyone);

        var records = await GuardAsync("iam-public-trust", Envelope("UpdateAssumeRolePolicy", new JsonObject { ["roleName"] = "backdoor" }));

        var record = Assert.Single(records);
        var audit = (await new DynamoDbAuditStore(DynamoDb, AuditTable).GetAsync(record.Id))!;
        Assert.Equal("public-trust", audit.Check);
        Assert.Contains("judged: the trust policy as read now (GetRole; the event does not carry it)", audit.Evidence);
    }

    private async Task UserWithSplitEscalationAsync()
    {
        await Iam.CreateRoleAsync("lambda-admin", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        await Iam.CreateUserAsync("alice");
        await Iam.CreateGroupAsync("devs");
        await Iam.AddUserToGroupAsync("devs", "alice");
        await Iam.PutInlinePolicyAsync(IamPrincipal.Group("devs"), "compute", CreateAndInvoke);
        await Iam.PutInlinePolicyAsync(IamPrincipal.User("alice"), "pass", PassRole);
    }

    private static string PutUserPolicyEnvelope() =>
        Envelope("PutUserPolicy", new JsonObject { ["userName"] = "alice", ["policyName"] = "pass", ["policyDocument"] = PassRole });

    private async Task<IReadOnlyList<GuardRecordOutcome>> GuardAsync(string rule, string envelope)
    {
        var overrides = Overrides(Moto) with { Rules = [.. EnforcedBuiltInRules().Where(r => r.Id == rule)] };
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), overrides);
        var result = await guard.HandleAsync(Encoding.UTF8.GetBytes(envelope), Invocation().Invocation, default);
        return result.Records;
    }

    private static string Envelope(string name, JsonObject request) =>
        new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = "aws.iam",
            ["account"] = Account,
            ["region"] = Region,
            ["detail"] = new JsonObject
            {
                ["eventSource"] = "iam.amazonaws.com",
                ["eventName"] = name,
                ["eventID"] = Guid.NewGuid().ToString(),
                ["eventTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["awsRegion"] = Region,
                ["recipientAccountId"] = Account,
                ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = $"arn:aws:iam::{Account}:user/mallory", ["accountId"] = Account },
                ["requestParameters"] = request,
            },
        }.ToJsonString();
}
