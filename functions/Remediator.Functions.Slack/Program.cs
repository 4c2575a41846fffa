// The Slack interactivity endpoint (REMEDIATOR_SLACK_PART=actions) or the approval worker (worker): see SlackFunction.
return await Remediator.Approvals.SlackFunction.RunAsync().ConfigureAwait(false);
