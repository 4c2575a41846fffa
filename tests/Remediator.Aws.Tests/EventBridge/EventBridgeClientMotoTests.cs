using Remediator.Aws.EventBridge;

namespace Remediator.Aws.Tests.EventBridge;

/// <summary>EventBridge round trips against moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class EventBridgeClientMotoTests : MotoClientTests
{
    private readonly EventBridgeClient _events;

    public EventBridgeClientMotoTests(MotoServer moto)
        : base(moto)
    {
        _events = Client((options, settings) => new EventBridgeClient(options, settings));
    }

    [Fact]
    public async Task Bus_is_created_and_described()
    {
        var arn = await _events.CreateEventBusAsync("orders");

        var bus = await _events.DescribeEventBusAsync("orders");

        Assert.Equal($"arn:aws:events:{TestAws.Region}:{MotoServer.AccountId}:event-bus/orders", arn);
        Assert.Equal(new EventBus("orders", arn, null), bus);
    }

    [Fact]
    public async Task Default_bus_is_described_when_no_name_is_given()
    {
        var bus = await _events.DescribeEventBusAsync(null);

        Assert.Equal("default", bus.Name);
        Assert.EndsWith(":event-bus/default", bus.Arn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statements_are_added_read_back_and_removed_one_by_one()
    {
        await _events.CreateEventBusAsync("orders");

        await _events.PutPermissionAsync("orders", new EventBusPermission("public", "*"));
        await _events.PutPermissionAsync("orders", new EventBusPermission("partner", "111122223333"));
        Assert.Equal(["partner", "public"], StatementIds((await _events.DescribeEventBusAsync("orders")).Policy));

        await _events.RemovePermissionAsync("orders", "public");

        Assert.Equal(["partner"], StatementIds((await _events.DescribeEventBusAsync("orders")).Policy));
    }

    [Fact]
    public async Task Statement_with_an_organization_condition_keeps_its_condition()
    {
        await _events.CreateEventBusAsync("orders");

        await _events.PutPermissionAsync("orders", new EventBusPermission("org", "*", Condition: new EventBusCondition("StringEquals", "aws:PrincipalOrgID", "o-abc123")));

        var statement = JsonNode.Parse((await _events.DescribeEventBusAsync("orders")).Policy!)!["Statement"]![0]!;
        Assert.Equal("o-abc123", statement["Condition"]!["StringEquals"]!["aws:PrincipalOrgID"]!.GetValue<string>());
    }

    [Fact]
    public async Task Whole_policy_is_put_and_read_back_then_every_statement_removed()
    {
        // AWS replaces the bus policy with the one given; moto 5.2.1 merges it into the existing statements,
        // so this starts from a bus without a policy to test what both agree on.
        await _events.CreateEventBusAsync("orders");
        var resource = $"arn:aws:events:{TestAws.Region}:{MotoServer.AccountId}:event-bus/orders";
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"own","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{MotoServer.AccountId}}:root"},"Action":"events:PutEvents","Resource":"{{resource}}"},
              {"Sid":"partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"events:PutEvents","Resource":"{{resource}}"}]}
            """;

        await _events.PutPolicyAsync("orders", policy);
        Assert.Equal(["own", "partner"], StatementIds((await _events.DescribeEventBusAsync("orders")).Policy));
        await _events.RemoveAllPermissionsAsync("orders");

        Assert.Empty(StatementIds((await _events.DescribeEventBusAsync("orders")).Policy));
    }

    [Fact]
    public async Task Bus_tags_are_written_and_read_back()
    {
        var arn = await _events.CreateEventBusAsync("orders");

        await _events.TagResourceAsync(arn, new Dictionary<string, string> { ["owner"] = "team-a" });

        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a" }, await _events.ListTagsForResourceAsync(arn));
    }

    [Fact]
    public async Task Rule_and_target_are_created()
    {
        var ruleArn = await _events.PutRuleAsync("guard", """{"source":["aws.events"]}""");

        var failed = await _events.PutTargetsAsync("guard", [new EventTarget("guard", $"arn:aws:sns:{TestAws.Region}:{MotoServer.AccountId}:alerts")]);

        Assert.Equal($"arn:aws:events:{TestAws.Region}:{MotoServer.AccountId}:rule/guard", ruleArn);
        Assert.Equal(0, failed);
    }

    [Fact]
    public async Task Removing_a_missing_statement_fails_with_an_error_naming_the_bus()
    {
        await _events.CreateEventBusAsync("orders");
        await _events.PutPermissionAsync("orders", new EventBusPermission("public", "*"));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _events.RemovePermissionAsync("orders", "nope"));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.StartsWith("events:RemovePermission on event-bus/orders statement nope failed: ResourceNotFoundException: ", error.Message, StringComparison.Ordinal);
    }

    private static List<string> StatementIds(string? policy) =>
        policy is null ? [] : JsonNode.Parse(policy)!["Statement"]!.AsArray().Select(statement => statement!["Sid"]!.GetValue<string>()).Order().ToList();
}
