// The scheduled sweep: see SweepFunction for the fan-out per (account, concern) and the continuation through SQS.
return await Remediator.Guard.SweepFunction.RunAsync().ConfigureAwait(false);
