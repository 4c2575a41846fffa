using Remediator.Approvals.Http;
using Remediator.Approvals.Queue;
using Remediator.Approvals.Slack;
using Remediator.Core.Approvals;

namespace Remediator.Approvals;

/// <summary>What the endpoint did with one request, for the log line (never the body, a header or the secret).</summary>
public sealed record EndpointResult(HttpApiResponse Response, string Outcome, string? DecisionId = null);

/// <summary>
/// <c>POST /slack/actions</c>: everything that must happen inside Slack's 3-second limit and nothing more. Verify the
/// signature (before reading anything else of the body), parse the interaction, authorise the user and write the
/// decision exactly once (<see cref="DecisionService.BeginAsync"/>), enqueue the work, answer 200. The worker does the rest.
/// Two interactions: a button click (<c>block_actions</c>) and the submitted Deny dialog (<c>view_submission</c>). With a
/// bot token, Deny opens the dialog (<c>views.open</c>, bounded by a short timeout) and the submission records the
/// reason; without one, Deny records that no reason could be asked for.
/// Answers say no more than the class of the problem: 401 signature or timestamp, 403 not an approver (or a group
/// approver that cannot be resolved), 400 malformed or not open (unknown, expired, already decided).
/// </summary>
public sealed class SlackActionsEndpoint(ISigningSecretSource secrets, DecisionService decisions, IDecisionQueue queue, TimeProvider clock, SlackWebApi? slack = null)
{
    public async Task<EndpointResult> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (HttpApiRequest.TryParse(payload.Span) is not { } request)
        {
            return new EndpointResult(HttpApiResponse.BadRequest, "not an HTTP API request");
        }

        var secret = await secrets.GetAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var check = SlackSignature.Verify(secret, request.Header("x-slack-request-timestamp"), request.Header("x-slack-signature"), request.Body, now);
        if (check != SignatureCheck.Valid)
        {
            return new EndpointResult(HttpApiResponse.Unauthorized, "signature: " + check);
        }

        if (SlackForm.TypeOf(request.Body) == "view_submission")
        {
            return DenySubmission.TryParse(request.Body) is { } submission
                ? await DecideAsync(new DecisionRequest(submission.AuditId, DecisionVerb.Deny, submission.UserId, submission.Reason, Announce: false), submission.ResponseUrl, now, cancellationToken).ConfigureAwait(false)
                : new EndpointResult(HttpApiResponse.BadRequest, "not a submission of the Remediator Deny dialog");
        }

        if (BlockActionsPayload.TryParse(request.Body) is not { } click)
        {
            return new EndpointResult(HttpApiResponse.BadRequest, "not one click on a Remediator button");
        }

        if (click.Verb == DecisionVerb.Deny)
        {
            if (slack is not null)
            {
                return await AskWhyAsync(click, cancellationToken).ConfigureAwait(false);
            }

            var noReason = $"denied from Slack by {click.UserId}; no reason (no bot token configured)";
            return await DecideAsync(new DecisionRequest(click.AuditId, DecisionVerb.Deny, click.UserId, noReason, Announce: false), click.ResponseUrl, now, cancellationToken).ConfigureAwait(false);
        }

        return await DecideAsync(new DecisionRequest(click.AuditId, click.Verb, click.UserId, "from Slack", click.ExemptDays, Announce: false), click.ResponseUrl, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Begins the decision exactly once and queues it for the worker.</summary>
    private async Task<EndpointResult> DecideAsync(DecisionRequest decision, Uri? responseUrl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var begin = await decisions.BeginAsync(decision, cancellationToken).ConfigureAwait(false);
        if (Refused(begin) is { } refused)
        {
            return refused;
        }

        try
        {
            await queue.EnqueueAsync(new DecisionWork(begin.Decision!.Id, responseUrl, now), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The decision record stays in progress; once its lease runs out a new click may take it over.
            return new EndpointResult(HttpApiResponse.Unavailable, $"decision {begin.Decision!.Id} written but not queued: {ex.GetType().Name}", begin.Decision.Id);
        }

        return new EndpointResult(HttpApiResponse.Ok, $"{decision.Verb.ToName()} by {decision.By} queued", begin.Decision.Id);
    }

    /// <summary>
    /// Deny with a bot token: check that the user may deny now (nothing written), then open the reason dialog with the
    /// click's trigger_id. The decision is written only when the dialog comes back submitted.
    /// </summary>
    private async Task<EndpointResult> AskWhyAsync(BlockActionsPayload click, CancellationToken cancellationToken)
    {
        var check = await decisions.CheckAsync(new DecisionRequest(click.AuditId, DecisionVerb.Deny, click.UserId, Announce: false), cancellationToken).ConfigureAwait(false);
        if (Refused(check) is { } refused)
        {
            return refused;
        }

        if (click.TriggerId is not { Length: > 0 } trigger)
        {
            return new EndpointResult(HttpApiResponse.BadRequest, "a Deny click without trigger_id");
        }

        var opened = await slack!.OpenViewAsync(trigger, DenyReasonModal.View(click.AuditId, click.ResponseUrl), cancellationToken).ConfigureAwait(false);
        return opened.Ok
            ? new EndpointResult(HttpApiResponse.Ok, $"deny by {click.UserId}: reason dialog opened")
            : new EndpointResult(HttpApiResponse.Unavailable, $"deny by {click.UserId}: the reason dialog could not be opened ({opened.Error}); nothing recorded");
    }

    private static EndpointResult? Refused(DecisionBegin begin) => begin.Refusal switch
    {
        DecisionRefusal.None => null,
        DecisionRefusal.NotApprover => new EndpointResult(HttpApiResponse.Forbidden, "refused: " + begin.Detail),
        DecisionRefusal.GroupsUnresolved => new EndpointResult(HttpApiResponse.GroupsUnresolved, "refused, fail closed: " + begin.Detail),
        _ => new EndpointResult(HttpApiResponse.NotOpen, $"refused ({begin.Refusal}): {begin.Detail}"),
    };
}
