using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Ports;
using Remediator.Core.Remediation;
using Remediator.Core.Rules;

namespace Remediator.Core.Engine;

/// <summary>
/// The decision pipeline shared by the CLI and every guard function:
/// rules whose pattern matches → skip (failed call, own principal, duplicate) → scope and exempt actors → detector
/// (reads current state through the ports) → exempt resources → cool-down and circuit breaker → plan.
/// No I/O of its own: everything it reads comes through the ports and the history.
/// </summary>
public sealed class RuleEngine
{
    private readonly IRuleMatcher _matcher;
    private readonly IRemediationPlanner _planner;
    private readonly ResourceStatePorts _state;
    private readonly IRemediationHistory _history;
    private readonly GuardOptions _options;
    private readonly TimeProvider _clock;
    private readonly RecentKeys<(DeliveryIdentity Delivery, string RuleId)> _seen = new(capacity: 100_000);

    public RuleEngine(
        IRuleMatcher matcher,
        IRemediationPlanner planner,
        ResourceStatePorts state,
        IRemediationHistory history,
        GuardOptions options,
        TimeProvider? clock = null)
    {
        _matcher = matcher;
        _planner = planner;
        _state = state;
        _history = history;
        _options = options.Validated();
        _clock = clock ?? TimeProvider.System;
    }

    public async ValueTask<EventEvaluation> EvaluateAsync(CloudTrailEvent cloudTrailEvent, CancellationToken cancellationToken = default)
    {
        // Matching first: an event no rule wants is neither judged nor "skipped" (EventBridge would not deliver it),
        // so replay can count such events from their bytes alone and still agree with this decision.
        var matched = _matcher.Match(cloudTrailEvent);
        if (matched.Count == 0)
        {
            return new EventEvaluation(cloudTrailEvent, null, []);
        }

        var skipped = SkipReason(cloudTrailEvent);
        if (skipped is not null)
        {
            return new EventEvaluation(cloudTrailEvent, skipped, []);
        }

        var evaluations = new List<RuleEvaluation>();
        var plannedChanges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in matched)
        {
            evaluations.Add(await EvaluateRuleAsync(rule, cloudTrailEvent, plannedChanges, cancellationToken).ConfigureAwait(false));
        }

        return new EventEvaluation(cloudTrailEvent, null, evaluations);
    }

    private string? SkipReason(CloudTrailEvent e)
    {
        if (e.IsFailedCall)
        {
            return $"failed call ({e.ErrorCode}): nothing changed";
        }

        if (WildcardPattern.MatchesAny(_options.OwnPrincipals, e.Identity.PrincipalArn)
            || WildcardPattern.MatchesAny(_options.OwnPrincipals, e.Identity.Arn))
        {
            return $"the guard's own change ({e.Identity.Arn ?? e.Identity.PrincipalArn})";
        }

        return null;
    }

    private async ValueTask<RuleEvaluation> EvaluateRuleAsync(Rule rule, CloudTrailEvent e, HashSet<string> plannedChanges, CancellationToken cancellationToken)
    {
        var mode = _options.ModeOverride ?? rule.Mode;
        var notApplied = OutOfScope(rule, e);
        if (notApplied is not null)
        {
            return new RuleEvaluation(rule, mode, notApplied, []);
        }

        // EventBridge delivers at least once: the second delivery of (event, rule) must not plan a second change.
        // Keyed on the record, not the id alone: two different records that share an id are both judged.
        if (e.DeliveryKey is { } delivery && !_seen.Add((delivery, rule.Id)))
        {
            return new RuleEvaluation(rule, mode, $"{RuleEvaluation.DuplicateDeliveryReason} of event {e.EventId}", []) { IsRepeatedDelivery = true };
        }

        IReadOnlyList<Finding> findings;
        try
        {
            var context = new DetectionContext(e, rule.Id, rule.Severity, rule.Detect.Options, _state) { OrganizationId = _options.OrganizationId };
            findings = await rule.Detect.Descriptor.Detector.DetectAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new RuleEvaluation(rule, mode, null, [], $"{rule.Detect.Descriptor.Name} failed: {ex.Message}");
        }

        var decisions = new List<FindingDecision>(findings.Count);
        foreach (var finding in findings)
        {
            decisions.Add(await DecideAsync(rule, mode, finding, e, plannedChanges, cancellationToken).ConfigureAwait(false));
        }

        return new RuleEvaluation(rule, mode, null, decisions);
    }

    private static string? OutOfScope(Rule rule, CloudTrailEvent e)
    {
        var exempt = rule.Exempt;
        if (exempt.Accounts.Count > 0 && !exempt.Accounts.Contains(e.RecipientAccountId ?? string.Empty, StringComparer.Ordinal))
        {
            return $"account {e.RecipientAccountId ?? "(unknown)"} is outside the rule's accounts";
        }

        if (exempt.Regions.Count > 0 && !exempt.Regions.Contains(e.AwsRegion ?? string.Empty, StringComparer.Ordinal))
        {
            return $"region {e.AwsRegion ?? "(unknown)"} is outside the rule's regions";
        }

        if (WildcardPattern.MatchesAny(exempt.Principals, e.Identity.PrincipalArn) || WildcardPattern.MatchesAny(exempt.Principals, e.Identity.Arn))
        {
            return $"actor {e.Identity.Arn ?? e.Identity.PrincipalArn} is exempt";
        }

        return null;
    }

    private async ValueTask<FindingDecision> DecideAsync(
        Rule rule, RuleMode mode, Finding finding, CloudTrailEvent e, HashSet<string> plannedChanges, CancellationToken cancellationToken)
    {
        var exemption = await ExemptionAsync(rule, finding, e, cancellationToken).ConfigureAwait(false);
        if (exemption is not null)
        {
            return new FindingDecision(finding, mode, FindingOutcome.Exempt, exemption, []);
        }

        var now = e.EventTime ?? _clock.GetUtcNow();
        string? notifyOnlyReason = _options.NotifyOnly ? "the guard is in notify-only mode" : null;
        notifyOnlyReason ??= await BrakeAsync(finding.Resource, now, cancellationToken).ConfigureAwait(false);

        // Several findings on one event (one per offending statement) share the same revert: plan each change once.
        var plan = _planner.Plan(rule, finding, e, notifyOnly: notifyOnlyReason is not null)
            .Where(step => step.Action == Registry.ActionNames.Notify || plannedChanges.Add(ChangeKey(step)))
            .ToList();
        var actsNow = mode == RuleMode.Enforce || (mode == RuleMode.Approve && rule.Approval?.Contain == true);
        if (notifyOnlyReason is null && actsNow && plan.Any(ChangesResource))
        {
            await _history.RecordChangeAsync(finding.Resource, now, cancellationToken).ConfigureAwait(false);
        }

        return new FindingDecision(
            finding,
            mode,
            notifyOnlyReason is null ? FindingOutcome.Planned : FindingOutcome.NotifyOnly,
            notifyOnlyReason,
            plan);
    }

    private static string ChangeKey(PlannedAction step) =>
        string.Join('\n', step.Operation, step.Resource, step.Parameters.ToJsonString());

    private static bool ChangesResource(PlannedAction action) =>
        action.Action is Registry.ActionNames.Revert or Registry.ActionNames.Quarantine;

    /// <summary>Cool-down, then circuit breaker: the guard never fights a deployment pipeline forever.</summary>
    private async ValueTask<string?> BrakeAsync(string resource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recent = await _history.ChangesSinceAsync(resource, now - _options.CircuitWindow, cancellationToken).ConfigureAwait(false);
        if (recent.Count >= _options.MaxChangesPerResource)
        {
            return $"circuit open: {recent.Count} automatic changes to this resource within {_options.CircuitWindow.TotalMinutes:0} min";
        }

        var last = recent.Count == 0 ? (DateTimeOffset?)null : recent.Max();
        if (last is not null && now - last.Value < _options.CoolDown)
        {
            return $"cooling down: changed {(now - last.Value).TotalSeconds:0} s ago";
        }

        return null;
    }

    private async ValueTask<string?> ExemptionAsync(Rule rule, Finding finding, CloudTrailEvent e, CancellationToken cancellationToken)
    {
        if (WildcardPattern.MatchesAny(rule.Exempt.Resources, finding.Resource))
        {
            return "resource is exempt by the rule";
        }

        if (rule.Exempt.GuardRoles && _options.GuardRoles.Owns(finding.Resource))
        {
            return "resource is one of the guard's own roles (exact identity, not a name pattern)";
        }

        var tags = await _state.Tags.GetTagsAsync(finding.Resource, finding.ResourceType, cancellationToken).ConfigureAwait(false)
            ?? ResourceTags.FromRequest(e);
        var now = _clock.GetUtcNow();
        foreach (var key in new[] { rule.Exempt.Tag, _options.ExemptionTag })
        {
            if (key is not null && tags.TryGetValue(key, out var value))
            {
                var holds = ResourceTags.ExemptionHolds(value, now, out var reason);
                if (holds)
                {
                    return $"{reason} ({key})";
                }
            }
        }

        return null;
    }
}
