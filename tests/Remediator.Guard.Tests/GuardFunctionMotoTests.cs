using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediator.Aws.Iam;

namespace Remediator.Guard.Tests;

/// <summary>
/// The handler against moto: the offending resource is created through the API, the matching CloudTrail envelope is
/// handed to the guard, and the outcome is read back through the API and from the audit table.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class GuardFunctionMotoTests(MotoServer moto) : GuardMotoTests(moto)
{
    private const string AdminInline = """{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string PutRolePolicyFixture = "synthetic/iam/PutRolePolicy__admin_wildcard.json";
    private const string CreateTableFixture = "cloudtrail/dynamodb/CreateTable__1.json";

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private async Task CreateOffendingRoleAsync()
    {
        await Iam.CreateRoleAsync("app-role", TrustLambda);
        await Iam.PutInlinePolicyAsync(IamPrincipal.Role("app-role"), "everything", AdminInline);
    }

    [Fact]
    public async Task Iam_inline_admin_policy_is_deleted_and_recorded_once_and_a_second_delivery_changes_nothing()
    {
        // One rule, so that "one record" is exact: with all IAM rules, privilege-escalation also finds the policy
        // (and is notify-only: the resource was just changed), which is a second record of the same event.
        await CreateOffendingRoleAsync();
        var overrides = Overrides(Moto) with { Rules = [.. EnforcedBuiltInRules().Where(r => r.Id == "iam-admin-wildcard")] };
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), overrides);
        var envelope = Envelope(PutRolePolicyFixture);

        var first = await guard.HandleAsync(Bytes(envelope), Invocation().Invocation, default);

        Assert.Empty(await Iam.ListRolePoliciesAsync("app-role"));
        var applied = Assert.Single(first.Records);
        Assert.Equal(("iam-admin-wildcard", "applied"), (applied.Rule, applied.Outcome));
        Assert.Equal("5b9f0e6c-2d7a-4d6b-8f7e-6a1c2b3d4e01", first.EventId);
        var item = Assert.Single(await AuditItemsAsync(DynamoDb));
        Assert.Equal(applied.Id, item["id"].S);

        // Put the offending policy back: a second delivery must not remove it again (one change per event).
        await Iam.PutInlinePolicyAsync(IamPrincipal.Role("app-role"), "everything", AdminInline);
        var second = await guard.HandleAsync(Bytes(envelope), Invocation().Invocation, default);

        var duplicate = Assert.Single(second.Records);
        Assert.Equal((applied.Id, GuardResult.Duplicate), (duplicate.Id, duplicate.Outcome));
        Assert.Equal(["everything"], await Iam.ListRolePoliciesAsync("app-role"));
        Assert.Equal("applied", Assert.Single(await AuditItemsAsync(DynamoDb))["outcome"].S);
    }

    [Fact]
    public async Task A_second_delivery_to_a_fresh_guard_process_is_a_duplicate_too()
    {
        await CreateOffendingRoleAsync();
        var envelope = Envelope(PutRolePolicyFixture);
        using (var first = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(Moto)))
        {
            await first.HandleAsync(Bytes(envelope), Invocation().Invocation, default);
        }

        await Iam.PutInlinePolicyAsync(IamPrincipal.Role("app-role"), "everything", AdminInline);
        using var coldStarted = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(Moto));
        var again = await coldStarted.HandleAsync(Bytes(envelope), Invocation().Invocation, default);

        // The new process's engine has not seen the event; the audit table's conditional write is what stops it.
        Assert.Contains(again.Records, r => r.Rule == "iam-admin-wildcard" && r.Outcome == GuardResult.Duplicate);
        Assert.DoesNotContain(again.Records, r => r.Outcome == "applied");
        Assert.Equal(["everything"], await Iam.ListRolePoliciesAsync("app-role"));
        Assert.Single(await AuditItemsAsync(DynamoDb), i => i["outcome"].S == "applied");
    }

    [Fact]
    public async Task An_event_whose_actor_is_the_guards_own_role_changes_nothing()
    {
        await CreateOffendingRoleAsync();
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(Moto));

        var result = await guard.HandleAsync(Bytes(Envelope(PutRolePolicyFixture, ActedByGuard)), Invocation().Invocation, default);

        var record = Assert.Single(result.Records);
        Assert.Equal("skipped", record.Outcome);
        Assert.Equal(["everything"], await Iam.ListRolePoliciesAsync("app-role"));
        Assert.Equal("skipped", Assert.Single(await AuditItemsAsync(DynamoDb))["outcome"].S);
    }

    [Fact]
    public async Task Table_on_the_aws_owned_key_is_switched_to_kms_and_tagged_moto_ignores_the_sse_change()
    {
        await DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = "ct-watcher-test",
            AttributeDefinitions = [new AttributeDefinition("test", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("test", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        var tableArn = (await DynamoDb.DescribeTableAsync("ct-watcher-test")).Table.TableArn;
        using var guard = GuardFunction.Create(Settings(Concerns.UnencryptedTable), Overrides(Moto));
        var envelope = Envelope(CreateTableFixture);

        var first = await guard.HandleAsync(Bytes(envelope), Invocation().Invocation, default);

        var record = Assert.Single(first.Records);
        Assert.Equal("dynamodb-table-kms", record.Rule);
        Assert.Equal("applied", record.Outcome);
        var tags = (await DynamoDb.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = tableArn })).Tags;
        Assert.Contains(tags, t => t.Key == "remediator:finding" && t.Value.StartsWith("dynamodb-table-kms/", StringComparison.Ordinal));
        var item = Assert.Single(await AuditItemsAsync(DynamoDb));
        using var stored = JsonDocument.Parse(item["record"].S);
        var operations = stored.RootElement.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("operation").GetString()).ToList();
        Assert.Contains("dynamodb:UpdateTable", operations);

        var second = await guard.HandleAsync(Bytes(envelope), Invocation().Invocation, default);

        Assert.Equal(GuardResult.Duplicate, Assert.Single(second.Records).Outcome);
        Assert.Single(await AuditItemsAsync(DynamoDb));
    }

    [Fact]
    public async Task Metrics_and_the_summary_line_are_written_and_the_payload_is_not()
    {
        await CreateOffendingRoleAsync();
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(Moto));
        var (invocation, output) = Invocation();

        var result = await guard.HandleAsync(Bytes(Envelope(PutRolePolicyFixture)), invocation, default);
        invocation.Metrics.Flush();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var summary = Assert.Single(lines, l => l.TryGetProperty("message", out var m) && m.GetString() == "event handled");
        Assert.Equal(result.EventId, summary.GetProperty("eventId").GetString());
        Assert.Contains("iam-admin-wildcard=applied", summary.GetProperty("records").GetString(), StringComparison.Ordinal);
        var metrics = Assert.Single(lines, l => l.TryGetProperty("_aws", out _));
        Assert.Equal(1, metrics.GetProperty("Remediations").GetDouble());
        Assert.Equal(0, metrics.GetProperty("Failures").GetDouble());
        Assert.True(metrics.TryGetProperty("Skips", out _));
        Assert.DoesNotContain("Statement", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.7", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_response_lists_event_id_and_each_record()
    {
        await CreateOffendingRoleAsync();
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(Moto));

        var result = await guard.HandleAsync(Bytes(Envelope(PutRolePolicyFixture)), Invocation().Invocation, default);

        using var response = JsonDocument.Parse(result.ToResponse());
        Assert.Equal(result.EventId, response.RootElement.GetProperty("eventId").GetString());
        var records = response.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(result.Records.Count, records.Count);
        Assert.Contains(records, r => r.GetProperty("rule").GetString() == "iam-admin-wildcard" && r.GetProperty("outcome").GetString() == "applied"
            && r.GetProperty("id").GetString() == result.EventId + "/iam-admin-wildcard");
    }
}
