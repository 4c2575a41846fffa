using System.Diagnostics;
using System.Globalization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Remediator.Approvals.Queue;
using Remediator.Approvals.Slack;
using Remediator.Aws;
using Remediator.Core.Execution;
using Remediator.Detectors.Actions;
using Remediator.Operations;

namespace Remediator.Approvals.Tests;

/// <summary>
/// The optional bot token, on moto with a local Slack Web API stand-in: user-group approvers resolved through
/// usergroups.users.list (and refused, fail closed, when no token is configured), and Deny asking for a reason in a
/// dialog (views.open) whose signed view_submission records it once.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SlackBotTokenMotoTests(MotoServer moto)
{
    private const string Admin = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string Group = "S0GROUP01";
    private const string GroupMember = "U0MEMBER1";
    private const string TokenParameter = "/remediator/slack-bot-token";

    [Fact]
    public async Task A_member_of_a_group_approver_decides_once_the_bot_token_resolves_the_group_and_others_are_refused()
    {
        await using var rig = await StartAsync(moto);
        await using var slack = new SlackApiStandIn();
        slack.Groups[Group] = [GroupMember, "U0MEMBER2"];
        var endpoint = await EndpointAsync(rig, slack);
        var pending = await PendingAsync(rig, "grouped");

        // Not listed by id and not in the group: 403, the group was looked up with the bot token.
        var stranger = await endpoint.HandleAsync(rig.Click(Stranger, "apply|" + pending.Id, rig.Slack.ResponseUrl("s")), default);
        Assert.Equal(403, stranger.Response.StatusCode);
        var lookup = Assert.Single(slack.Calls);
        Assert.Equal(("usergroups.users.list", "?usergroup=" + Group, "Bearer " + SlackApiStandIn.BotToken), (lookup.Method, lookup.Query, lookup.Authorization));
        Assert.DoesNotContain(SlackApiStandIn.BotToken, stranger.Outcome, StringComparison.Ordinal);

        // A member: 200, the decision is written and queued; the membership came from the cache (no second call).
        var member = await endpoint.HandleAsync(rig.Click(GroupMember, "apply|" + pending.Id, rig.Slack.ResponseUrl("m")), default);
        Assert.Equal(200, member.Response.StatusCode);
        Assert.Single(slack.Calls);
        var decision = await rig.Store.GetAsync(DecisionService.DecisionIdFor(pending.Id));
        Assert.Equal(GroupMember, decision!.Decision!.By);
        Assert.Equal(1, await rig.QueuedAsync());

        // A member removed from the group loses the right once the cache runs out.
        slack.Groups[Group] = ["U0MEMBER2"];
        rig.Clock.Advance(SlackUserGroups.CacheFor + TimeSpan.FromSeconds(1));
        var other = await PendingAsync(rig, "grouped-later");
        var removed = await endpoint.HandleAsync(rig.Click(GroupMember, "apply|" + other.Id, rig.Slack.ResponseUrl("r")), default);
        Assert.Equal(403, removed.Response.StatusCode);
        Assert.Equal(2, slack.Calls.Count);
    }

    [Fact]
    public async Task Without_a_bot_token_a_group_approver_fails_closed_with_a_clear_403_and_a_listed_user_still_decides()
    {
        await using var rig = await StartAsync(moto);
        var endpoint = await EndpointAsync(rig, slack: null);
        var pending = await PendingAsync(rig, "no-token");

        var member = await endpoint.HandleAsync(rig.Click(GroupMember, "apply|" + pending.Id, rig.Slack.ResponseUrl("m")), default);
        Assert.Equal(403, member.Response.StatusCode);
        Assert.Contains("bot token", member.Response.Body, StringComparison.Ordinal);
        Assert.Contains("fail closed", member.Outcome, StringComparison.Ordinal);
        Assert.Contains(Group, member.Outcome, StringComparison.Ordinal);
        Assert.Null(await rig.Store.GetAsync(DecisionService.DecisionIdFor(pending.Id)));
        Assert.Equal(0, await rig.QueuedAsync());

        // A user listed by id needs no lookup.
        Assert.Equal(200, (await endpoint.HandleAsync(rig.Click(Approver, "apply|" + pending.Id, rig.Slack.ResponseUrl("a")), default)).Response.StatusCode);
    }

    [Fact]
    public async Task Deny_without_a_bot_token_records_that_no_reason_could_be_asked_for()
    {
        await using var rig = await StartAsync(moto);
        var endpoint = await EndpointAsync(rig, slack: null);
        var pending = await PendingAsync(rig, "deny-no-token");

        Assert.Equal(200, (await endpoint.HandleAsync(rig.Click(Approver, "deny|" + pending.Id, rig.Slack.ResponseUrl("d")), default)).Response.StatusCode);
        var done = Assert.Single((await rig.DrainQueueAsync()).Records);
        Assert.Equal(AuditOutcome.Decided, done.Outcome);
        Assert.Equal($"denied from Slack by {Approver}; no reason (no bot token configured)", done.Decision!.Reason);
        Assert.Single(await rig.Aws.Iam.ListRolePoliciesAsync("deny-no-token"));
    }

    [Fact]
    public async Task Deny_opens_a_reason_dialog_and_its_signed_submission_by_an_approver_records_the_reason_once()
    {
        await using var rig = await StartAsync(moto);
        await using var slack = new SlackApiStandIn();
        slack.Groups[Group] = [GroupMember];
        var endpoint = await EndpointAsync(rig, slack);
        var pending = await PendingAsync(rig, "deny-why");

        // A stranger's Deny click opens nothing.
        Assert.Equal(403, (await endpoint.HandleAsync(rig.Click(Stranger, "deny|" + pending.Id, rig.Slack.ResponseUrl("x")), default)).Response.StatusCode);
        Assert.DoesNotContain(slack.Calls, c => c.Method == "views.open");

        // The approver's Deny click: views.open with the click's trigger_id; nothing is recorded yet.
        var click = await endpoint.HandleAsync(rig.Click(Approver, "deny|" + pending.Id, rig.Slack.ResponseUrl("deny")), default);
        Assert.Equal(200, click.Response.StatusCode);
        var open = Assert.Single(slack.Calls, c => c.Method == "views.open");
        Assert.Equal("Bearer " + SlackApiStandIn.BotToken, open.Authorization);
        var view = JsonNode.Parse(open.Body)!;
        Assert.Equal("1.2.3", (string?)view["trigger_id"]);
        Assert.Equal(DenyReasonModal.CallbackId, (string?)view["view"]!["callback_id"]);
        Assert.Null(await rig.Store.GetAsync(DecisionService.DecisionIdFor(pending.Id)));

        // The submission comes back as Slack would send it: the view with its private_metadata and the typed reason.
        var metadata = (string)view["view"]!["private_metadata"]!;
        var submission = Submission(rig, Approver, metadata, "break-glass role, reviewed with the owner");

        // Submitted by someone else (a forged or shared view): 403, nothing written.
        Assert.Equal(403, (await endpoint.HandleAsync(Submission(rig, Stranger, metadata, "nope"), default)).Response.StatusCode);
        Assert.Null(await rig.Store.GetAsync(DecisionService.DecisionIdFor(pending.Id)));

        var submitted = await endpoint.HandleAsync(submission, default);
        Assert.Equal(200, submitted.Response.StatusCode);

        // Replayed (inside the 5-minute window): refused, nothing queued twice.
        Assert.Equal(400, (await endpoint.HandleAsync(submission, default)).Response.StatusCode);
        // Replayed after the window: the signature's timestamp is stale.
        rig.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(401, (await endpoint.HandleAsync(submission, default)).Response.StatusCode);

        var work = await rig.DrainQueueAsync();
        var denied = Assert.Single(work.Records);
        Assert.Equal(AuditOutcome.Decided, denied.Outcome);
        Assert.Equal((DecisionVerb.Deny, Approver, "break-glass role, reviewed with the owner"), (denied.Decision!.Verb, denied.Decision.By, denied.Decision.Reason));
        Assert.Single(await rig.Aws.Iam.ListRolePoliciesAsync("deny-why"));
        // The clicked message is updated through the response_url the dialog carried.
        Assert.Equal("/actions/T000/deny", (await rig.Slack.NextAsync()).Path);
    }

    [Fact]
    public async Task A_slow_views_open_is_cut_short_inside_Slacks_three_seconds_and_records_nothing()
    {
        await using var rig = await StartAsync(moto);
        await using var slack = new SlackApiStandIn { ViewsOpenDelay = TimeSpan.FromSeconds(5) };
        var endpoint = await EndpointAsync(rig, slack);
        var pending = await PendingAsync(rig, "deny-slow");

        var clock = Stopwatch.StartNew();
        var answer = await endpoint.HandleAsync(rig.Click(Approver, "deny|" + pending.Id, rig.Slack.ResponseUrl("slow")), default);
        Assert.Equal(503, answer.Response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"answered after {clock.Elapsed}");
        Assert.Null(await rig.Store.GetAsync(DecisionService.DecisionIdFor(pending.Id)));
    }

    [Fact]
    public void The_bot_token_setting_takes_a_parameter_name_never_a_token_and_only_on_the_actions_function()
    {
        string? Read(string variable, string part, string? token) => variable switch
        {
            SlackFunctionSettings.PartVariable => part,
            SlackFunctionSettings.AuditTableVariable => "remediator-audit",
            SlackFunctionSettings.RegionVariable => "us-east-1",
            SlackFunctionSettings.SigningParameterVariable => "/remediator/slack-signing-secret",
            SlackFunctionSettings.QueueUrlVariable => "https://sqs.us-east-1.amazonaws.com/123456789012/q",
            SlackFunctionSettings.BotTokenParameterVariable => token,
            _ => null,
        };

        Assert.Equal(TokenParameter, SlackFunctionSettings.FromEnvironment(v => Read(v, "actions", TokenParameter)).BotTokenParameter);
        Assert.Null(SlackFunctionSettings.FromEnvironment(v => Read(v, "actions", null)).BotTokenParameter);
        var pasted = Assert.Throws<ArgumentException>(() => SlackFunctionSettings.FromEnvironment(v => Read(v, "actions", SlackApiStandIn.BotToken)));
        Assert.DoesNotContain(SlackApiStandIn.BotToken, pasted.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SlackFunctionSettings.FromEnvironment(v => Read(v, "worker", TokenParameter)));
    }

    /// <summary>The endpoint as SlackFunction composes it, with (or without) the bot token in moto's SSM and the Web API stand-in.</summary>
    private static async Task<SlackActionsEndpoint> EndpointAsync(ApprovalRig rig, SlackApiStandIn? slack)
    {
        var sdk = new AwsSdkClients(new AwsClientOptions { Region = Region, EndpointUrl = rig.MotoEndpoint }.Validate(), ApprovalRig.Credentials, _ => null);
        var ssm = sdk.CreateSsm();
        SlackWebApi? api = null;
        if (slack is not null)
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = TokenParameter, Type = ParameterType.SecureString, Value = SlackApiStandIn.BotToken, Overwrite = true });
            api = SlackFunction.CreateSlackApi(rig.EndpointSsm, TokenParameter, new SlackFunctionOverrides { SlackApiUrl = slack.Base }, rig.Clock);
        }

        IApproverGroups groups = api is null ? UnresolvedApproverGroups.WithoutBotToken : new SlackUserGroups(api, rig.Clock);
        var refusing = new RefusingSteps();
        var decisions = new DecisionService(rig.EndpointLedger, refusing, new UndoService(rig.EndpointLedger, refusing, new UndoPlanner(OperationCatalogue.Index), rig.Clock), new TagExemptionPlanner("remediator:exempt"), rig.Clock, groups);
        return new SlackActionsEndpoint(new SsmSigningSecretSource(rig.EndpointSsm, SigningParameter, TimeSpan.FromMinutes(5), rig.Clock), decisions, new SqsDecisionQueue(rig.EndpointSqs, rig.QueueUrl), rig.Clock, api);
    }

    /// <summary>A pending decision (approvers: <see cref="Approver"/> and <see cref="Group"/>) about an admin inline policy.</summary>
    private static async Task<AuditRecord> PendingAsync(ApprovalRig rig, string role)
    {
        var envelope = await rig.AdminInlinePolicyAsync(role, Admin);
        return Assert.Single(await rig.GuardAsync(envelope, ApproveRules(Policy())), r => r.Outcome == AuditOutcome.Pending);
    }

    /// <summary>The HTTP API v2 event of a signed view_submission of the Deny dialog.</summary>
    private static byte[] Submission(ApprovalRig rig, string userId, string privateMetadata, string reason)
    {
        var payload = new JsonObject
        {
            ["type"] = "view_submission",
            ["user"] = new JsonObject { ["id"] = userId },
            ["view"] = new JsonObject
            {
                ["id"] = "V0STANDIN",
                ["callback_id"] = DenyReasonModal.CallbackId,
                ["private_metadata"] = privateMetadata,
                ["state"] = new JsonObject
                {
                    ["values"] = new JsonObject
                    {
                        [DenyReasonModal.BlockId] = new JsonObject { [DenyReasonModal.ActionId] = new JsonObject { ["type"] = "plain_text_input", ["value"] = reason } },
                    },
                },
            },
        }.ToJsonString();
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));
        var timestamp = rig.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "POST /slack/actions",
            ["headers"] = new JsonObject
            {
                ["x-slack-request-timestamp"] = timestamp,
                ["x-slack-signature"] = Encoding.ASCII.GetString(SlackSignature.Sign(Secret, timestamp, body)),
            },
            ["body"] = Encoding.UTF8.GetString(body),
            ["isBase64Encoded"] = false,
        }.ToJsonString());
    }

    private sealed class RefusingSteps : IStepExecutor
    {
        public Task<AuditAction> ExecuteAsync(AuditAction step, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the endpoint must never execute a step");
    }
}
