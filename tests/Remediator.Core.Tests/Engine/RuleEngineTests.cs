using static Remediator.Core.Tests.Engine.EngineFakes;

namespace Remediator.Core.Tests.Engine;

public sealed class RuleEngineTests
{
    [Fact]
    public async Task A_finding_becomes_a_planned_revert_and_notification()
    {
        var evaluation = await NewEngine(Rule(new FindsOne())).EvaluateAsync(PutRolePolicy());

        var decision = Assert.Single(evaluation.Findings);
        Assert.Equal(FindingOutcome.Planned, decision.Outcome);
        Assert.Equal(["iam:DeleteRolePolicy", "notify:slack"], decision.PlannedActions.Select(a => a.Operation));
        Assert.Equal("test-rule", decision.Finding.Rule);
    }

    [Fact]
    public async Task A_failed_call_is_skipped_before_any_rule()
    {
        var detector = new FindsOne();
        var evaluation = await NewEngine(Rule(detector)).EvaluateAsync(PutRolePolicy(errorCode: "AccessDenied"));

        Assert.Contains("failed call (AccessDenied)", evaluation.Skipped, StringComparison.Ordinal);
        Assert.Empty(evaluation.Rules);
        Assert.Equal(0, detector.Calls);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/remediator-*")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/remediator-iam/*")]
    public async Task The_guards_own_changes_are_never_judged(string ownPrincipal)
    {
        var e = Event("""
            {"eventSource": "iam.amazonaws.com", "eventName": "PutRolePolicy", "eventID": "e-2",
             "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/remediator-iam/i-1",
               "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/remediator-iam"}}}}
            """);
        var engine = NewEngine(Rule(new FindsOne()), new GuardOptions { OwnPrincipals = [ownPrincipal] });

        var evaluation = await engine.EvaluateAsync(e);

        Assert.StartsWith("the guard's own change", evaluation.Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_principal_is_judged_even_with_own_principals_configured()
    {
        var engine = NewEngine(Rule(new FindsOne()), new GuardOptions { OwnPrincipals = ["arn:aws:iam::111122223333:role/remediator-*"] });

        var evaluation = await engine.EvaluateAsync(PutRolePolicy());

        Assert.Null(evaluation.Skipped);
        Assert.Single(evaluation.Findings);
    }

    [Fact]
    public async Task A_second_delivery_of_the_same_event_plans_nothing()
    {
        var engine = NewEngine(Rule(new FindsOne()));

        var first = await engine.EvaluateAsync(PutRolePolicy(eventId: "same"));
        var second = await engine.EvaluateAsync(PutRolePolicy(eventId: "same"));

        Assert.Single(first.Findings);
        Assert.Empty(second.Findings);
        Assert.Contains("duplicate delivery", second.Rules[0].NotApplied, StringComparison.Ordinal);
        Assert.True(second.Rules[0].IsRepeatedDelivery);
    }

    [Fact]
    public async Task An_exempt_actor_is_left_alone()
    {
        var rule = Rule(new FindsOne(), exempt: Exemptions.None with { Principals = ["arn:aws:iam::*:user/break-glass*"] });

        var exempt = await NewEngine(rule).EvaluateAsync(PutRolePolicy(actor: "arn:aws:iam::111122223333:user/break-glass-1"));
        var judged = await NewEngine(rule).EvaluateAsync(PutRolePolicy(actor: "arn:aws:iam::111122223333:user/bob"));

        Assert.Contains("is exempt", exempt.Rules[0].NotApplied, StringComparison.Ordinal);
        Assert.Empty(exempt.Findings);
        Assert.Single(judged.Findings);
    }

    [Fact]
    public async Task Account_and_region_scope_limit_a_rule()
    {
        var rule = Rule(new FindsOne(), exempt: Exemptions.None with { Accounts = ["999999999999"], Regions = ["eu-west-1"] });

        var evaluation = await NewEngine(rule).EvaluateAsync(PutRolePolicy());

        Assert.Contains("outside the rule's accounts", evaluation.Rules[0].NotApplied, StringComparison.Ordinal);
        var inRegion = Rule(new FindsOne(), exempt: Exemptions.None with { Regions = ["us-east-1"] });
        Assert.Single((await NewEngine(inRegion).EvaluateAsync(PutRolePolicy())).Findings);
    }

    [Fact]
    public async Task An_exempt_resource_pattern_exempts_the_finding()
    {
        var rule = Rule(new FindsOne(), exempt: Exemptions.None with { Resources = ["arn:aws:iam::*:role/app"] });

        var decision = Assert.Single((await NewEngine(rule).EvaluateAsync(PutRolePolicy())).Findings);

        Assert.Equal(FindingOutcome.Exempt, decision.Outcome);
        Assert.Empty(decision.PlannedActions);
    }

    [Theory]
    [InlineData("true", FindingOutcome.Exempt)]
    [InlineData("2027-01-31", FindingOutcome.Exempt)]
    [InlineData("2026-10-31", FindingOutcome.Planned)]
    public async Task The_exemption_tag_holds_until_its_expiry_date(string value, FindingOutcome expected)
    {
        var tags = new Dictionary<string, string> { [GuardOptions.DefaultExemptionTag] = value };

        var decision = Assert.Single((await NewEngine(Rule(new FindsOne()), tags: tags).EvaluateAsync(PutRolePolicy())).Findings);

        Assert.Equal(expected, decision.Outcome);
    }

    [Fact]
    public async Task A_rule_specific_exemption_tag_is_honoured()
    {
        var rule = Rule(new FindsOne(), exempt: Exemptions.None with { Tag = "team:accepted-risk" });
        var tags = new Dictionary<string, string> { ["team:accepted-risk"] = "SEC-123" };

        var decision = Assert.Single((await NewEngine(rule, tags: tags).EvaluateAsync(PutRolePolicy())).Findings);

        Assert.Equal(FindingOutcome.Exempt, decision.Outcome);
    }

    [Fact]
    public async Task Tags_sent_with_the_creating_call_exempt_when_the_port_knows_none()
    {
        var e = Event("""
            {"eventSource": "iam.amazonaws.com", "eventName": "CreateRole", "eventID": "e-3",
             "requestParameters": {"roleName": "app", "tags": [{"key": "remediator:exempt", "value": "yes"}]}}
            """);

        var decision = Assert.Single((await NewEngine(Rule(new FindsOne())).EvaluateAsync(e)).Findings);

        Assert.Equal(FindingOutcome.Exempt, decision.Outcome);
    }

    [Fact]
    public async Task A_resource_changed_moments_ago_is_only_notified()
    {
        var engine = NewEngine(Rule(new FindsOne()), new GuardOptions { CoolDown = TimeSpan.FromMinutes(5) });

        await engine.EvaluateAsync(PutRolePolicy(eventId: "a", time: "2026-11-01T10:00:00Z"));
        var second = Assert.Single((await engine.EvaluateAsync(PutRolePolicy(eventId: "b", time: "2026-11-01T10:01:00Z"))).Findings);
        var later = Assert.Single((await engine.EvaluateAsync(PutRolePolicy(eventId: "c", time: "2026-11-01T10:07:00Z"))).Findings);

        Assert.Equal(FindingOutcome.NotifyOnly, second.Outcome);
        Assert.StartsWith("cooling down", second.Reason, StringComparison.Ordinal);
        Assert.Equal(["notify:slack"], second.PlannedActions.Select(a => a.Operation));
        Assert.Equal(FindingOutcome.Planned, later.Outcome);
    }

    [Fact]
    public async Task The_circuit_opens_after_the_maximum_changes_per_hour()
    {
        var engine = NewEngine(Rule(new FindsOne()), new GuardOptions { MaxChangesPerResource = 2, CoolDown = TimeSpan.Zero });

        var outcomes = new List<FindingOutcome>();
        for (var minute = 0; minute < 4; minute++)
        {
            var e = PutRolePolicy(eventId: $"e{minute}", time: $"2026-11-01T10:{minute * 10:00}:00Z");
            outcomes.Add(Assert.Single((await engine.EvaluateAsync(e)).Findings).Outcome);
        }

        Assert.Equal([FindingOutcome.Planned, FindingOutcome.Planned, FindingOutcome.NotifyOnly, FindingOutcome.NotifyOnly], outcomes);
    }

    [Fact]
    public async Task Dry_run_rules_plan_but_do_not_count_as_changes()
    {
        var history = new InMemoryRemediationHistory();
        var engine = NewEngine(Rule(new FindsOne(), mode: RuleMode.DryRun), history: history);

        var decision = Assert.Single((await engine.EvaluateAsync(PutRolePolicy())).Findings);

        Assert.Equal(RuleMode.DryRun, decision.Mode);
        Assert.Contains(decision.PlannedActions, a => a.Operation == "iam:DeleteRolePolicy");
        Assert.Empty(await history.ChangesSinceAsync("arn:aws:iam::111122223333:role/app", DateTimeOffset.MinValue, default));
    }

    [Fact]
    public async Task Mode_override_and_notify_only_switch_apply_to_every_rule()
    {
        var overridden = NewEngine(Rule(new FindsOne(), mode: RuleMode.DryRun), new GuardOptions { ModeOverride = RuleMode.Enforce });
        var notifyOnly = NewEngine(Rule(new FindsOne()), new GuardOptions { NotifyOnly = true });

        Assert.Equal(RuleMode.Enforce, Assert.Single((await overridden.EvaluateAsync(PutRolePolicy())).Findings).Mode);
        var quiet = Assert.Single((await notifyOnly.EvaluateAsync(PutRolePolicy())).Findings);
        Assert.Equal(FindingOutcome.NotifyOnly, quiet.Outcome);
        Assert.Equal(["notify:slack"], quiet.PlannedActions.Select(a => a.Operation));
    }

    [Fact]
    public async Task A_failing_detector_is_reported_and_does_not_stop_the_engine()
    {
        var evaluation = await NewEngine(Rule(new Throws())).EvaluateAsync(PutRolePolicy());

        Assert.Contains("boom", evaluation.Rules[0].Error, StringComparison.Ordinal);
        Assert.Empty(evaluation.Findings);
    }

    [Fact]
    public void Nonsensical_guard_options_are_rejected_at_load()
    {
        Assert.Throws<ArgumentException>(() => new GuardOptions { MaxChangesPerResource = 0 }.Validated());
        Assert.Throws<ArgumentException>(() => new GuardOptions { OwnPrincipals = [" "] }.Validated());
        Assert.Throws<ArgumentException>(() => new GuardOptions { ExemptionTag = "" }.Validated());
    }

    [Fact]
    public async Task Findings_that_share_a_revert_plan_it_once()
    {
        var evaluation = await NewEngine(Rule(new FindsTwoWithOneRevert())).EvaluateAsync(PutRolePolicy());

        var operations = evaluation.Findings.SelectMany(d => d.PlannedActions).Select(a => a.Operation).ToList();
        Assert.Equal(2, evaluation.Findings.Count());
        Assert.Single(operations, o => o == "iam:DeleteRolePolicy");
        Assert.Equal(2, operations.Count(o => o == "notify:slack"));
    }

    [Fact]
    public async Task The_guards_organization_reaches_the_detectors()
    {
        var detector = new FindsOne();
        await NewEngine(Rule(detector), new GuardOptions { OrganizationId = "o-a1b2c3d4e5" }).EvaluateAsync(PutRolePolicy());

        Assert.Equal("o-a1b2c3d4e5", detector.LastOrganizationId);
        Assert.Throws<ArgumentException>(() => new GuardOptions { OrganizationId = "acme" }.Validated());
    }

    [Fact]
    public void Recent_keys_remember_at_least_their_capacity_and_forget_older_ones()
    {
        var keys = new RecentKeys<string>(capacity: 2);

        Assert.True(keys.Add("a"));
        Assert.False(keys.Add("a"));
        Assert.True(keys.Add("b"));
        Assert.True(keys.Add("c"));   // a and b move to the older generation
        Assert.False(keys.Add("a"));
        Assert.True(keys.Add("d"));
        Assert.True(keys.Add("e"));   // c and d now older; a and b forgotten
        Assert.True(keys.Add("a"));
    }

    [Theory]
    [InlineData("lambda.amazonaws.com", "CreateFunction20150331", null, true)]
    [InlineData("lambda.amazonaws.com", "CreateFunction20150331", "AccessDenied", false)]
    [InlineData("lambda.amazonaws.com", "GetFunction", null, false)]
    [InlineData("iam.amazonaws.com", "CreateFunction20150331", null, false)]
    public void A_detector_looks_only_at_successful_calls_to_its_operations(string source, string name, string? error, bool expected)
    {
        var errorMember = error is null ? "" : $", \"errorCode\": \"{error}\"";
        var e = Event($"{{\"eventSource\": \"{source}\", \"eventName\": \"{name}\"{errorMember}}}");

        Assert.Equal(expected, e.IsSuccessfulCallTo("lambda.amazonaws.com", "CreateFunction", "UpdateFunctionConfiguration"));
        Assert.Equal(expected || (source == "lambda.amazonaws.com" && error is null), e.IsSuccessfulCallTo("lambda.amazonaws.com"));
    }
}
