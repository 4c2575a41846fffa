using Remediator.Aws.Organization;
using Remediator.Aws.State;
using Remediator.Core.Engine;
using Remediator.Core.Execution;

namespace Remediator.Guard;

/// <summary>
/// The engine and coordinator that act in one member account: its clients sign with that account's assumed role, the
/// audit trail stays the central one. Rebuilt when the cached session is renewed; one per account, so a warm process
/// serving an organization holds one set of clients per account it has seen.
/// </summary>
internal sealed class MemberAccountScopes : IDisposable
{
    private readonly MemberAccountRoles _roles;
    private readonly Func<MemberSession, Scope> _build;
    private readonly Dictionary<string, (MemberSession Session, Scope Scope)> _scopes = new(StringComparer.Ordinal);

    public MemberAccountScopes(MemberAccountRoles roles, Func<MemberSession, Scope> build)
    {
        _roles = roles;
        _build = build;
    }

    public MemberRoleOptions Options => _roles.Options;

    public async Task<(MemberSession Session, Scope Scope)> ForAsync(string account, string sessionName, CancellationToken cancellationToken)
    {
        var session = await _roles.SessionAsync(account, sessionName, cancellationToken).ConfigureAwait(false);
        if (_scopes.TryGetValue(account, out var current) && ReferenceEquals(current.Session, session))
        {
            return current;
        }

        current.Scope?.Clients.Dispose();
        var scope = (session, _build(session));
        _scopes[account] = scope;
        return scope;
    }

    public void Dispose()
    {
        foreach (var (_, scope) in _scopes.Values)
        {
            scope.Clients.Dispose();
        }

        _roles.Dispose();
    }

    internal sealed record Scope(AwsClients Clients, RuleEngine Engine, RemediationCoordinator Coordinator);
}
