using System.Text.Json;

namespace Remediator.Core.Events;

/// <summary>
/// Who made the call. Every member is optional: AWSService identities carry only <c>type</c> and <c>invokedBy</c>,
/// cross-account views only <c>accountId</c> and <c>principalId</c>.
/// </summary>
public sealed record UserIdentity(
    string? Type,
    string? Arn,
    string? AccountId,
    string? PrincipalId,
    string? UserName,
    string? InvokedBy,
    string? SessionIssuerArn)
{
    public static UserIdentity None { get; } = new(null, null, null, null, null, null, null);

    /// <summary>
    /// The IAM principal to compare with exemption and own-principal lists: the role behind an assumed-role
    /// session (its issuer), else the identity's own ARN.
    /// </summary>
    public string? PrincipalArn => SessionIssuerArn ?? Arn;

    public static UserIdentity From(JsonElement identity)
    {
        if (identity.ValueKind != JsonValueKind.Object)
        {
            return None;
        }

        string? issuerArn = null;
        if (identity.TryGetProperty("sessionContext", out var context) && context.ValueKind == JsonValueKind.Object
            && context.TryGetProperty("sessionIssuer", out var issuer) && issuer.ValueKind == JsonValueKind.Object)
        {
            issuerArn = JsonText.String(issuer, "arn");
        }

        return new UserIdentity(
            JsonText.String(identity, "type"),
            JsonText.String(identity, "arn"),
            JsonText.String(identity, "accountId"),
            JsonText.String(identity, "principalId"),
            JsonText.String(identity, "userName"),
            JsonText.String(identity, "invokedBy"),
            string.IsNullOrEmpty(issuerArn) ? null : issuerArn);
    }
}
