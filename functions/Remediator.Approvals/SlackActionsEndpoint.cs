using Remediator.Approvals.Http;
using Remediator.Approvals.Queue;
using Remediator.Approvals.Slack;
using Remediator.Core.Approvals;

namespace Remediator.Approvals;

/// <summary>What the endpoint did with one request, for the log line (never the body, a header or the secret).</summary>
public sealed record EndpointResult(HttpApiResponse Response, string Outcome, string? DecisionId = null);

/// <summary>
/// <c>POST /slack/actions</c>: everything that must happen inside Slack's 3-second limit and nothing more. Verify the
/// signature (before reading anything else of the body), parse the click, authorise the user and write the decision
/// exactly once (<see cref="DecisionService.BeginAsync"/>), enqueue the work, answer 200. The worker does the rest.
/// Answers say no more than the class of the problem: 401 signature or timestamp, 403 not an approver, 400 malformed
/// or not open (unknown, expired, already decided).
/// </summary>
public sealed class SlackActionsEndpoint(ISigningSecretSource secrets, DecisionService decisions, IDecisionQueue queue, TimeProvider clock)
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

        if (BlockActionsPayload.TryParse(request.Body) is not { } click)
        {
            return new EndpointResult(HttpApiResponse.BadRequest, "not one click on a Remediator button");
        }

        var begin = await decisions.BeginAsync(
            new DecisionRequest(click.AuditId, click.Verb, click.UserId, "from Slack", click.ExemptDays, Announce: false), cancellationToken).ConfigureAwait(false);
        switch (begin.Refusal)
        {
            case DecisionRefusal.None:
                break;
            case DecisionRefusal.NotApprover:
                return new EndpointResult(HttpApiResponse.Forbidden, "refused: " + begin.Detail);
            default:
                return new EndpointResult(HttpApiResponse.NotOpen, $"refused ({begin.Refusal}): {begin.Detail}");
        }

        try
        {
            await queue.EnqueueAsync(new DecisionWork(begin.Decision!.Id, click.ResponseUrl, now), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The decision record stays in progress; once its lease runs out a new click may take it over.
            return new EndpointResult(HttpApiResponse.Unavailable, $"decision {begin.Decision!.Id} written but not queued: {ex.GetType().Name}", begin.Decision.Id);
        }

        return new EndpointResult(HttpApiResponse.Ok, $"{click.Verb.ToName()} by {click.UserId} queued", begin.Decision.Id);
    }
}
