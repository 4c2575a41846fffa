using System.Text.Json;
using Remediator.Core.Rules;
using Remediator.Notifier.Slack;
using Remediator.Notifier.Stream;

namespace Remediator.Approvals.Tests;

/// <summary>
/// The approval flow end to end on moto: an approve-mode IAM event becomes a pending record whose Slack message
/// carries the buttons; a signed block_actions click (API Gateway v2 proxy event) by an approver is verified,
/// authorised, written once and queued; the worker applies the fix through the executor and updates the message.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ApprovalEndToEndMotoTests(MotoServer moto)
{
    private const string Admin = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    [Fact]
    public async Task An_approver_click_applies_the_fix_once_and_updates_the_message()
    {
        await using var rig = await StartAsync(moto);
        var envelope = await rig.AdminInlinePolicyAsync("app", Admin);

        // 1. The guard only asks: a pending record, the policy still there.
        var records = await rig.GuardAsync(envelope, ApproveRules(Policy()));
        var pending = Assert.Single(records, r => r.Outcome == AuditOutcome.Pending);
        Assert.Equal(RuleMode.Approve, pending.Mode);
        Assert.Equal([Approver, "S0GROUP01"], pending.Approval!.Approvers);
        Assert.Equal(Admin, (await rig.Aws.Iam.GetInlinePolicyAsync(Remediator.Aws.Iam.IamPrincipal.Role("app"), "admin")).Document);

        // 2. Its Slack message (posted to the stand-in as the notifier would) carries the three buttons.
        var message = SlackMessageBuilder.Single(new AuditNotification(pending, [NotificationPolicy.Slack], null), rig.Clock.GetUtcNow());
        using (var http = new HttpClient())
        {
            (await http.PostAsync(new Uri(rig.Slack.Base, "services/T000/B000/x"), new StringContent(message, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        var posted = await rig.Slack.NextAsync();
        var buttons = Buttons(posted.Body);
        Assert.Equal(["Apply fix", "Deny", "Exempt for 7 days"], buttons.Select(b => b.Label));
        Assert.Equal("apply|" + pending.Id, buttons[0].Value);

        // 3. A non-approver's click: 403, nothing written, nothing queued.
        var stranger = await rig.Endpoint.HandleAsync(rig.Click(Stranger, buttons[0].Value, rig.Slack.ResponseUrl("r0")), default);
        Assert.Equal(403, stranger.Response.StatusCode);
        Assert.DoesNotContain(Stranger, stranger.Response.Body, StringComparison.Ordinal);
        Assert.Null(await rig.Store.GetAsync(DecisionService.DecisionIdFor(pending.Id)));
        Assert.Equal(0, await rig.QueuedAsync());

        // 4. The approver's click (base64 body, as API Gateway may send it): 200, decision written, work queued.
        var click = rig.Click(Approver, buttons[0].Value, rig.Slack.ResponseUrl("r1"), base64: true);
        var answer = await rig.Endpoint.HandleAsync(click, default);
        Assert.Equal(200, answer.Response.StatusCode);
        var begun = await rig.Store.GetAsync(DecisionService.DecisionIdFor(pending.Id));
        Assert.Equal(AuditOutcome.InProgress, begun!.Outcome);
        Assert.Equal(Admin, (await rig.Aws.Iam.GetInlinePolicyAsync(Remediator.Aws.Iam.IamPrincipal.Role("app"), "admin")).Document);

        // 5. The same click again (a double click, or a second approver): 400, nothing queued twice.
        var again = await rig.Endpoint.HandleAsync(click, default);
        Assert.Equal(400, again.Response.StatusCode);

        // 6. The worker applies the fix: moto shows the policy gone; the ledger names the approver and the time.
        var work = await rig.DrainQueueAsync();
        var applied = Assert.Single(work.Records);
        Assert.Empty(work.FailedMessageIds);
        Assert.Equal(AuditOutcome.Applied, applied.Outcome);
        Assert.Empty(await rig.Aws.Iam.ListRolePoliciesAsync("app"));
        var stored = await rig.Store.GetAsync(applied.Id);
        Assert.Equal(AuditOutcome.Applied, stored!.Outcome);
        Assert.Equal(Approver, stored.Decision!.By);
        Assert.Equal(DecisionVerb.Apply, stored.Decision.Verb);
        Assert.Equal(rig.Clock.GetUtcNow(), stored.Decision.At);
        Assert.Equal(pending.Id, stored.DecisionOf);
        Assert.Contains(stored.Actions, a => a.Operation == "iam:DeleteRolePolicy" && a.Outcome is ActionOutcome.Done or ActionOutcome.Verified && a.Before is not null);

        // 7. The stand-in received the updated message through response_url: replaced, with an Undo button now.
        var update = await rig.Slack.NextAsync();
        Assert.Equal("/actions/T000/r1", update.Path);
        using var updated = JsonDocument.Parse(update.Body);
        Assert.True(updated.RootElement.GetProperty("replace_original").GetBoolean());
        Assert.Equal(["Undo"], Buttons(update.Body).Select(b => b.Label));
        Assert.Contains(Approver, update.Body, StringComparison.Ordinal);

        // 8. Nothing ran twice: one decision, one queue message consumed, and the repeated click left the queue empty.
        Assert.Equal(0, await rig.QueuedAsync());
        Assert.False(rig.Slack.TryTake(out _));
    }

    [Fact]
    public async Task Bad_signatures_stale_timestamps_and_malformed_bodies_are_refused_without_detail()
    {
        await using var rig = await StartAsync(moto);
        var envelope = await rig.AdminInlinePolicyAsync("app", Admin);
        var pending = Assert.Single(await rig.GuardAsync(envelope, ApproveRules(Policy())), r => r.Outcome == AuditOutcome.Pending);
        var value = "apply|" + pending.Id;
        var url = rig.Slack.ResponseUrl("r");

        var wrongSecret = await rig.Endpoint.HandleAsync(rig.Click(Approver, value, url, secret: Encoding.UTF8.GetBytes("not-the-secret-0123456789")), default);
        var stale = await rig.Endpoint.HandleAsync(rig.Click(Approver, value, url, signedAt: rig.Clock.GetUtcNow().AddMinutes(-6)), default);
        var future = await rig.Endpoint.HandleAsync(rig.Click(Approver, value, url, signedAt: rig.Clock.GetUtcNow().AddMinutes(6)), default);
        var unknown = await rig.Endpoint.HandleAsync(rig.Click(Approver, "apply|no-such-event/iam-admin-wildcard", url), default);
        var notOurs = await rig.Endpoint.HandleAsync(rig.Click(Approver, "launch|" + pending.Id, url), default);
        var notOpen = await rig.Endpoint.HandleAsync(rig.Click(Approver, "undo|" + pending.Id, url), default);
        var garbage = await rig.Endpoint.HandleAsync("not json"u8.ToArray(), default);

        // Altered after signing: the same request with one byte of the body changed.
        var altered = Encoding.UTF8.GetString(rig.Click(Approver, value, url)).Replace("U0APPROVER", "U0APPROVES", StringComparison.Ordinal);
        var tampered = await rig.Endpoint.HandleAsync(Encoding.UTF8.GetBytes(altered), default);

        // Headers missing.
        var unsigned = Encoding.UTF8.GetString(rig.Click(Approver, value, url)).Replace("x-slack-signature", "x-other", StringComparison.Ordinal);
        var missing = await rig.Endpoint.HandleAsync(Encoding.UTF8.GetBytes(unsigned), default);

        Assert.All(new[] { wrongSecret, stale, future, tampered, missing }, r => Assert.Equal(HttpApiResponseFor(401), (r.Response.StatusCode, r.Response.Body)));
        Assert.Equal(400, unknown.Response.StatusCode);
        Assert.Equal(400, notOurs.Response.StatusCode);
        Assert.Equal(400, notOpen.Response.StatusCode);
        Assert.Equal(400, garbage.Response.StatusCode);
        Assert.Equal(unknown.Response.Body, notOpen.Response.Body);
        Assert.DoesNotContain(pending.Id, unknown.Response.Body + notOpen.Response.Body, StringComparison.Ordinal);

        Assert.Null(await rig.Store.GetAsync(DecisionService.DecisionIdFor(pending.Id)));
        Assert.Equal(0, await rig.QueuedAsync());
        Assert.Single(await rig.Aws.Iam.ListRolePoliciesAsync("app"));
    }

    [Fact]
    public async Task An_expired_decision_gets_its_on_expiry_outcome_and_a_late_click_is_refused()
    {
        await using var rig = await StartAsync(moto);
        var applyEnvelope = await rig.AdminInlinePolicyAsync("apply-on-expiry", Admin);
        var toApply = Assert.Single(await rig.GuardAsync(applyEnvelope, ApproveRules(Policy(ExpiryOutcome.Apply, expiresAfter: TimeSpan.FromHours(1)))), r => r.Outcome == AuditOutcome.Pending);
        var notifyEnvelope = await rig.AdminInlinePolicyAsync("notify-on-expiry", Admin);
        var toNotify = Assert.Single(await rig.GuardAsync(notifyEnvelope, ApproveRules(Policy(ExpiryOutcome.Notify, expiresAfter: TimeSpan.FromHours(1)))), r => r.Outcome == AuditOutcome.Pending);

        // Before the deadline the schedule does nothing.
        var early = await rig.Worker.HandleAsync("""{"detail-type":"Scheduled Event","source":"aws.events"}"""u8.ToArray(), new Remediator.Runtime.Logging.JsonLogger(TextWriter.Null, Remediator.Runtime.Logging.LogLevel.Info), default);
        Assert.Empty(early.Records);

        rig.Clock.Advance(TimeSpan.FromHours(2));
        var late = await rig.Endpoint.HandleAsync(rig.Click(Approver, "apply|" + toNotify.Id, rig.Slack.ResponseUrl("late")), default);
        Assert.Equal(400, late.Response.StatusCode);

        var expired = await rig.Worker.HandleAsync("""{"detail-type":"Scheduled Event","source":"aws.events"}"""u8.ToArray(), new Remediator.Runtime.Logging.JsonLogger(TextWriter.Null, Remediator.Runtime.Logging.LogLevel.Info), default);
        Assert.Equal(2, expired.Records.Count);

        var applied = await rig.Store.GetAsync(DecisionService.DecisionIdFor(toApply.Id));
        Assert.Equal(AuditOutcome.Applied, applied!.Outcome);
        Assert.Equal(DecisionTaken.Expiry, applied.Decision!.By);
        Assert.Empty(await rig.Aws.Iam.ListRolePoliciesAsync("apply-on-expiry"));
        // The expiry's decision carries the original's notification, so the channel is told.
        Assert.Contains(applied.Actions, a => a.IsNotification);

        var lapsed = await rig.Store.GetAsync(DecisionService.DecisionIdFor(toNotify.Id));
        Assert.Equal(AuditOutcome.Decided, lapsed!.Outcome);
        Assert.Equal(DecisionVerb.Lapse, lapsed.Decision!.Verb);
        Assert.Single(await rig.Aws.Iam.ListRolePoliciesAsync("notify-on-expiry"));

        // A second run finds both decided and does nothing.
        var second = await rig.Worker.HandleAsync("""{"detail-type":"Scheduled Event"}"""u8.ToArray(), new Remediator.Runtime.Logging.JsonLogger(TextWriter.Null, Remediator.Runtime.Logging.LogLevel.Info), default);
        Assert.Empty(second.Records);
    }

    [Fact]
    public async Task Contain_then_ask_contains_at_once_and_Restore_puts_the_policy_back_exactly()
    {
        await using var rig = await StartAsync(moto);
        const string document = """{"Version":"2012-10-17","Statement":[{"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"}]}""";
        var envelope = await rig.AdminInlinePolicyAsync("contained", document);

        // Contained at once, as enforce mode would, and the record asks Keep or Restore.
        var contained = Assert.Single(await rig.GuardAsync(envelope, ApproveRules(Policy(contain: true))), r => r.Outcome == AuditOutcome.Applied);
        Assert.True(contained.Approval!.Contain);
        Assert.Empty(await rig.Aws.Iam.ListRolePoliciesAsync("contained"));
        var message = SlackMessageBuilder.Single(new AuditNotification(contained, [NotificationPolicy.Slack], null), rig.Clock.GetUtcNow());
        Assert.Equal(["Keep containment", "Restore"], Buttons(message).Select(b => b.Label));

        var restore = Buttons(message)[1].Value;
        Assert.Equal(403, (await rig.Endpoint.HandleAsync(rig.Click(Stranger, restore, rig.Slack.ResponseUrl("s")), default)).Response.StatusCode);
        Assert.Equal(200, (await rig.Endpoint.HandleAsync(rig.Click(Approver, restore, rig.Slack.ResponseUrl("restore")), default)).Response.StatusCode);
        var work = await rig.DrainQueueAsync();
        Assert.Equal(AuditOutcome.Applied, Assert.Single(work.Records).Outcome);

        // The policy is back exactly as before, and the ledger has both steps: the containment (now undone) and the restore.
        var back = await rig.Aws.Iam.GetInlinePolicyAsync(Remediator.Aws.Iam.IamPrincipal.Role("contained"), "admin");
        Assert.Equal(Canonical(document), Canonical(back.Document));
        var original = await rig.Store.GetAsync(contained.Id);
        Assert.Equal(AuditOutcome.Undone, original!.Outcome);
        var undo = await rig.Store.GetAsync(original.UndoneBy!);
        Assert.Equal(AuditOutcome.Applied, undo!.Outcome);
        Assert.Contains(undo.Actions, a => a.Operation == "iam:PutRolePolicy");
        var decision = await rig.Store.GetAsync(DecisionService.DecisionIdFor(contained.Id));
        Assert.Equal((DecisionVerb.Restore, Approver), (decision!.Decision!.Verb, decision.Decision.By));
        var update = await rig.Slack.NextAsync();
        Assert.Equal("/actions/T000/restore", update.Path);
    }

    private static (int, string) HttpApiResponseFor(int status) => (status, Remediator.Approvals.Http.HttpApiResponse.Unauthorized.Body);

    /// <summary>The document without insignificant whitespace (IAM may return it reformatted).</summary>
    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
    }

    private static List<(string Label, string Value)> Buttons(string message)
    {
        using var document = JsonDocument.Parse(message);
        var buttons = new List<(string, string)>();
        foreach (var block in document.RootElement.GetProperty("blocks").EnumerateArray())
        {
            if (block.GetProperty("type").GetString() == "actions")
            {
                foreach (var element in block.GetProperty("elements").EnumerateArray())
                {
                    buttons.Add((element.GetProperty("text").GetProperty("text").GetString()!, element.GetProperty("value").GetString()!));
                }
            }
        }

        return buttons;
    }
}
