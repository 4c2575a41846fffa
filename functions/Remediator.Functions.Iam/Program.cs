// The IAM guard: see GuardFunction for what happens at init and per event.
return await Remediator.Guard.GuardFunction.RunAsync(Remediator.Core.Concerns.IamBroadPermissions).ConfigureAwait(false);
