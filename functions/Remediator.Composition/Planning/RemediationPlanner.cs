using System.Globalization;
using System.Text.Json.Nodes;
using Remediator.Core;
using Remediator.Core.Detection;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Registry;
using Remediator.Core.Remediation;
using Remediator.Core.Rules;
using Remediator.Detectors.Actions;
using Remediator.Operations;

namespace Remediator.Composition.Planning;

/// <summary>
/// Turns a rule's <c>remediate</c> list into concrete steps for one finding, in the rule's order:
/// revert → the detector's exact inverse (IAM principals without one are quarantined instead);
/// quarantine → deny-all policy or permissions boundary; tag → the resource type's tagging call;
/// notify → a notification intent that says what the other steps do. A notice (<see cref="Finding.IsNotice"/>) gets
/// tag and notify only: neither its revert nor any containment is planned.
/// </summary>
public sealed class RemediationPlanner : IRemediationPlanner
{
    private static readonly QuarantineOptions DefaultQuarantine = QuarantineOptions.Bind(OptionValues.Defaults(QuarantineOptions.Specs));

    public IReadOnlyList<PlannedAction> Plan(Rule rule, Finding finding, CloudTrailEvent cloudTrailEvent, bool notifyOnly)
    {
        var changes = notifyOnly ? [] : ChangeSteps(rule, finding, cloudTrailEvent);
        var plan = new List<PlannedAction>();
        foreach (var use in rule.Remediate)
        {
            if (use.Options is NotifyOptions notify)
            {
                if (notify.ShouldSend(finding.Severity))
                {
                    plan.Add(Notification(notify, rule, finding, cloudTrailEvent, changes));
                }
            }
            else
            {
                plan.AddRange(changes.Where(step => step.Use == use).Select(step => step.Action));
            }
        }

        return plan;
    }

    private static List<(ActionUse Use, PlannedAction Action)> ChangeSteps(Rule rule, Finding finding, CloudTrailEvent e)
    {
        var steps = new List<(ActionUse, PlannedAction)>();
        var quarantined = false;
        foreach (var use in rule.Remediate)
        {
            switch (use.Options)
            {
                case RevertOptions or QuarantineOptions when finding.IsNotice:
                    // Without this the revert's fallback would contain the principal on a verdict the detector itself
                    // would not act on.
                    break;
                case RevertOptions when finding.RevertSteps.Count > 0:
                    foreach (var revert in finding.RevertSteps)
                    {
                        if (!GuardActsAlone(rule) || !PutsDocumentBack(revert))
                        {
                            steps.Add((use, revert));
                        }
                        else if (!quarantined && ContainmentInsteadOf(revert, finding) is { } containment)
                        {
                            // The always-on guard may only narrow access: it contains, and a person writes the document
                            // (approve mode, or the CLI) under the approval worker's role.
                            steps.Add((use, containment));
                            quarantined = true;
                        }
                    }

                    break;
                case RevertOptions when !quarantined && !rule.Remediate.Any(u => u.Options is QuarantineOptions):
                    // No exact inverse: contain an IAM principal reversibly rather than leave the grant in place.
                    if (QuarantineCalls.For(finding.Resource, DefaultQuarantine) is { } fallback)
                    {
                        steps.Add((use, fallback));
                        quarantined = true;
                    }

                    break;
                case QuarantineOptions quarantine when !quarantined:
                    if (QuarantineCalls.For(finding.Resource, quarantine) is { } step)
                    {
                        steps.Add((use, step));
                        quarantined = true;
                    }

                    break;
                case TagOptions tag:
                    var value = TagValueTemplate.Render(tag.Value, TemplateValues(rule, finding, e));
                    if (TaggingCalls.For(finding.ResourceType, finding.Resource, tag.Key, value) is { } tagging)
                    {
                        steps.Add((use, tagging));
                    }

                    break;
            }
        }

        return steps;
    }

    /// <summary>
    /// The operations that write a whole access document (<see cref="Core.Operations.RemediationOperation.WritesDocument"/>):
    /// they can widen access as easily as narrow it, so the always-on guards' roles do not hold them (the approval
    /// worker's does).
    /// </summary>
    public static IReadOnlySet<string> DocumentPuts { get; } =
        OperationCatalogue.All.Where(o => o.WritesDocument).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

    public static bool PutsDocumentBack(PlannedAction step) => DocumentPuts.Contains(step.Operation);

    /// <summary>
    /// The narrowing step a guard takes instead of a document write: the bus made private, or the IAM principal
    /// quarantined (deny-all). Null when the resource cannot be contained (the revert is then left to a person).
    /// </summary>
    private static PlannedAction? ContainmentInsteadOf(PlannedAction revert, Finding finding)
    {
        if (revert.Operation == OperationCatalogue.PutPermission.Name)
        {
            return OperationCatalogue.PutPermission.Containment(revert);
        }

        return QuarantineCalls.For(finding.Resource, DefaultQuarantine) is { } quarantine
            ? quarantine with { Description = quarantine.Description + $" (instead of: {revert.Description} — that re-puts a document, which only the approval worker may do after a person decides)" }
            : null;
    }

    /// <summary>True when the guard itself carries the plan out (enforce, or approve with contain); false when a person approves it first.</summary>
    private static bool GuardActsAlone(Rule rule) => rule.Mode != RuleMode.Approve || rule.Approval?.Contain == true;

    private static Dictionary<string, string> TemplateValues(Rule rule, Finding finding, CloudTrailEvent e) => new(StringComparer.Ordinal)
    {
        [TagValueTemplate.Rule] = rule.Id,
        [TagValueTemplate.EventId] = e.EventId ?? "unknown",
        [TagValueTemplate.Time] = (e.EventTime ?? DateTimeOffset.UnixEpoch).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        [TagValueTemplate.Concern] = finding.Concern,
        [TagValueTemplate.Severity] = finding.Severity.ToName(),
    };

    private static PlannedAction Notification(
        NotifyOptions notify, Rule rule, Finding finding, CloudTrailEvent e, List<(ActionUse Use, PlannedAction Action)> changes)
    {
        var done = new JsonArray();
        foreach (var (_, action) in changes)
        {
            done.Add((JsonNode)JsonValue.Create(action.Description));
        }

        var evidence = new JsonArray();
        foreach (var item in finding.Evidence)
        {
            evidence.Add((JsonNode)JsonValue.Create(item));
        }

        return PlannedAction.Notification(notify.Channel, finding.Resource,
            $"Tell {notify.Channel}: {finding.Severity.ToName()} {finding.Concern} on {finding.Resource}.",
            new JsonObject
            {
                ["channel"] = notify.Channel,
                ["rule"] = rule.Id,
                ["severity"] = finding.Severity.ToName(),
                ["summary"] = finding.Summary,
                ["actor"] = e.Identity.Arn ?? e.Identity.PrincipalArn ?? e.Identity.InvokedBy,
                ["eventId"] = e.EventId,
                ["evidence"] = evidence,
                ["actions"] = done,
            },
            notify.Channel == NotifyOptions.Sns ? ["sns:Publish"] : []);
    }
}
