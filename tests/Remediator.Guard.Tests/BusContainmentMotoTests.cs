using Remediator.Aws.Audit;
using Remediator.Aws.State;
using Remediator.Composition.Planning;
using Remediator.Core.Audit;
using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Rules;
using Remediator.Operations;

namespace Remediator.Guard.Tests;

/// <summary>
/// The event bus guard cannot write a bus policy (events:PutPermission would let it make any bus public). When a public
/// statement has no Sid, RemovePermission cannot name it and the exact revert is a rewrite of the whole policy: the
/// always-on guard makes the bus private instead, keeping the policy before, and only a person's decision writes one.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class BusContainmentMotoTests(MotoServer moto) : GuardMotoTests(moto)
{
    private const string Bus = "orders";

    [Fact]
    public async Task A_public_statement_without_a_sid_is_contained_by_making_the_bus_private_with_no_policy_write()
    {
        using var aws = new AwsClients(MotoOptions, new AwsTransportSettings { Credentials = Credentials, Environment = _ => null }, MotoDynamoDb(Moto.Endpoint));
        var busArn = await aws.EventBridge.CreateEventBusAsync(Bus);
        // moto cannot store a statement without a Sid (its PutPermission answers 500), so the public statement is
        // stored as "Public" and the stand-in below drops that Sid from every DescribeEventBus reply the guard reads.
        await aws.EventBridge.PutPolicyAsync(Bus, Policy(busArn, publicSid: "Public"));

        var recorder = new PermissionRecorder();
        var overrides = Overrides(Moto) with { InnerHandler = new SidlessPublicStatement(recorder.Handler()), DynamoDb = MotoDynamoDb(Moto.Endpoint, recorder.Observe) };
        GuardResult result;
        using (var guard = GuardFunction.Create(Settings(Concerns.PublicEventBus), overrides))
        {
            result = await guard.HandleAsync(Encoding.UTF8.GetBytes(Envelope(Policy(busArn))), Invocation().Invocation, default);
        }

        // Private now; the guard called nothing that writes a policy, and nothing its role does not grant.
        Assert.True(string.IsNullOrEmpty((await aws.EventBridge.DescribeEventBusAsync(Bus)).Policy));
        Assert.Contains("events:RemovePermission", recorder.Actions);
        Assert.DoesNotContain("events:PutPermission", recorder.Actions);
        Assert.All(recorder.Actions, a => Assert.Contains(a, TemplateRoles.GrantedActions("EventBusGuardRole")));

        var store = new DynamoDbAuditStore(DynamoDb, AuditTable);
        var record = (await store.GetAsync(Assert.Single(result.Records, r => r.Outcome == "applied").Id))!;
        var step = Assert.Single(record.Actions, a => !a.IsNotification);
        Assert.Equal("events:RemovePermission", step.Operation);
        Assert.Equal(true, (bool?)step.Parameters["RemoveAllPermissions"]);
        Assert.Contains("Rewrite the policy of event bus 'orders' without its 1 public statement(s), keeping the other 1", step.Description, StringComparison.Ordinal);
        // What undo (a person's, under the worker's role) would put back: the whole policy as the guard read it.
        Assert.Equal(2, JsonNode.Parse((string)step.Parameters["PreviousPolicy"]!)!["Statement"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(RuleMode.Enforce, false, "events:RemovePermission")]
    [InlineData(RuleMode.Approve, true, "events:RemovePermission")]
    [InlineData(RuleMode.Approve, false, "events:PutPermission")]
    public void Only_a_plan_a_person_approves_writes_the_bus_policy(RuleMode mode, bool contain, string expected)
    {
        var rule = EnforcedBuiltInRules().First(r => r.Concern == Concerns.PublicEventBus) with
        {
            Mode = mode,
            Approval = mode == RuleMode.Approve ? new Core.Approvals.ApprovalPolicy(["U0123ABCD"], TimeSpan.FromHours(1), Core.Approvals.ExpiryOutcome.Notify, contain) : null,
        };
        const string arn = "arn:aws:events:us-east-1:123456789012:event-bus/orders";
        var rewrite = OperationCatalogue.PutPermission.Plan("revert", arn, "Rewrite the policy of event bus 'orders' without its 1 public statement(s), keeping the other 1.",
            new BusPolicyPut(Bus, """{"Version":"2012-10-17","Statement":[]}""", Policy(arn)));
        var finding = new Finding(rule.Id, Concerns.PublicEventBus, arn, "AWS::Events::EventBus", Severity.High, "public-statement", "public", []) { RevertSteps = [rewrite] };
        Assert.True(EventReader.TryParseOne(Envelope(Policy(arn)), out var e, out _));

        var change = Assert.Single(new RemediationPlanner().Plan(rule, finding, e!, notifyOnly: false), a => a.Action != "notify");

        Assert.Equal(expected, change.Operation);
        if (expected == "events:RemovePermission")
        {
            Assert.Equal(true, (bool?)change.Parameters["RemoveAllPermissions"]);
            Assert.Equal(Policy(arn), (string?)change.Parameters["PreviousPolicy"]);
        }
    }

    private static string Policy(string busArn, string? publicSid = null) =>
        $$"""{"Version":"2012-10-17","Statement":[{{{(publicSid is null ? "" : $"\"Sid\":\"{publicSid}\",")}}"Effect":"Allow","Principal":{"AWS":"*"},"Action":"events:PutEvents","Resource":"{{busArn}}"},{"Sid":"AllowPartner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"events:PutEvents","Resource":"{{busArn}}"}]}""";

    /// <summary>Drops the Sid "Public" from the bus policy in DescribeEventBus replies (a statement moto cannot store).</summary>
    private sealed class SidlessPublicStatement(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!request.Headers.TryGetValues("X-Amz-Target", out var target) || target.First() != "AWSEvents.DescribeEventBus" || !response.IsSuccessStatusCode)
            {
                return response;
            }

            var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            if (reply["Policy"]?.GetValue<string>() is { } text)
            {
                var policy = JsonNode.Parse(text)!;
                foreach (var statement in policy["Statement"]!.AsArray())
                {
                    if (statement!["Sid"]?.GetValue<string>() == "Public")
                    {
                        statement.AsObject().Remove("Sid");
                    }
                }

                reply["Policy"] = policy.ToJsonString();
            }

            response.Content = new StringContent(reply.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1");
            return response;
        }
    }

    private static string Envelope(string policy) =>
        new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = "aws.events",
            ["account"] = MotoServer.AccountId,
            ["region"] = Region,
            ["detail"] = new JsonObject
            {
                ["eventSource"] = "events.amazonaws.com",
                ["eventName"] = "PutPermission",
                ["eventID"] = Guid.NewGuid().ToString(),
                ["eventTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["awsRegion"] = Region,
                ["recipientAccountId"] = MotoServer.AccountId,
                ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = $"arn:aws:iam::{MotoServer.AccountId}:user/alice" },
                ["requestParameters"] = new JsonObject { ["eventBusName"] = Bus, ["policy"] = policy },
            },
        }.ToJsonString();
}
