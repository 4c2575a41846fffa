using Remediator.Aws.EventBridge;

namespace Remediator.Aws.Tests.EventBridge;

/// <summary>Each EventBridge request, captured after signing, against botocore's events model.</summary>
public sealed class EventBridgeClientContractTests
{
    private const string BusArn = "arn:aws:events:eu-west-1:123456789012:event-bus/orders";

    private static readonly Dictionary<string, Func<EventBridgeClient, Task>> Calls = new()
    {
        ["DescribeEventBus"] = client => client.DescribeEventBusAsync("orders"),
        ["CreateEventBus"] = client => client.CreateEventBusAsync("orders"),
        ["PutPermission"] = client => client.PutPermissionAsync("orders", new EventBusPermission("org", "*", Condition: new EventBusCondition("StringEquals", "aws:PrincipalOrgID", "o-abc123"))),
        ["PutPermission (policy form)"] = client => client.PutPolicyAsync("orders", """{"Version":"2012-10-17","Statement":[]}"""),
        ["RemovePermission"] = client => client.RemovePermissionAsync("orders", "public"),
        ["RemovePermission (all)"] = client => client.RemoveAllPermissionsAsync(null),
        ["TagResource"] = client => client.TagResourceAsync(BusArn, new Dictionary<string, string> { ["owner"] = "team-a" }),
        ["ListTagsForResource"] = client => client.ListTagsForResourceAsync(BusArn),
        ["UntagResource"] = client => client.UntagResourceAsync(BusArn, ["owner"]),
        ["PutRule"] = client => client.PutRuleAsync("guard", """{"source":["aws.events"]}"""),
        ["PutTargets"] = client => client.PutTargetsAsync("guard", [new EventTarget("guard", "arn:aws:lambda:eu-west-1:123456789012:function:guard")]),
    };

    public static TheoryData<string> Operations => new(Calls.Keys);

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Request_matches_the_botocore_model(string call)
    {
        var handler = new RecordingHandler();
        using var client = new EventBridgeClient(TestAws.Options(), TestAws.Settings(handler));

        await Calls[call](client);

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"events.{TestAws.Region}.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("events"), call.Split(' ')[0], request, TestAws.Region);
    }

    [Fact]
    public void Every_operation_of_the_client_is_checked_against_the_model()
    {
        Assert.Equal(EventBridgeOperations.All.Select(operation => operation.Name).Order(), Calls.Keys.Select(call => call.Split(' ')[0]).Distinct().Order());
        foreach (var operation in EventBridgeOperations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("events"), operation, "events");
        }
    }
}
