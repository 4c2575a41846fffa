using Amazon.Runtime;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using Remediator.Core.Remediation;

namespace Remediator.Operations;

/// <summary>
/// Carries out one planned step on AWS: reads the state the step changes, makes the call, reads it back and checks
/// that the change took (<see cref="ActionOutcome.Verified"/>), or says why it is only <see cref="ActionOutcome.Done"/>.
/// Idempotent where AWS is: a step whose intended state already holds (an inline policy already gone, a policy already
/// detached) is done with a note in its after-state, not failed. Refusals, unknown operations and bad parameters are
/// <see cref="ActionOutcome.Failed"/> with an error naming operation and resource; only cancellation (the invocation's
/// deadline) and <see cref="StepOutcomeUnknownException"/> (the change may or may not have been made) are thrown.
/// <c>notify:*</c> steps are left planned: the notifier sends them from the audit stream.
/// </summary>
/// <remarks>
/// Most calls name their resource by name alone (RoleName, TableName, EventBusName, FunctionName), and a name means
/// "in the account of the credentials". An executor that knows its account (<see cref="Account"/>) therefore refuses a
/// step whose resource ARN names another account, before any call: carried out here it would change the same-named
/// resource of this account instead. ARNs without an account (API Gateway's) name unique ids, not names.
/// </remarks>
public sealed class AwsStepExecutor : IStepExecutor
{
    private readonly AwsClients _clients;
    private readonly TimeProvider _clock;
    private readonly Func<CancellationToken, Task<string>>? _accountOf;

    /// <param name="account">The account <paramref name="clients"/> act in; null when it is not known (then any is tried).</param>
    public AwsStepExecutor(AwsClients clients, TimeProvider? clock = null, string? account = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        if (account is not null && !ResourceArns.IsAccountId(account))
        {
            throw new ArgumentException($"'{account}' is not a 12-digit account id.", nameof(account));
        }

        _clients = clients;
        _clock = clock ?? TimeProvider.System;
        Account = account;
    }

    /// <summary>
    /// An executor that asks <paramref name="accountOf"/> which account its credentials act in, once, before its first
    /// step on an ARN that names one (a command line's credentials do not say). When the answer cannot be had, such
    /// steps fail with nothing called.
    /// </summary>
    public AwsStepExecutor(AwsClients clients, Func<CancellationToken, Task<string>> accountOf, TimeProvider? clock = null)
        : this(clients, clock)
    {
        ArgumentNullException.ThrowIfNull(accountOf);
        _accountOf = accountOf;
        if (OperationCatalogue.All.Where(o => o is not IAwsOperation).ToList() is { Count: > 0 } missing)
        {
            // A planner could plan a step nobody can carry out: refuse to start rather than fail at the worst moment.
            throw new InvalidOperationException($"no AWS execution for catalogue operation(s) {string.Join(", ", missing.Select(m => m.Name))}");
        }
    }

    /// <summary>
    /// The executor of a function or command: bound to <paramref name="account"/> when its configuration names it, else
    /// to the account STS says the clients' credentials belong to (asked once, on the first step that needs it).
    /// </summary>
    public static AwsStepExecutor Bound(AwsClients clients, string? account, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return account is not null ? new AwsStepExecutor(clients, clock, account) : new AwsStepExecutor(clients, clients.CallerAccountAsync, clock);
    }

    /// <summary>The account this executor's calls act in, when known.</summary>
    public string? Account { get; private set; }

    public async Task<AuditAction> ExecuteAsync(AuditAction step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.IsNotification || step.Operation.StartsWith("notify:", StringComparison.Ordinal))
        {
            return step with { Outcome = ActionOutcome.Planned };
        }

        var started = _clock.GetUtcNow();
        if (OperationCatalogue.Find(step.Operation, step.Parameters) is not IAwsOperation operation)
        {
            return step with
            {
                Outcome = ActionOutcome.Failed,
                Error = $"{step.Operation} on {step.Resource}: unknown operation; it is not in the operation catalogue",
                StartedAt = started,
                EndedAt = started,
            };
        }

        if (Account is null && _accountOf is not null && NamedAccount(step.Resource) is not null)
        {
            try
            {
                var account = await _accountOf(cancellationToken).ConfigureAwait(false);
                Account = ResourceArns.IsAccountId(account) ? account : throw new InvalidOperationException($"'{account}' is not an account id");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return step with
                {
                    Outcome = ActionOutcome.Failed,
                    Error = $"{step.Operation} on {step.Resource}: could not tell which account these credentials act in ({ex.GetType().Name}: {ex.Message}); nothing was called.",
                    StartedAt = started,
                    EndedAt = _clock.GetUtcNow(),
                };
            }
        }

        if (OtherAccount(step.Resource) is { } other)
        {
            return step with
            {
                Outcome = ActionOutcome.Failed,
                Error = $"{step.Operation} on {step.Resource}: the resource is in account {other}, and these credentials act in account {Account}; "
                    + "nothing was called (by name, the call would change a resource of this account). A change in another account goes through that account's role.",
                StartedAt = started,
                EndedAt = started,
            };
        }

        var run = new StepRun(step);
        string? error = null;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await operation.ExecuteAsync(_clients, run, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (StepOutcomeUnknownException)
        {
            // Neither failed nor done can be said: the coordinator leaves the record to its redelivery.
            throw;
        }
        catch (AwsServiceException ex)
        {
            // Its message names the call and the resource already (iam:DeleteRolePolicy on role/app failed: ...).
            error = ex.Message;
        }
        catch (AmazonServiceException ex)
        {
            error = Failure(step, $"{ex.ErrorCode ?? ex.GetType().Name}: {ex.Message}");
        }
        catch (OperationParameterException ex)
        {
            error = $"{step.Operation} on {step.Resource}: {ex.Message}";
        }
        catch (Exception ex)
        {
            // Network failures after retries, time-outs of one attempt, bugs: the record must still say what happened.
            error = Failure(step, $"{ex.GetType().Name}: {ex.Message}");
        }

        if (error is not null && run.Called)
        {
            // The change was made; only reading it back failed. Recording "failed" would hide a change.
            run.Note = $"the call succeeded but reading the state back failed: {error}";
            error = null;
        }

        var outcome = error is not null ? ActionOutcome.Failed
            : run.Verified ? ActionOutcome.Verified
            : ActionOutcome.Done;
        return step with
        {
            Before = run.Before,
            After = error is null ? WithNote(run.After, run.Note) : run.After,
            Outcome = outcome,
            Error = error,
            StartedAt = started,
            EndedAt = _clock.GetUtcNow(),
        };
    }

    /// <summary>The account a resource ARN names when it is not <see cref="Account"/>; null when it is, or cannot be told.</summary>
    private string? OtherAccount(string resource) =>
        Account is not null && NamedAccount(resource) is { } owner && owner != Account ? owner : null;

    /// <summary>The account field of a resource ARN; null when it is not an ARN or names none (API Gateway's).</summary>
    private static string? NamedAccount(string resource) =>
        ResourceArns.IsArn(resource) && ResourceArns.AccountOf(resource) is { Length: > 0 } owner ? owner : null;

    /// <summary>A note rides in the after-state as <c>Note</c>: the audit action has no field of its own for it.</summary>
    private static string? WithNote(string? after, string? note)
    {
        if (note is null)
        {
            return after;
        }

        var state = (after is null ? null : System.Text.Json.Nodes.JsonNode.Parse(after)) as System.Text.Json.Nodes.JsonObject ?? [];
        state["Note"] = note;
        return state.ToJsonString();
    }

    private static string Failure(AuditAction step, string detail) => $"{step.Operation} on {step.Resource} failed: {detail}";
}
