using System.Text.Json;
using Remediator.Core;
using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Ports;
using Remediator.Core.Remediation;

namespace Remediator.Detectors.Iam;

/// <summary>
/// <c>iam-broad-policy</c>: judges the policy an IAM event put in force (inline, managed, attached, or a trust policy)
/// and reports overly broad grants with the exact revert where one exists.
/// <para>
/// CreatePolicyVersion is judged whether or not it becomes the default: a broad version not yet in force is one
/// SetDefaultPolicyVersion away, and is reported (as CreatePolicy is) so that it is noticed; only a version set as
/// default gets a revert step. Attachments and SetDefaultPolicyVersion are judged on the policy's CURRENT default
/// version, read through <see cref="IIamStatePort"/>, because the event names the policy but not its content.
/// </para>
/// </summary>
public sealed class IamBroadPolicyDetector : IDetector
{
    public const string DetectorName = "iam-broad-policy";

    public const string Description =
        "Overly broad IAM grants in inline, managed, attached and trust policies: wildcards, NotAction/NotResource/NotPrincipal, " +
        "privilege escalation on '*', public or untrusted cross-account trust, and attaching AdministratorAccess, PowerUserAccess or IAMFullAccess.";

    private const string IamEventSource = "iam.amazonaws.com";

    /// <summary>AWS-managed policies that are broad by their name alone (the managed-policy check).</summary>
    private static readonly string[] BroadAwsManagedPolicyNames = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

    public async ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        if (!e.IsSuccessfulCallTo(IamEventSource))
        {
            return [];
        }

        var options = context.OptionsAs<IamBroadPolicyOptions>();
        options = options.OrganizationId is null && context.OrganizationId is not null ? options with { OrganizationId = context.OrganizationId } : options;
        var port = context.State.Iam;
        return e.OperationName switch
        {
            "PutRolePolicy" => await InlinePolicyAsync(context, options, port, IamPrincipalKind.Role, cancellationToken).ConfigureAwait(false),
            "PutUserPolicy" => await InlinePolicyAsync(context, options, port, IamPrincipalKind.User, cancellationToken).ConfigureAwait(false),
            "PutGroupPolicy" => await InlinePolicyAsync(context, options, port, IamPrincipalKind.Group, cancellationToken).ConfigureAwait(false),
            "AttachRolePolicy" => await AttachAsync(context, options, port, IamPrincipalKind.Role, cancellationToken).ConfigureAwait(false),
            "AttachUserPolicy" => await AttachAsync(context, options, port, IamPrincipalKind.User, cancellationToken).ConfigureAwait(false),
            "AttachGroupPolicy" => await AttachAsync(context, options, port, IamPrincipalKind.Group, cancellationToken).ConfigureAwait(false),
            "CreatePolicy" => CreatePolicy(context, options),
            "CreatePolicyVersion" => await CreatePolicyVersionAsync(context, options, port, cancellationToken).ConfigureAwait(false),
            "SetDefaultPolicyVersion" => await SetDefaultPolicyVersionAsync(context, options, port, cancellationToken).ConfigureAwait(false),
            "CreateRole" => await CreateRoleAsync(context, options, port, cancellationToken).ConfigureAwait(false),
            "UpdateAssumeRolePolicy" => await UpdateAssumeRolePolicyAsync(context, options, port, cancellationToken).ConfigureAwait(false),
            _ => [],
        };
    }

    private static async ValueTask<IReadOnlyList<Finding>> InlinePolicyAsync(
        DetectionContext context, IamBroadPolicyOptions options, IIamStatePort port, IamPrincipalKind kind, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var request = e.RequestParameters;
        var principalName = JsonText.String(request, PrincipalNameParameter(kind));
        var policyName = JsonText.String(request, "policyName");
        var target = IamTarget.Principal(e, kind, principalName);
        var notes = new List<string>();
        var document = EventPolicyDocuments.FromRequest(e, "policyDocument");
        if (document is null)
        {
            // CloudTrail omits oversized or redacted parameters: read what is in force now, never treat it as clean.
            var current = principalName is null || policyName is null
                ? null
                : await port.GetInlinePolicyAsync(kind, principalName, policyName, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return NotJudged(context, options, target, $"Inline policy '{policyName ?? IamTarget.UnknownName}' of {target.Description}");
            }

            document = PolicyDocument.FromText(current);
            notes.Add("judged: the document as read now (the event does not carry it)");
        }

        var verdicts = new List<PolicyVerdict>();
        var primary = new PolicySource($"inline policy '{policyName ?? IamTarget.UnknownName}' of {target.Description}", document);
        var others = await OtherPoliciesAsync(options, port, kind, principalName, policyName, null, notes, cancellationToken).ConfigureAwait(false);
        PermissionsPolicyJudge.Judge(primary, others, options, verdicts);
        if (verdicts.Count == 0)
        {
            return [];
        }

        IReadOnlyList<PlannedAction> revert = [];
        if (principalName is not null && policyName is not null)
        {
            var previous = await port.GetPreviousInlinePolicyAsync(kind, principalName, policyName, e.EventTime, cancellationToken).ConfigureAwait(false);
            revert = [IamRevertSteps.InlinePolicy(kind, principalName, policyName, target.Resource, document.Text, previous)];
        }
        else
        {
            notes.Add("no revert: the event does not name the principal or the policy");
        }

        return ToFindings(context, target, $"Inline policy '{policyName ?? IamTarget.UnknownName}' of {target.Description}", verdicts, revert, notes);
    }

    private static async ValueTask<IReadOnlyList<Finding>> AttachAsync(
        DetectionContext context, IamBroadPolicyOptions options, IIamStatePort port, IamPrincipalKind kind, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var request = e.RequestParameters;
        var policyArn = JsonText.String(request, "policyArn");
        if (policyArn is null || options.IsIgnoredPolicy(policyArn))
        {
            return [];
        }

        var verdicts = new List<PolicyVerdict>();
        var broadName = BroadAwsManagedPolicyName(policyArn);
        if (broadName is not null && options.IsEnabled(IamChecks.ManagedPolicy))
        {
            verdicts.Add(new PolicyVerdict(IamChecks.ManagedPolicy, -1, Lowered: false,
                $"is the AWS-managed {broadName}, one of the broadest policies AWS offers",
                [$"matched: {policyArn}", $"why: {broadName} is broad by design and is what attackers and shortcuts attach first"]));
        }

        var notes = new List<string>();
        var principalName = JsonText.String(request, PrincipalNameParameter(kind));
        var current = await port.GetPolicyDefaultVersionAsync(policyArn, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            var primary = new PolicySource($"managed policy {policyArn} ({current.VersionId})", PolicyDocument.FromText(current.Document));
            var others = await OtherPoliciesAsync(options, port, kind, principalName, null, policyArn, notes, cancellationToken).ConfigureAwait(false);
            PermissionsPolicyJudge.Judge(primary, others, options, verdicts);
            notes.Add($"judged: default version {current.VersionId} of {policyArn}, as read now");
        }
        else
        {
            notes.Add($"the current document of {policyArn} could not be read; judged by its name alone");
        }

        if (verdicts.Count == 0)
        {
            return [];
        }

        var target = IamTarget.Principal(e, kind, principalName);
        IReadOnlyList<PlannedAction> revert = principalName is null ? [] : [IamRevertSteps.Detach(kind, principalName, policyArn, target.Resource)];
        return ToFindings(context, target, $"Managed policy '{policyArn}' attached to {target.Description}", verdicts, revert, notes);
    }

    private static List<Finding> CreatePolicy(DetectionContext context, IamBroadPolicyOptions options)
    {
        var e = context.Event;
        var request = e.RequestParameters;
        var document = EventPolicyDocuments.FromRequest(e, "policyDocument");
        var policyName = JsonText.String(request, "policyName");
        var policyArn = JsonText.String(JsonText.Member(e.ResponseElements, "policy"), "arn")
            ?? (policyName is null ? IamTarget.UnknownName : IamTarget.Arn(e, "policy", JsonText.String(request, "path"), policyName));
        if (options.IsIgnoredPolicy(policyArn))
        {
            return [];
        }

        if (document is null)
        {
            return NotJudged(context, options, IamTarget.ManagedPolicy(policyArn), $"New managed policy '{policyArn}'");
        }

        var verdicts = new List<PolicyVerdict>();
        PermissionsPolicyJudge.Judge(document, options, verdicts);
        return ToFindings(context, IamTarget.ManagedPolicy(policyArn), $"New managed policy '{policyArn}'", verdicts, [],
            ["no revert: a new managed policy grants nothing until it is attached (the attachment is judged then); reported so it is noticed"]);
    }

    private static async ValueTask<IReadOnlyList<Finding>> CreatePolicyVersionAsync(
        DetectionContext context, IamBroadPolicyOptions options, IIamStatePort port, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var request = e.RequestParameters;
        var policyArn = JsonText.String(request, "policyArn");
        var document = EventPolicyDocuments.FromRequest(e, "policyDocument");
        if (policyArn is null || options.IsIgnoredPolicy(policyArn))
        {
            return [];
        }

        if (document is null)
        {
            return NotJudged(context, options, IamTarget.ManagedPolicy(policyArn), $"New version of managed policy '{policyArn}'");
        }

        var verdicts = new List<PolicyVerdict>();
        PermissionsPolicyJudge.Judge(document, options, verdicts);
        if (verdicts.Count == 0)
        {
            return [];
        }

        var version = JsonText.Member(e.ResponseElements, "policyVersion");
        var versionId = JsonText.String(version, "versionId");
        var isDefault = IsTrue(JsonText.Member(request, "setAsDefault")) || IsTrue(JsonText.Member(version, "isDefaultVersion"));
        var notes = new List<string>();
        IReadOnlyList<PlannedAction> revert = [];
        if (isDefault)
        {
            var previous = await port.GetPreviousDefaultVersionIdAsync(policyArn, e.EventTime, cancellationToken).ConfigureAwait(false);
            if (previous is not null && previous != versionId)
            {
                revert = [IamRevertSteps.SetDefaultVersion(policyArn, previous, versionId)];
            }
            else
            {
                notes.Add("no revert: the version that was the default before this one is unknown");
            }
        }
        else
        {
            notes.Add("no revert: this version is not the default, so it grants nothing until SetDefaultPolicyVersion (judged then)");
        }

        var subject = $"Version {versionId ?? "(new)"} of managed policy '{policyArn}'" + (isDefault ? " (now the default)" : " (not the default)");
        return ToFindings(context, IamTarget.ManagedPolicy(policyArn), subject, verdicts, revert, notes);
    }

    private static async ValueTask<IReadOnlyList<Finding>> SetDefaultPolicyVersionAsync(
        DetectionContext context, IamBroadPolicyOptions options, IIamStatePort port, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var request = e.RequestParameters;
        var policyArn = JsonText.String(request, "policyArn");
        if (policyArn is null || options.IsIgnoredPolicy(policyArn))
        {
            return [];
        }

        // The event names the version, not its content: read what is the default now.
        var current = await port.GetPolicyDefaultVersionAsync(policyArn, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return [];
        }

        var verdicts = new List<PolicyVerdict>();
        PermissionsPolicyJudge.Judge(PolicyDocument.FromText(current.Document), options, verdicts);
        if (verdicts.Count == 0)
        {
            return [];
        }

        var setVersion = JsonText.String(request, "versionId");
        var notes = new List<string> { $"judged: default version {current.VersionId} of {policyArn}, as read now" };
        if (setVersion is not null && setVersion != current.VersionId)
        {
            notes.Add($"the event made {setVersion} the default; the default has changed since to {current.VersionId}");
        }

        IReadOnlyList<PlannedAction> revert = [];
        var previous = await port.GetPreviousDefaultVersionIdAsync(policyArn, e.EventTime, cancellationToken).ConfigureAwait(false);
        if (previous is not null && previous != current.VersionId)
        {
            revert = [IamRevertSteps.SetDefaultVersion(policyArn, previous, current.VersionId)];
        }
        else
        {
            notes.Add("no revert: the version that was the default before this one is unknown");
        }

        return ToFindings(context, IamTarget.ManagedPolicy(policyArn), $"Default version {current.VersionId} of managed policy '{policyArn}'",
            verdicts, revert, notes);
    }

    private static async ValueTask<IReadOnlyList<Finding>> CreateRoleAsync(
        DetectionContext context, IamBroadPolicyOptions options, IIamStatePort port, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var request = e.RequestParameters;
        var role = JsonText.Member(e.ResponseElements, "role");
        var fromRequest = JsonText.Member(request, "assumeRolePolicyDocument");
        // The request holds the document as sent (plain JSON); the response's copy is URL-encoded: use it only as a fallback.
        var fromEvent = EventPolicyDocuments.Read(
            e, "assumeRolePolicyDocument", fromRequest.ValueKind != JsonValueKind.Undefined ? fromRequest : JsonText.Member(role, "assumeRolePolicyDocument"));
        var roleArn = JsonText.String(role, "arn");
        var roleName = JsonText.String(request, "roleName") ?? JsonText.String(role, "roleName");
        var target = IamTarget.Principal(e, IamPrincipalKind.Role, roleName, roleArn, JsonText.String(request, "path"));
        var notes = new List<string>();
        var document = await TrustDocumentAsync(fromEvent, port, roleName, notes, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return TrustNotJudged(context, options, target, $"Trust policy of new {target.Description}");
        }

        var verdicts = new List<PolicyVerdict>();
        TrustPolicyJudge.Judge(document, options, IamTarget.AccountOf(e, roleArn), verdicts);
        if (verdicts.Count == 0)
        {
            return [];
        }

        notes.Add("no revert: the only inverse of CreateRole is deleting the role, which the guard never does");
        return ToFindings(context, target, $"Trust policy of new {target.Description}", verdicts, [], notes);
    }

    private static async ValueTask<IReadOnlyList<Finding>> UpdateAssumeRolePolicyAsync(
        DetectionContext context, IamBroadPolicyOptions options, IIamStatePort port, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var request = e.RequestParameters;
        var roleName = JsonText.String(request, "roleName");
        var target = IamTarget.Principal(e, IamPrincipalKind.Role, roleName);
        var notes = new List<string>();
        var document = await TrustDocumentAsync(
            EventPolicyDocuments.FromRequest(e, "policyDocument"), port, roleName, notes, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return TrustNotJudged(context, options, target, $"Trust policy of {target.Description}");
        }

        var verdicts = new List<PolicyVerdict>();
        TrustPolicyJudge.Judge(document, options, IamTarget.AccountOf(e, null), verdicts);
        if (verdicts.Count == 0)
        {
            return [];
        }

        IReadOnlyList<PlannedAction> revert = [];
        var previous = roleName is null
            ? null
            : await port.GetPreviousAssumeRolePolicyAsync(roleName, e.EventTime, cancellationToken).ConfigureAwait(false);
        if (roleName is not null && previous is not null)
        {
            revert = [IamRevertSteps.RestoreTrustPolicy(roleName, target.Resource, previous)];
        }
        else
        {
            notes.Add(roleName is null
                ? "no revert: the event does not name the role"
                : "no revert: the previous trust policy is unknown");
        }

        return ToFindings(context, target, $"Trust policy of {target.Description}", verdicts, revert, notes);
    }

    /// <summary>
    /// The trust policy to judge: the event's, else (CloudTrail omits oversized request parameters) the role's current
    /// one from GetRole, said so in the notes; null when neither is available (offline, or the role is gone).
    /// </summary>
    private static async ValueTask<PolicyDocument?> TrustDocumentAsync(
        PolicyDocument? fromEvent, IIamStatePort port, string? roleName, List<string> notes, CancellationToken cancellationToken)
    {
        if (fromEvent is not null)
        {
            return fromEvent;
        }

        var current = roleName is null ? null : await port.GetAssumeRolePolicyAsync(roleName, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return null;
        }

        notes.Add("judged: the trust policy as read now (GetRole; the event does not carry it)");
        return PolicyDocument.FromText(current);
    }

    /// <summary>
    /// A trust change whose document is neither in the event nor readable now. Reported by the rule that judges public
    /// trust (or one asking for <c>unparseable-document</c>), so that the two shipped trust rules do not both report
    /// one missing document.
    /// </summary>
    private static List<Finding> TrustNotJudged(DetectionContext context, IamBroadPolicyOptions options, IamTarget target, string subject) =>
        options.IsEnabled(IamChecks.PublicTrust) || options.IsEnabled(IamChecks.UnparseableDocument)
            ? NotJudgedFinding(context, target, subject)
            : [];

    private static List<Finding> ToFindings(
        DetectionContext context, IamTarget target, string subject, List<PolicyVerdict> verdicts,
        IReadOnlyList<PlannedAction> revert, IReadOnlyList<string> notes)
    {
        // Document-level verdicts first, then statement by statement, checks in IamChecks.All order.
        var ordered = verdicts
            .Select((verdict, position) => (verdict, position))
            .OrderBy(x => x.verdict.StatementIndex)
            .ThenBy(x => IamChecks.OrderOf(x.verdict.Check))
            .ThenBy(x => x.position);
        var findings = new List<Finding>(verdicts.Count);
        foreach (var (verdict, _) in ordered)
        {
            var severity = verdict.Lowered ? context.RuleSeverity.Lowered() : context.RuleSeverity;
            if (verdict.SeverityCap is { } cap && cap < severity)
            {
                severity = cap;
            }

            findings.Add(new Finding(
                context.RuleId,
                Concerns.IamBroadPermissions,
                target.Resource,
                target.ResourceType,
                severity,
                verdict.Check,
                $"{subject} {verdict.Summary}.",
                [.. verdict.Evidence, .. notes, .. verdict.Confident || revert.Count == 0 ? [] : NoRevertOnUncertainty])
            {
                // A plan never deletes or rewrites on a verdict that rests on something uncertain.
                RevertSteps = verdict.Confident ? revert : [],
                IsNotice = !verdict.Confident,
            });
        }

        return findings;
    }

    /// <summary>
    /// The principal's other policies for the escalation judgement (only when that check runs: other checks judge the
    /// changed document alone, and should not pay for reads). Notes say what was read, what it cost, what could not be.
    /// </summary>
    private static async ValueTask<IReadOnlyList<PolicySource>> OtherPoliciesAsync(
        IamBroadPolicyOptions options, IIamStatePort port, IamPrincipalKind kind, string? principalName,
        string? changedInline, string? changedAttached, List<string> notes, CancellationToken cancellationToken)
    {
        if (!options.IsEnabled(IamChecks.PrivilegeEscalation) || principalName is null)
        {
            return [];
        }

        var read = await PrincipalPolicyReader.ReadOthersAsync(port, kind, principalName, changedInline, changedAttached, cancellationToken)
            .ConfigureAwait(false);
        notes.AddRange(read.Notes);
        return read.Others;
    }

    /// <summary>A successful change whose document is neither in the event nor readable now: said so, never clean.</summary>
    private static List<Finding> NotJudged(DetectionContext context, IamBroadPolicyOptions options, IamTarget target, string subject) =>
        options.IsEnabled(IamChecks.UnparseableDocument) ? NotJudgedFinding(context, target, subject) : [];

    private static List<Finding> NotJudgedFinding(DetectionContext context, IamTarget target, string subject)
    {
        var verdict = new PolicyVerdict(IamChecks.UnparseableDocument, -1, Lowered: true,
            "was not judged: the document is not in the event and could not be read from current state",
            ["why: CloudTrail omits oversized or redacted request parameters; offline there is no current state to read",
             "not judged: document not in the event"])
        {
            SeverityCap = Severity.Low,
            Confident = false,
        };
        return ToFindings(context, target, subject, [verdict], [], []);
    }

    private static readonly string[] NoRevertOnUncertainty =
        ["no revert: this verdict rests on a condition or grant the guard cannot settle, so it is reported, not undone"];

    private static string PrincipalNameParameter(IamPrincipalKind kind) =>
        kind switch
        {
            IamPrincipalKind.Role => "roleName",
            IamPrincipalKind.User => "userName",
            _ => "groupName",
        };

    /// <summary>The name of an AWS-managed policy (<c>arn:PARTITION:iam::aws:policy/...</c>) that is broad by design; else null.</summary>
    private static string? BroadAwsManagedPolicyName(string policyArn)
    {
        var parts = policyArn.Split(':');
        if (parts.Length != 6 || parts[2] != "iam" || parts[4] != "aws")
        {
            return null;
        }

        var name = parts[5][(parts[5].LastIndexOf('/') + 1)..];
        return BroadAwsManagedPolicyNames.FirstOrDefault(n => string.Equals(n, name, StringComparison.Ordinal));
    }

    private static bool IsTrue(JsonElement value) =>
        value.ValueKind == JsonValueKind.True
        || (value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase));
}
